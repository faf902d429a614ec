"""Sync bookkeeping (issue 16): the accounts, each record's place and agreed version on
each account's server, and the conflict log. New tables only: nothing is rewritten.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("server_url", sa.String(length=2000), nullable=False),
        sa.Column("username", sa.String(length=300), nullable=False),
        sa.Column("contacts_url", sa.String(length=2000), nullable=True),
        sa.Column("contacts_token", sa.String(length=2000), nullable=True),
        sa.Column("vcard_version", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "sync_items",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("href", sa.String(length=2000), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("synced_rev", sa.Integer(), nullable=False),
        sa.Column("base", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["sync_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "record_type", "record_id"),
    )
    op.create_index("ix_sync_items_href", "sync_items", ["account_id", "href"], unique=True)
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("record_name", sa.String(length=300), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.Column("chosen", sa.JSON(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("restored_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["sync_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_conflicts_account_id", "sync_conflicts", ["account_id"])
    op.create_index("ix_sync_conflicts_record_id", "sync_conflicts", ["record_id"])


def downgrade() -> None:
    op.drop_table("sync_conflicts")
    op.drop_index("ix_sync_items_href", "sync_items")
    op.drop_table("sync_items")
    op.drop_table("sync_accounts")
