"""A contact's primary email and phone read from its values instead of copied into the
contact (issue 17): since 0017 a contact's values share a page and are found by its
key, so the list reads them in place for the rows it shows; the copies cost about 55
bytes a contact. The downgrade fills the copies again from the values. The family-name
order's index loses its second key, the name: two contacts filed alike are namesakes,
kept in the order they were added (about 20 bytes a contact).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each copy, its length, and the value it copied: the first primary one by position.
_COPIES = {
    "primary_email": (320, "contact_emails", "address"),
    "primary_phone": (100, "contact_phones", "number"),
}


_LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    for column in _COPIES:
        op.execute(f"ALTER TABLE contacts DROP COLUMN {column}")
    _index_file_as(["file_as"])


def downgrade() -> None:
    _index_file_as(["file_as", "sort_name"])
    for column, (length, table, value) in _COPIES.items():
        op.add_column("contacts", sa.Column(column, sa.String(length=length), nullable=True))
        op.execute(
            f"UPDATE contacts SET {column} = (SELECT {value} FROM {table} p "
            "WHERE p.contact_num = contacts.num AND p.is_primary ORDER BY p.position LIMIT 1)"
        )


def _index_file_as(columns: list[str]) -> None:
    op.drop_index("ix_contacts_live_file_as", "contacts")
    op.create_index(
        "ix_contacts_live_file_as",
        "contacts",
        columns,
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    )
