"""Opening databases: migrations, refusals, and faults that never overwrite a file."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect

from db import migrations
from db.clock import FixedClock
from db.engine import HEAD_REVISION, Database, backup_copy, database_path, open_database
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


def test_backup_copies_a_consistent_database_aside(db: Database, clock: FixedClock) -> None:
    add_contact(db, "Maya", "Lund")
    copy = backup_copy(db.engine, db.path, HEAD_REVISION, clock.now())
    db.close()
    assert copy.name == f"callsheet.schema-{HEAD_REVISION}.20261123T090000Z.bak"
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


def test_upgrading_from_0001_backs_up_and_fills_the_follow_up_state(data_dir: Path) -> None:
    from alembic import command

    from db.models import Contact

    db = open_database(data_dir)
    maya = add_contact(db, "Maya", "Lund")
    command.downgrade(migrations.alembic_config(db.engine), "0001")
    db.close()
    hex_id = maya.hex
    with sqlite3.connect(database_path(data_dir)) as conn:
        stamp = "2026-11-20 09:00:00.000000"
        conn.execute(
            "INSERT INTO activities (id, kind, regarding, starts_at, time_zone, duration_minutes,"
            " all_day, priority, status, created_at, updated_at, rev) VALUES"
            " ('a1', 'call', 'Pricing', '2026-12-01 08:00:00.000000', 'UTC', 15, 0, 'normal',"
            " 'open', ?, ?, 1)",
            (stamp, stamp),
        )
        conn.execute("INSERT INTO activity_contacts VALUES ('a1', ?)", (hex_id,))
        conn.execute(
            "INSERT INTO history_entries (id, kind, occurred_at, duration_minutes, outcome,"
            " regarding, created_at, updated_at, rev) VALUES"
            " ('h1', 'call', ?, 5, 'completed', 'Intro', ?, ?, 1)",
            (stamp, stamp, stamp),
        )
        conn.execute("INSERT INTO history_contacts VALUES ('h1', ?)", (hex_id,))
    db = open_database(data_dir)
    with db.reading() as session:
        contact = session.get(Contact, maya)
        assert contact is not None
        assert contact.next_step_at is not None and contact.next_step_at.day == 1
        assert contact.last_contacted_at is not None and contact.last_contacted_at.day == 20
    db.close()
    assert list(data_dir.glob("callsheet.schema-0001.*.bak"))


def test_the_follow_up_state_is_backfilled_in_one_pass_not_one_probe_per_contact(
    data_dir: Path,
) -> None:
    """Issue 15.3: the 0001->0002 backfill ran a subquery per contact that scanned the
    link tables (63 s of CPU at 20,000 contacts). Each aggregate now runs once; its plan
    has no per-row (correlated) subquery. `python -m tests.bench migrations` times it."""
    import importlib

    from alembic import command

    backfill = importlib.import_module(
        "db.migrations.versions.0002_follow_up_state_and_activity_scheduling"
    )._BACKFILL
    db = open_database(data_dir)
    command.downgrade(migrations.alembic_config(db.engine), "0001")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE contacts ADD COLUMN last_contacted_at DATETIME")
        conn.exec_driver_sql("ALTER TABLE contacts ADD COLUMN next_step_at DATETIME")
        for statement in backfill:
            plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}")]
            assert not [step for step in plan if "CORRELATED" in step], plan
            assert any(step.startswith("SEARCH contacts USING") for step in plan), plan
    db.close()


def test_a_table_rebuilt_by_a_migration_keeps_its_children(data_dir: Path) -> None:
    """SQLite migrations rebuild tables by copy-and-drop; with foreign keys on, dropping
    the old table would cascade and silently delete every child row."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from db.activities import schedule
    from db.activity_values import ActivityDraft
    from db.migrations import migration_connection

    db = open_database(data_dir)
    maya = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        schedule(session, ActivityDraft(start=datetime(2026, 12, 1, 9), contact_ids=(maya,)))
    with migration_connection(db.engine) as connection:
        operations = Operations(MigrationContext.configure(connection))
        with operations.batch_alter_table("activities", recreate="always") as batch:
            batch.alter_column("regarding", existing_type=sa.String(500), nullable=False)
        connection.commit()
    with sqlite3.connect(db.path) as conn:
        assert conn.execute("SELECT count(*) FROM activity_contacts").fetchone() == (1,)
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)  # a fresh connection
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    db.close()


