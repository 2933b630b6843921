"""summary of subjects by town, kind, registration and deregistration year; index of serious records

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-29 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('summary_subjects',
    sa.Column('town_code', sa.String(length=9), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('registered_year', sa.Integer(), nullable=False),
    sa.Column('deregistered_year', sa.Integer(), nullable=False),
    sa.Column('subjects', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('town_code', 'kind', 'registered_year', 'deregistered_year')
    )
    # Stores that already hold subjects get their summary filled here, so pages are right straight after upgrade.
    op.execute(
        """
        INSERT INTO summary_subjects (town_code, kind, registered_year, deregistered_year, subjects)
        SELECT COALESCE(town_code, ''), kind,
               COALESCE(CAST(EXTRACT(YEAR FROM registered_on) AS INTEGER), 0),
               COALESCE(CAST(EXTRACT(YEAR FROM deregistered_on) AS INTEGER), 0), COUNT(*)
        FROM subjects
        GROUP BY COALESCE(town_code, ''), kind,
                 COALESCE(CAST(EXTRACT(YEAR FROM registered_on) AS INTEGER), 0),
                 COALESCE(CAST(EXTRACT(YEAR FROM deregistered_on) AS INTEGER), 0)
        """
        if op.get_bind().dialect.name == "postgresql" else
        """
        INSERT INTO summary_subjects (town_code, kind, registered_year, deregistered_year, subjects)
        SELECT COALESCE(town_code, ''), kind,
               COALESCE(CAST(strftime('%Y', registered_on) AS INTEGER), 0),
               COALESCE(CAST(strftime('%Y', deregistered_on) AS INTEGER), 0), COUNT(*)
        FROM subjects
        GROUP BY 1, 2, 3, 4
        """
    )


    op.create_index('ix_records_serious_decision', 'credit_records', ['decision_date'], unique=False,
                    postgresql_where=sa.text("severity = 'serious'"), sqlite_where=sa.text("severity = 'serious'"))


def downgrade() -> None:
    op.drop_index('ix_records_serious_decision', table_name='credit_records')
    op.drop_table('summary_subjects')
