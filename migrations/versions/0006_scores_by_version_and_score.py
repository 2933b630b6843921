"""scores ordered by version and score: the scored-population grid's default page is an index range, not a sort

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 13:20:00.000000
"""

from __future__ import annotations

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_scores_version_score', 'scores', ['model_version_id', 'score', 'subject_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_scores_version_score', table_name='scores')
