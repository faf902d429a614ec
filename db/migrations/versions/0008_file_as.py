"""Contacts sort by name without honorifics, and can be filed by family name.

`sort_name` is recomputed without "Dr."/"Mr." and suffixes; `file_as` ("lund maya") is
new, with its own index, for the last-name sort Act! and Outlook users expect. One pass
over the contacts in chunks: linear in the size of the book.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 02:30:00
"""

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

from db.contact_values import file_as, name_for_sorting
from db.text import sort_key

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 10_000
LIVE = sa.text("deleted_at IS NULL")


@dataclass(frozen=True)
class _Names:
    display_name: str
    given_name: str
    middle_name: str
    family_name: str
    prefix: str
    suffix: str


def upgrade() -> None:
    op.add_column(
        "contacts", sa.Column("file_as", sa.String(length=500), nullable=False, server_default="")
    )
    conn = op.get_bind()
    after = -1
    while chunk := conn.execute(
        sa.text(
            "SELECT rowid, id, display_name, given_name, middle_name, family_name, prefix, "
            "suffix FROM contacts WHERE rowid > :after ORDER BY rowid LIMIT :chunk"
        ),
        {"after": after, "chunk": CHUNK},
    ).fetchall():
        after = chunk[-1][0]
        updates = []
        for _rowid, cid, *parts in chunk:
            names = _Names(*(part or "" for part in parts))
            updates.append(
                {
                    "id": cid,
                    "sort_name": sort_key(name_for_sorting(names)),
                    "file_as": sort_key(file_as(names)),
                }
            )
        conn.execute(
            sa.text(
                "UPDATE contacts SET sort_name = :sort_name, file_as = :file_as WHERE id = :id"
            ),
            updates,
        )
    op.create_index(
        "ix_contacts_live_file_as",
        "contacts",
        ["file_as", "sort_name"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_live_file_as", "contacts")
    op.drop_column("contacts", "file_as")
