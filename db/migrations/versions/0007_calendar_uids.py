"""Follow-ups and history keep the UID another calendar gave them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("activities", "history_entries"):
        op.add_column(table, sa.Column("ical_uid", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    for table in ("activities", "history_entries"):
        op.drop_column(table, "ical_uid")
