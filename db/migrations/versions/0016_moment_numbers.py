"""Moments as whole microseconds since 1970 instead of 26 characters of text (issue 17):
a contact carries two to five of them and the list sorts by three, about 90 bytes a
contact at a million. Each table holding moments is rebuilt with the same definition
but BIGINT for those columns, its rows copied in order with the values converted, then
its indexes and triggers made again (as 0015 did for ids). Other databases keep their
own timestamp type.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 06:00:00
"""

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from alembic import op
from sqlalchemy import Connection

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "companies": ("created_at", "updated_at", "deleted_at"),
    "groups": ("created_at", "updated_at", "deleted_at"),
    "contacts": ("created_at", "updated_at", "deleted_at", "last_contacted_at", "next_step_at"),
    "activities": (
        "starts_at", "created_at", "updated_at", "deleted_at", "alarm_at", "series_start",
        "completed_at",
    ),
    "history_entries": ("occurred_at", "created_at", "updated_at", "deleted_at"),
    "notes": ("created_at", "updated_at", "deleted_at"),
    "social_profiles": ("fetched_at", "created_at", "updated_at", "deleted_at", "gone_at"),
    "import_batches": ("started_at",),
    "merges": ("merged_at",),
    "change_journal": ("changed_at",),
    "sync_accounts": ("created_at", "last_synced_at"),
    "sync_conflicts": ("detected_at", "restored_at"),
}  # fmt: skip
_AS_TEXT = "DATETIME"
_AS_NUMBER = "BIGINT"
_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
        "moment_number", 1, _number, deterministic=True
    )
    _rebuild_all(conn, _AS_TEXT, _AS_NUMBER, "moment_number({})")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
        "moment_text", 1, _text, deterministic=True
    )
    _rebuild_all(conn, _AS_NUMBER, _AS_TEXT, "moment_text({})")


def _number(value: object) -> object:
    """A moment stored as naive UTC text, as microseconds since 1970."""
    if isinstance(value, str):
        return (datetime.fromisoformat(value).replace(tzinfo=None) - _EPOCH) // _MICROSECOND
    return value


def _text(value: object) -> object:
    """Microseconds since 1970, as the naive UTC text stored before."""
    if isinstance(value, int):
        return (_EPOCH + timedelta(microseconds=value)).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _rebuild_all(conn: Connection, old_type: str, new_type: str, convert: str) -> None:
    # Renaming the copy into place must not check or rewrite triggers on other tables
    # that name a table dropped a moment earlier.
    conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        for table, columns in MOMENT_COLUMNS.items():
            _rebuild(conn, table, columns, old_type, new_type, convert)
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table=OFF")


def _rebuild(
    conn: Connection,
    table: str,
    retyped: tuple[str, ...],
    old_type: str,
    new_type: str,
    convert: str,
) -> None:
    """Copy `table` into one whose `retyped` are declared `new_type`, their values
    passed through `convert`, and put it in the old one's place."""
    schema = conn.exec_driver_sql(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).all()
    create = next(sql for kind, sql in schema if kind == "table")
    others = [sql for kind, sql in schema if kind in ("index", "trigger")]
    columns = [row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')]
    copy = f"{table}__copy"
    conn.exec_driver_sql(_retyped(create, table, copy, retyped, old_type, new_type))
    values = ", ".join(convert.format(c) if c in retyped else c for c in columns)
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
    retyped: tuple[str, ...],
    old_type: str,
    new_type: str,
) -> str:
    """`create` for a table named `copy` with `retyped` declared `new_type`."""
    header = re.compile(rf'^CREATE TABLE "?{re.escape(table)}"?\s*\(')
    if not header.match(create):
        raise RuntimeError(f"unexpected definition of {table}: {create[:80]}")
    body = header.sub(f"CREATE TABLE {copy} (", create, count=1)
    for column in retyped:
        declared = re.compile(rf"((?<![\w\"])\"?{column}\"?\s+){re.escape(old_type)}(?=[\s,)])")
        body, found = declared.subn(rf"\g<1>{new_type}", body)
        if found != 1:
            raise RuntimeError(f"{table}.{column} is not declared {old_type}")
    return body
