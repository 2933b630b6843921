"""scores at chart grain (grade x kind x town x industry) per model version, written with the scores

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('summary_scores',
    sa.Column('model_version_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('town_code', sa.String(length=9), nullable=False),
    sa.Column('industry', sa.String(length=1), nullable=False),
    sa.Column('subjects', sa.BigInteger(), nullable=False),
    sa.Column('score_sum', sa.Float(), nullable=False),
    sa.Column('probability_sum', sa.Float(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['model_version_id'], ['model_versions.id'], ),
    sa.PrimaryKeyConstraint('model_version_id', 'grade', 'kind', 'town_code', 'industry')
    )
    # Versions scored before this migration get their summary here, so the scored page is right straight after.
    op.execute(
        """
        INSERT INTO summary_scores (model_version_id, grade, kind, town_code, industry, subjects, score_sum,
                                    probability_sum, as_of)
        SELECT sc.model_version_id, sc.grade, s.kind, COALESCE(s.town_code, ''), COALESCE(s.industry, ''), COUNT(*),
               SUM(sc.score), SUM(sc.probability), MAX(sc.as_of)
        FROM scores sc JOIN subjects s ON s.id = sc.subject_id
        GROUP BY sc.model_version_id, sc.grade, s.kind, COALESCE(s.town_code, ''), COALESCE(s.industry, '')
        """
    )


def downgrade() -> None:
    op.drop_table('summary_scores')