def test_the_file_as_upgrade_files_existing_contacts_by_family_name(data_dir: Path) -> None:
    """0008 recomputes the name order without honorifics and fills `file_as`."""
    from alembic import command

    db = open_database(data_dir)
    command.downgrade(migrations.alembic_config(db.engine), "0007")
    with sqlite3.connect(db.path) as conn:
        for n, (prefix, given, family, display) in enumerate(
            [("Dr.", "Maya", "Lund", "Dr. Maya Lund"), (None, "Ola", "Berg", "Ola Berg")]
        ):
            conn.execute(
                "INSERT INTO contacts (id, prefix, given_name, family_name, display_name, "
                "sort_name, custom_fields, created_at, updated_at, rev) "
                "VALUES (?, ?, ?, ?, ?, ?, '{}', '2026-12-01', '2026-12-01', 1)",
                (f"{n:032x}", prefix, given, family, display, display.lower()),
            )
    migrations.upgrade(db.engine)
    with sqlite3.connect(db.path) as conn:
        rows = conn.execute("SELECT sort_name, file_as FROM contacts ORDER BY id").fetchall()
    assert rows == [("maya lund", "lund maya"), ("ola berg", "berg ola")]
    db.close()


def _book_at(data_dir: Path, revision: str) -> None:
    """A book with one contact, taken back to `revision` (as an older Callsheet left it)."""
    from alembic import command

    db = open_database(data_dir)
    add_contact(db, "Maya", "Lund")
    command.downgrade(migrations.alembic_config(db.engine), revision)
    db.close()


def _open_killed_after(data_dir: Path, revision: str) -> None:
    """Open the book in another process that is SIGKILLed once `revision` is reached."""
    import subprocess
    import sys

    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from db import migrations\n"
        "from db.engine import open_database\n"
        "real = migrations.upgrade\n"
        "def killed(engine, revision='head'):\n"
        f"    real(engine, '{revision}')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "migrations.upgrade = killed\n"
        "open_database(Path(sys.argv[1]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(data_dir)], check=False)
    assert result.returncode == -9


def _revision(data_dir: Path) -> str:
    with sqlite3.connect(database_path(data_dir)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_an_upgrade_that_fails_halfway_leaves_the_book_as_it_was(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15.1: steps used to commit one by one, and the retry then failed for good
    ("duplicate column name"). Now a copy is upgraded and swapped in only when done."""
    _book_at(data_dir, "0001")
    real_upgrade = migrations.upgrade

    def halfway(engine: sa.Engine, revision: str = "head") -> None:
        real_upgrade(engine, "0004")
        raise OSError("the power went")

    monkeypatch.setattr(migrations, "upgrade", halfway)
    for _attempt in range(3):
        with pytest.raises(OSError):
            open_database(data_dir)
        assert _revision(data_dir) == "0001"
    monkeypatch.setattr(migrations, "upgrade", real_upgrade)
    db = open_database(data_dir)
    assert db.engine.connect().exec_driver_sql("SELECT display_name FROM contacts").all() == [
        ("Maya Lund",)
    ]
    db.close()
    assert _revision(data_dir) == HEAD_REVISION
    assert len(list(data_dir.glob("callsheet.schema-0001.*.bak"))) == 1  # not one per retry
    assert not list(data_dir.glob("*.upgrading*"))


def test_an_upgrade_killed_with_sigkill_opens_on_the_next_try(data_dir: Path) -> None:
    _book_at(data_dir, "0001")
    _open_killed_after(data_dir, "0005")
    assert _revision(data_dir) == "0001"
    db = open_database(data_dir)
    assert db.engine.connect().exec_driver_sql("SELECT count(*) FROM contacts").scalar() == 1
    db.close()


def test_a_first_open_killed_halfway_leaves_nothing_that_blocks_the_next(data_dir: Path) -> None:
    _open_killed_after(data_dir, "0003")
    assert not database_path(data_dir).exists()  # no half-made book in its place
    db = open_database(data_dir)
    add_contact(db, "Maya", "Lund")
    db.close()
    assert _revision(data_dir) == HEAD_REVISION


def test_a_zero_byte_book_is_refused_not_started_afresh(data_dir: Path) -> None:
    from db.errors import EmptyDatabaseError

    data_dir.mkdir(parents=True, exist_ok=True)
    database_path(data_dir).write_bytes(b"")
    with pytest.raises(EmptyDatabaseError, match="empty"):
        open_database(data_dir)
    assert database_path(data_dir).stat().st_size == 0
