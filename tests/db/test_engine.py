"""Opening databases: migrations, refusals, and faults that never overwrite a file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from db import migrations
from db.engine import HEAD_REVISION, backup_copy, database_path, open_database
from db.errors import (
    DatabaseLockedError,
    DataDirectoryError,
    MissingDatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
)
from tests.factories import add_contact


def test_a_new_database_is_migrated_to_head(data_dir: Path) -> None:
    db = open_database(data_dir)
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "contacts",
        "companies",
        "groups",
        "group_members",
        "notes",
        "social_profiles",
        "activities",
        "history_entries",
        "change_journal",
        "contact_lookup",
        "alembic_version",
    } <= tables
    with sqlite3.connect(db.path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,
        )
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()


def test_the_code_knows_the_newest_migration() -> None:
    assert migrations.head_revision() == HEAD_REVISION


def test_the_connection_enforces_foreign_keys(data_dir: Path) -> None:
    db = open_database(data_dir)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    db.close()


def test_a_file_that_is_not_a_database_is_refused_untouched(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = database_path(data_dir)
    path.write_bytes(b"My shopping list\n" * 200)
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError) as caught:
        open_database(data_dir)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


def test_a_sqlite_file_from_another_program_is_refused_untouched(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = database_path(data_dir)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError):
        open_database(data_dir)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir: Path) -> None:
    open_database(data_dir).close()
    path = database_path(data_dir)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer Callsheet"):
        open_database(data_dir)
    assert path.read_bytes() == before


def test_a_missing_database_is_reported_when_not_creating(data_dir: Path) -> None:
    with pytest.raises(MissingDatabaseError):
        open_database(data_dir, create=False)
    assert not data_dir.exists()


def test_a_data_directory_that_is_a_file_is_reported(data_dir: Path) -> None:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("not a folder")
    with pytest.raises(DataDirectoryError, match="not a folder"):
        open_database(data_dir)


def test_a_locked_database_gives_a_clear_error(data_dir: Path) -> None:
    open_database(data_dir).close()
    db = open_database(data_dir, busy_timeout_ms=100)
    holder = sqlite3.connect(database_path(data_dir))
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="locked by another program"):
            add_contact(db, "Maya", "Lund")
    finally:
        holder.rollback()
        holder.close()
    add_contact(db, "Maya", "Lund")
    db.close()


def test_backup_copies_a_consistent_database_aside(data_dir: Path) -> None:
    db = open_database(data_dir)
    add_contact(db, "Maya", "Lund")
    copy = backup_copy(db.engine, db.path, HEAD_REVISION)
    db.close()
    assert copy.name.startswith(f"callsheet.schema-{HEAD_REVISION}.")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT display_name FROM contacts").fetchall() == [("Maya Lund",)]


def test_downgrade_and_upgrade_round_trip(data_dir: Path) -> None:
    db = open_database(data_dir)
    from alembic import command

    command.downgrade(migrations.alembic_config(db.engine), "base")
    assert "contacts" not in inspect(db.engine).get_table_names()
    migrations.upgrade(db.engine)
    assert "contacts" in inspect(db.engine).get_table_names()
    db.close()


def test_the_migrations_build_exactly_the_schema_the_models_describe(data_dir: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.migrations.env_filters import include_object
    from db.models import Base

    db = open_database(data_dir)
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []
    db.close()
