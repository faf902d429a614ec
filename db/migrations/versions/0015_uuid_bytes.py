"""Record ids as 16 bytes instead of 32 hex characters (issue 17): every key, every
reference to one and every index entry of them was twice the size it needs to be,
about 280 bytes a contact at a million. Each table holding ids is rebuilt with the
same definition but BLOB for those columns, its rows copied in order with the ids
converted, then its indexes and triggers made again. (Other databases keep their own
UUID type; nothing to do there.)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 05:00:00
"""

import re
from collections.abc import Sequence

from alembic import op
from sqlalchemy import Connection

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every column holding a record id, by table, in an order that copies a table before
# the ones that point at it (foreign keys are off while migrations run, and checked
# after).
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "companies": ("id",),
    "groups": ("id",),
    "contacts": ("id", "company_id", "referred_by_id"),
    "contact_emails": ("contact_id",),
    "contact_phones": ("contact_id",),
    "contact_addresses": ("contact_id",),
    "contact_urls": ("contact_id",),
    "group_members": ("group_id", "contact_id"),
    "group_sizes": ("group_id",),
    "activities": ("id",),
    "activity_contacts": ("activity_id", "contact_id"),
    "history_entries": ("id", "activity_id"),
    "history_contacts": ("history_id", "contact_id"),
    "notes": ("id", "contact_id", "company_id"),
    "social_profiles": ("id", "contact_id"),
    "import_batches": ("id",),
    "import_items": ("batch_id", "contact_id"),
    "merges": ("id", "survivor_id"),
    "change_journal": ("record_id",),
    "sync_accounts": ("id",),
    "sync_items": ("account_id", "record_id"),
    "sync_conflicts": ("id", "account_id", "record_id"),
}
_AS_TEXT = "CHAR(32)"
_AS_BYTES = "BLOB"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
        "id_bytes", 1, _id_bytes, deterministic=True
    )
    _rebuild_all(conn, _AS_TEXT, _AS_BYTES, "id_bytes({})")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    _rebuild_all(
        conn, _AS_BYTES, _AS_TEXT, "CASE WHEN {0} IS NULL THEN NULL ELSE lower(hex({0})) END"
    )


def _id_bytes(value: object) -> object:
    """A stored id as its 16 bytes (anything not 32 hex digits is kept as it is)."""
    if isinstance(value, str) and len(value) == 32:
        try:
            return bytes.fromhex(value)
        except ValueError:
            return value
    return value


def _rebuild_all(conn: Connection, old_type: str, new_type: str, convert: str) -> None:
    # Renaming the copy into place must not check or rewrite triggers on other tables
    # that name a table dropped a moment earlier.
    conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        for table, columns in ID_COLUMNS.items():
            _rebuild(conn, table, columns, old_type, new_type, convert)
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table=OFF")


def _rebuild(
    conn: Connection,
    table: str,
    id_columns: tuple[str, ...],
    old_type: str,
    new_type: str,
    convert: str,
) -> None:
    """Copy `table` into one whose `id_columns` are declared `new_type`, their values
    passed through `convert`, and put it in the old one's place."""
    schema = conn.exec_driver_sql(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).all()
    create = next(sql for kind, sql in schema if kind == "table")
    others = [sql for kind, sql in schema if kind in ("index", "trigger")]
    columns = [row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')]
    copy = f"{table}__copy"
    conn.exec_driver_sql(_retyped(create, table, copy, id_columns, old_type, new_type))
    values = ", ".join(convert.format(c) if c in id_columns else c for c in columns)
    conn.exec_driver_sql(
        f"INSERT INTO {copy} (rowid, {', '.join(columns)}) "
        f'SELECT rowid, {values} FROM "{table}" ORDER BY rowid'
    )
    conn.exec_driver_sql(f'DROP TABLE "{table}"')
    conn.exec_driver_sql(f'ALTER TABLE {copy} RENAME TO "{table}"')
    for sql in others:
        conn.exec_driver_sql(sql)


def _retyped(
    create: str,
    table: str,
    copy: str,
    id_columns: tuple[str, ...],
    old_type: str,
    new_type: str,
) -> str:
    """`create` for a table named `copy` with `id_columns` declared `new_type`."""
    header = re.compile(rf'^CREATE TABLE "?{re.escape(table)}"?\s*\(')
    if not header.match(create):
        raise RuntimeError(f"unexpected definition of {table}: {create[:80]}")
    body = header.sub(f"CREATE TABLE {copy} (", create, count=1)
    for column in id_columns:
        declared = re.compile(rf"((?<![\w\"])\"?{column}\"?\s+){re.escape(old_type)}(?=[\s,)])")
        body, found = declared.subn(rf"\g<1>{new_type}", body)
        if found != 1:
            raise RuntimeError(f"{table}.{column} is not declared {old_type}")
    return body
