"""A contact's values stored with the contact's key (issue 17). Emails, phones,
addresses and links are keyed by (contact, position) and laid out by that key (WITHOUT
ROWID in SQLite), so a contact's values share a page and are found without an index of
their own; the row number each carried and the contact index behind it go, about 80
bytes a contact. Positions are renumbered 0, 1, 2... per contact in their order. The
group, follow-up and history link tables, already keyed by their two ids, are laid out
by that key too instead of by rowid beside a copy of it (about 20 bytes a contact).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 07:00:00
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from db.migrations.retype import set_rowid_tables

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each table's own columns, after the ones every part has.
_OWN: dict[str, Callable[[], list[sa.Column[Any]]]] = {
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
_LINKS = ("group_members", "activity_contacts", "history_contacts")


def upgrade() -> None:
    for table in _OWN:
        _rebuild(table, clustered=True)
    if op.get_bind().dialect.name == "sqlite":
        set_rowid_tables(op.get_bind(), _LINKS, with_rowid=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        set_rowid_tables(op.get_bind(), _LINKS, with_rowid=True)
    for table in _OWN:
        _rebuild(table, clustered=False)


def _rebuild(table: str, *, clustered: bool) -> None:
    """Copy `table` into one keyed by (contact, position), or by a row number beside a
    contact index, contact by contact, and put it in the old one's place."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    own = _OWN[table]()
    names = ", ".join(column.name for column in own)
    key_type: sa.types.TypeEngine[Any] = sa.LargeBinary() if sqlite else sa.Uuid()
    contact_id: sa.Column[Any] = sa.Column("contact_id", key_type, nullable=False)
    shared: list[sa.Column[Any]] = [
        sa.Column("label", sa.String(length=50), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    ]
    references = sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE")
    order = "ORDER BY contact_id, position"
    if clustered:
        op.create_table(
            f"{table}_new",
            contact_id,
            *shared,
            *own,
            references,
            sa.PrimaryKeyConstraint("contact_id", "position"),
            sqlite_with_rowid=False,
        )
        op.execute(
            f"INSERT INTO {table}_new (contact_id, label, is_primary, position, {names}) "
            f"SELECT contact_id, label, is_primary, row_number() OVER "
            f"(PARTITION BY contact_id {order}, id) - 1, {names} FROM {table} "
            f"{order}, id"
        )
    else:
        op.create_table(
            f"{table}_new",
            sa.Column("id", sa.Integer(), nullable=False),
            contact_id,
            *shared,
            *own,
            references,
            sa.PrimaryKeyConstraint("id"),
        )
        op.execute(
            f"INSERT INTO {table}_new (contact_id, label, is_primary, position, {names}) "
            f"SELECT contact_id, label, is_primary, position, {names} FROM {table} {order}"
        )
    op.drop_table(table)
    op.rename_table(f"{table}_new", table)
    if not clustered:
        op.create_index(f"ix_{table}_contact_id", table, ["contact_id"])
