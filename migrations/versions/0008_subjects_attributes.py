"""subjects' town, industry and kind beside the id (index-only joins from entries, scores and records)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 17:20:00.000000
"""

from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_subjects_attributes', 'subjects', ['id'], unique=False,
                    postgresql_include=['town_code', 'industry', 'kind'])


def downgrade() -> None:
    op.drop_index('ix_subjects_attributes', table_name='subjects')
