"""scores ordered by version and score (the scored grid's default page is an index range, not a sort); records
published late by bureau and decision date (the assessment's drill-down)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 13:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

LATE = "publish_delay_wd > 7 AND record_type_code IN ('XK', 'CF')"


def upgrade() -> None:
    op.create_index('ix_scores_version_score', 'scores', ['model_version_id', 'score', 'subject_id'], unique=False)
    op.create_index('ix_records_late', 'credit_records', ['bureau_code', 'decision_date'], unique=False,
                    postgresql_where=sa.text(LATE), sqlite_where=sa.text(LATE),
                    postgresql_include=['publish_delay_wd', 'id', 'record_type_code', 'subject_id', 'document_no',
                                        'publication_date', 'severity'])


def downgrade() -> None:
    op.drop_index('ix_records_late', table_name='credit_records')
    op.drop_index('ix_scores_version_score', table_name='scores')
