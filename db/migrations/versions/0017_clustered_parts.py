"""A contact's values stored under the contact's row number (issue 17). Contacts get
`num`, their rowid made a column (it is what SQLite lays them out by; the id stays
unique beside it), and emails, phones, addresses and links are keyed by (num,
position) and laid out by that key (WITHOUT ROWID): a contact's values share a page and
are found without an index of their own, and each carries a 3-byte number where it
carried a 16-byte id. The row number and the contact index each value table had go;
positions are renumbered 0, 1, 2... per contact in their order. About 135 bytes a
contact. The group, follow-up and history link tables, already keyed by their two ids,
are laid out by that key instead of by rowid beside a copy of it (about 20 bytes).

SQLite only, as every book is: another database would start from its own baseline.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 07:00:00
"""

import re
from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection

from db.migrations.retype import set_rowid_tables, table_definition

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each value table's own columns, after the ones every value has.
_OWN = {
    "contact_emails": "address VARCHAR(320) NOT NULL",
    "contact_phones": "number VARCHAR(100) NOT NULL, e164 VARCHAR(20)",
    "contact_addresses": "street VARCHAR(500), city VARCHAR(200), region VARCHAR(200), "
    "postal_code VARCHAR(30), country VARCHAR(2)",
    "contact_urls": "url VARCHAR(2000) NOT NULL",
}
_SHARED = "label VARCHAR(50) NOT NULL, is_primary BOOLEAN NOT NULL, position INTEGER NOT NULL"
_LINKS = ("group_members", "activity_contacts", "history_contacts")


def upgrade() -> None:
    conn = _sqlite()
    conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        _rebuild_contacts(conn, numbered=True)
        for table in _OWN:
            _rebuild_values(conn, table, clustered=True)
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table=OFF")
    set_rowid_tables(conn, _LINKS, with_rowid=False)


def downgrade() -> None:
    conn = _sqlite()
    set_rowid_tables(conn, _LINKS, with_rowid=True)
    conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        for table in _OWN:
            _rebuild_values(conn, table, clustered=False)
        _rebuild_contacts(conn, numbered=False)
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table=OFF")


def _sqlite() -> Connection:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        raise NotImplementedError("Callsheet books are SQLite files")
    return conn


def _rebuild_contacts(conn: Connection, *, numbered: bool) -> None:
    """Copy the contacts into a table whose rowid is the column `num` (or back), same
    rows in the same order, and put it in the old one's place with its indexes and
    triggers."""
    create, others = table_definition(conn, "contacts")
    columns = [
        row[1] for row in conn.exec_driver_sql("PRAGMA table_info(contacts)") if row[1] != "num"
    ]
    header = re.compile(r'^CREATE TABLE "?contacts"?\s*\(')
    if numbered:
        body, swapped = re.subn(r"PRIMARY KEY \(id\)", "PRIMARY KEY (num), UNIQUE (id)", create)
        body = header.sub("CREATE TABLE contacts__copy (\n\tnum INTEGER NOT NULL, ", body)
    else:
        body, swapped = re.subn(r"PRIMARY KEY \(num\), UNIQUE \(id\)", "PRIMARY KEY (id)", create)
        body = re.sub(
            r"\n\tnum INTEGER NOT NULL, ", "", header.sub("CREATE TABLE contacts__copy (", body)
        )
    if swapped != 1 or "contacts__copy" not in body:
        raise RuntimeError(f"unexpected definition of contacts: {create[:120]}")
    conn.exec_driver_sql(body)
    names = ", ".join(columns)
    conn.exec_driver_sql(
        f"INSERT INTO contacts__copy (rowid, {names}) SELECT rowid, {names} FROM contacts "
        "ORDER BY rowid"
    )
    conn.exec_driver_sql("DROP TABLE contacts")
    conn.exec_driver_sql("ALTER TABLE contacts__copy RENAME TO contacts")
    for sql in others:
        conn.exec_driver_sql(sql)


def _rebuild_values(conn: Connection, table: str, *, clustered: bool) -> None:
    """Copy a value table into one keyed by (contact number, position), or back into one
    keyed by a row number beside a contact index, contact by contact."""
    own = ", ".join(column.split()[0] for column in _OWN[table].split(", "))
    shared = "label, is_primary, position"
    copy = f"{table}__copy"
    if clustered:
        conn.exec_driver_sql(
            f"CREATE TABLE {copy} (contact_num INTEGER NOT NULL, {_SHARED}, {_OWN[table]}, "
            "PRIMARY KEY (contact_num, position), "
            "FOREIGN KEY(contact_num) REFERENCES contacts (num) ON DELETE CASCADE) WITHOUT ROWID"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {copy} (contact_num, label, is_primary, position, {own}) "
            "SELECT c.num, p.label, p.is_primary, row_number() OVER "
            "(PARTITION BY c.num ORDER BY p.position, p.id) - 1, "
            f"{', '.join(f'p.{name.strip()}' for name in own.split(','))} "
            f"FROM {table} p JOIN contacts c ON c.id = p.contact_id "
            "ORDER BY c.num, p.position, p.id"
        )
    else:
        conn.exec_driver_sql(
            f"CREATE TABLE {copy} (id INTEGER NOT NULL, contact_id BLOB NOT NULL, {_SHARED}, "
            f"{_OWN[table]}, PRIMARY KEY (id), "
            "FOREIGN KEY(contact_id) REFERENCES contacts (id) ON DELETE CASCADE)"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {copy} (contact_id, {shared}, {own}) "
            f"SELECT c.id, {', '.join(f'p.{n.strip()}' for n in (shared + ', ' + own).split(','))} "
            f"FROM {table} p JOIN contacts c ON c.num = p.contact_num "
            "ORDER BY c.id, p.position"
        )
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(f"ALTER TABLE {copy} RENAME TO {table}")
    if not clustered:
        conn.exec_driver_sql(f"CREATE INDEX ix_{table}_contact_id ON {table} (contact_id)")
