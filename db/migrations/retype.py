"""Table rebuilds shared by migrations: one that changes the declared type of some
columns (0015, ids as bytes; 0016, moments as numbers) and one that lays a table out by
its primary key or by rowid (0017). Migrations that use them must keep behaving as they
did when written: change this module only by adding new functions.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection


def retype_columns(
    conn: Connection,
    columns_by_table: dict[str, tuple[str, ...]],
    old_type: str,
    new_type: str,
    convert: str,
) -> None:
    """Rebuild each table so that its listed columns are declared `new_type` (they were
    `old_type`), their values passed through the SQL `convert` ("{}" is the column),
    rows copied in order, indexes and triggers made again. Foreign keys are off while
    migrations run (`db.migrations.migration_connection`) and checked after."""
    # Renaming the copy into place must not check or rewrite triggers on other tables
    # that name a table dropped a moment earlier.
    conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        for table, columns in columns_by_table.items():
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


def set_rowid_tables(conn: Connection, tables: tuple[str, ...], *, with_rowid: bool) -> None:
    """Rebuild each table as a rowid table or a WITHOUT ROWID one (laid out by its primary
    key, which then needs no index of its own), same columns, rows copied in key order,
    indexes and triggers made again. The tables' rowids are not kept: nothing may refer
    to them."""
    conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        for table in tables:
            create, others = table_definition(conn, table)
            key = [
                row[1]
                for row in sorted(
                    conn.exec_driver_sql(f'PRAGMA table_info("{table}")'), key=lambda row: row[5]
                )
                if row[5]
            ]
            copy = f"{table}__copy"
            body = re.sub(r"\)\s*WITHOUT ROWID\s*$", ")", create.rstrip(), flags=re.IGNORECASE)
            header = re.compile(rf'^CREATE TABLE "?{re.escape(table)}"?\s*\(')
            if not header.match(body) or not key:
                raise RuntimeError(f"unexpected definition of {table}: {create[:80]}")
            body = header.sub(f"CREATE TABLE {copy} (", body, count=1)
            conn.exec_driver_sql(body if with_rowid else f"{body} WITHOUT ROWID")
            conn.exec_driver_sql(
                f'INSERT INTO {copy} SELECT * FROM "{table}" ORDER BY {", ".join(key)}'
            )
            conn.exec_driver_sql(f'DROP TABLE "{table}"')
            conn.exec_driver_sql(f'ALTER TABLE {copy} RENAME TO "{table}"')
            for sql in others:
                conn.exec_driver_sql(sql)
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table=OFF")


def table_definition(conn: Connection, table: str) -> tuple[str, list[str]]:
    """The CREATE statement of `table`, and those of its indexes and triggers."""
    schema = conn.exec_driver_sql(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL", (table,)
    ).all()
    create = next(sql for kind, sql in schema if kind == "table")
    return create, [sql for kind, sql in schema if kind in ("index", "trigger")]
