"""Sync of follow-ups and history (issue 16): an account's task list, its sync token,
and whether the list takes VJOURNAL (history syncs) or not (history stays local); the
certificate the user pinned for a self-signed server; the one group an account carries
(a shared team book), or all contacts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_accounts") as table:
        table.add_column(sa.Column("tasks_url", sa.String(length=2000), nullable=True))
        table.add_column(sa.Column("tasks_token", sa.String(length=2000), nullable=True))
        table.add_column(
            sa.Column("history_syncs", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        table.add_column(sa.Column("tls_certificate", sa.Text(), nullable=True))
        table.add_column(sa.Column("contacts_group", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_accounts") as table:
        table.drop_column("contacts_group")
        table.drop_column("tls_certificate")
        table.drop_column("history_syncs")
        table.drop_column("tasks_token")
        table.drop_column("tasks_url")
