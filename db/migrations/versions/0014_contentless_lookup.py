"""The lookup index without its copy of every document (issue 17): 199 bytes a contact
at a million were the FTS5 table's own copy of the text it indexes, and 16 its
per-document column sizes, which lookup never reads (hits are ranked in Python).

A contentless FTS5 table cannot delete a document without being told its old text, so a
changed contact gets a new row and its old one is left behind, unreachable: a hit
counts only through `contacts.lookup_rowid` (indexed here). `lookup_state` numbers the
rows and counts those left behind; `db.search` rebuilds the index when they outnumber
the live ones. Documents are copied as they were, under the same row numbers.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "name, company, emails, phones, places, tags"
_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3', detail = column"

_TRIGGERS = {
    # A row a contact let go of (changed, trashed or deleted) stays in the index.
    "lookup_row_released": """
        AFTER UPDATE OF lookup_rowid ON contacts
        WHEN OLD.lookup_rowid IS NOT NULL AND OLD.lookup_rowid IS NOT NEW.lookup_rowid
        BEGIN
            UPDATE lookup_state SET stale = stale + 1;
        END""",
    "lookup_row_dropped": """
        AFTER DELETE ON contacts WHEN OLD.lookup_rowid IS NOT NULL BEGIN
            UPDATE lookup_state SET stale = stale + 1;
        END""",
}


def upgrade() -> None:
    op.create_table(
        "lookup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("next_rowid", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_lookup_state_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_contacts_lookup_row",
        "contacts",
        ["lookup_rowid"],
        sqlite_where=sa.text("lookup_rowid IS NOT NULL"),
        postgresql_where=sa.text("lookup_rowid IS NOT NULL"),
    )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("INSERT INTO lookup_state (id, next_rowid, stale) VALUES (1, 1, 0)")
        return
    op.execute(
        f"CREATE VIRTUAL TABLE contact_lookup_next USING fts5({_COLUMNS}, "
        f"content = '', columnsize = 0, {_OPTIONS})"
    )
    op.execute(
        f"INSERT INTO contact_lookup_next (rowid, {_COLUMNS}) "
        f"SELECT l.rowid, {', '.join(f'l.{c}' for c in _COLUMNS.split(', '))} "
        "FROM contacts c JOIN contact_lookup l ON l.rowid = c.lookup_rowid "
        "WHERE c.lookup_rowid IS NOT NULL"
    )
    # Contacts pointing at no document (none should) lose the pointer, so no row
    # number is ever handed out twice.
    op.execute(
        "UPDATE contacts SET lookup_rowid = NULL WHERE lookup_rowid IS NOT NULL "
        "AND lookup_rowid NOT IN (SELECT rowid FROM contact_lookup)"
    )
    op.execute(
        "INSERT INTO lookup_state (id, next_rowid, stale) "
        "SELECT 1, coalesce(max(lookup_rowid), 0) + 1, 0 FROM contacts"
    )
    op.execute("DROP TABLE contact_lookup")
    op.execute("ALTER TABLE contact_lookup_next RENAME TO contact_lookup")
    for name, body in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    """Back to an index with its own copy of the text, made from the words indexed (the
    text as the index folded it: lookup finds the same contacts by it)."""
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE contact_lookup_prev USING fts5("
            f"contact_id UNINDEXED, {_COLUMNS}, {_OPTIONS})"
        )
        op.execute(
            "CREATE VIRTUAL TABLE temp.lookup_words USING fts5vocab(main, contact_lookup, instance)"
        )
        columns = _COLUMNS.split(", ")
        pivot = ", ".join(
            f"coalesce(max(CASE WHEN w.col = '{c}' THEN w.words END), '')" for c in columns
        )
        op.execute(
            f"INSERT INTO contact_lookup_prev (rowid, contact_id, {_COLUMNS}) "
            f"SELECT c.lookup_rowid, c.id, {pivot} "
            "FROM (SELECT doc, col, group_concat(term, ' ') AS words "
            "      FROM temp.lookup_words GROUP BY doc, col) w "
            "JOIN contacts c ON c.lookup_rowid = w.doc GROUP BY w.doc"
        )
        op.execute("DROP TABLE temp.lookup_words")
        op.execute("DROP TABLE contact_lookup")
        op.execute("ALTER TABLE contact_lookup_prev RENAME TO contact_lookup")
    op.drop_index("ix_contacts_lookup_row", "contacts")
    op.drop_table("lookup_state")
