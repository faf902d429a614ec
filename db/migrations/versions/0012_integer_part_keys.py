"""Integer keys for a contact's emails, phones, addresses and links (issue 17): nothing
outside the contact refers to one of these rows, so a 32-character UUID and the index
behind it bought nothing. Each table is rebuilt with an integer row key, its rows laid
out contact by contact (one contact's values share a page), and its contact index
rebuilt. About 270 bytes less per contact.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each table's own columns, after the ones every part has.
_OWN: dict[str, Callable[[], list[sa.Column]]] = {
    "contact_emails": lambda: [sa.Column("address", sa.String(length=320), nullable=False)],
    "contact_phones": lambda: [
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("e164", sa.String(length=20), nullable=True),
    ],
    "contact_addresses": lambda: [
        sa.Column("street", sa.String(length=500), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=30), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
    ],
    "contact_urls": lambda: [sa.Column("url", sa.String(length=2000), nullable=False)],
}
_SHARED = ["contact_id", "label", "is_primary", "position"]


def upgrade() -> None:
    for table in _OWN:
        _rebuild(table, sa.Integer(), None)


def downgrade() -> None:
    for table in _OWN:
        _rebuild(table, sa.Uuid(), "lower(hex(randomblob(16)))")


def _rebuild(table: str, key: sa.types.TypeEngine[Any], new_key: str | None) -> None:
    """Copy `table` into a new one keyed by `key` (new values from the SQL `new_key`, or
    the row number), contact by contact, and put it in the old one's place."""
    own = _OWN[table]()
    op.create_table(
        f"{table}_new",
        sa.Column("id", key, nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        *own,
        sa.Column("label", sa.String(length=50), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    columns = ", ".join([*_SHARED, *(column.name for column in own)])
    keyed = f"{columns}, id" if new_key else columns
    made = f"{columns}, {new_key}" if new_key else columns
    op.execute(
        f"INSERT INTO {table}_new ({keyed}) SELECT {made} FROM {table} "
        "ORDER BY contact_id, position"
    )
    op.drop_table(table)
    op.rename_table(f"{table}_new", table)
    op.create_index(f"ix_{table}_contact_id", table, ["contact_id"])
