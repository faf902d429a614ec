"""The `callsheet` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from tests.locations import FIXTURES, ROOT


def callsheet(
    *args: str,
    data_dir: Path | None = None,
    without_root_powers: bool = False,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "desktop"]
    if without_root_powers:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        env=os.environ.copy() if env is None else env,
        cwd=ROOT,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_version_names_the_release() -> None:
    result = callsheet("--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"callsheet {__version__} (")


def test_seed_then_find_prints_one_json_object_per_line(data_dir: Path) -> None:
    seeded = callsheet("seed", "--count", "300", "--seed", "7", data_dir=data_dir)
    assert seeded.returncode == 0, seeded.stderr
    assert "Added 300 demo contacts" in seeded.stdout
    with sqlite3.connect(data_dir / "callsheet.db") as conn:
        (name,) = conn.execute(
            "SELECT given_name FROM contacts ORDER BY sort_name LIMIT 1"
        ).fetchone()
    found = callsheet("find", name, "--limit", "5", "--json", data_dir=data_dir)
    assert found.returncode == 0, found.stderr
    records = [json.loads(line) for line in found.stdout.splitlines()]
    assert 1 <= len(records) <= 5
    assert {"id", "display_name", "company", "email", "phone"} <= set(records[0])
    assert all(name.lower() in json.dumps(r, ensure_ascii=False).lower() for r in records)


def test_find_without_json_prints_readable_lines(data_dir: Path) -> None:
    callsheet("seed", "--count", "50", "--seed", "1", data_dir=data_dir)
    with sqlite3.connect(data_dir / "callsheet.db") as conn:
        (email,) = conn.execute(
            "SELECT address FROM contact_emails WHERE is_primary LIMIT 1"
        ).fetchone()
    found = callsheet("find", email.split("@")[0], data_dir=data_dir)
    assert found.returncode == 0
    assert email in found.stdout


def test_find_says_on_stderr_when_nothing_matches_or_more_than_it_shows(
    data_dir: Path,
) -> None:
    callsheet("seed", "--count", "30", "--seed", "3", data_dir=data_dir)
    nothing = callsheet("find", "zzqxv", "--json", data_dir=data_dir)
    assert nothing.returncode == 0 and nothing.stdout == ""
    assert "no contact matches “zzqxv”" in nothing.stderr
    # every demo address is at a domain under .example: all of them match
    capped = callsheet("find", "example", "--limit", "1", "--json", data_dir=data_dir)
    assert capped.returncode == 0 and len(capped.stdout.splitlines()) == 1
    assert "the first 1 matches; more match (--limit N shows more)" in capped.stderr


def test_the_same_seed_gives_the_same_people(tmp_path: Path) -> None:
    def people(folder: Path) -> list[tuple[str, ...]]:
        callsheet("seed", "--count", "40", "--seed", "11", data_dir=folder)
        with sqlite3.connect(folder / "callsheet.db") as conn:
            return conn.execute(
                "SELECT display_name, company_name, number FROM contacts c "
                "LEFT JOIN contact_phones p ON p.contact_num = c.num "
                "ORDER BY display_name, number"
            ).fetchall()

    assert people(tmp_path / "a") == people(tmp_path / "b")


@pytest.mark.parametrize(
    "args",
    [
        ("find",),
        ("seed",),
        ("seed", "--count", "0"),
        ("seed", "--count", "many"),
        ("find", "x", "--limit", "-3"),
        ("find", ""),
        ("find", "   "),
        ("frobnicate",),
        ("--no-such-option",),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], data_dir: Path) -> None:
    result = callsheet(*args, data_dir=data_dir)
    assert result.returncode == 2
    assert "usage: callsheet" in result.stderr
    assert "Traceback" not in result.stderr


def test_find_without_a_database_says_how_to_make_one(tmp_path: Path) -> None:
    line = assert_one_clear_line(callsheet("find", "maya", data_dir=tmp_path / "none"), 1)
    assert str(tmp_path / "none" / "callsheet.db") in line
    assert "callsheet seed" in line
    assert not (tmp_path / "none").exists()


def test_a_damaged_database_is_named_and_left_alone(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "callsheet.db"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(5000))
    line = assert_one_clear_line(callsheet("find", "maya", data_dir=data_dir), 1)
    assert str(path) in line and "not a Callsheet database" in line
    assert path.read_bytes() == b"\x89PNG\r\n\x1a\n" + bytes(5000)


def test_a_newer_database_is_refused(data_dir: Path) -> None:
    callsheet("seed", "--count", "5", data_dir=data_dir)
    with sqlite3.connect(data_dir / "callsheet.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    line = assert_one_clear_line(callsheet("find", "a", data_dir=data_dir), 1)
    assert "newer Callsheet" in line


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_read_only_data_directory_is_reported(tmp_path: Path) -> None:
    """Root ignores permissions, so as root the command runs without that power."""
    as_root = os.getuid() == 0
    if as_root and shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop root's file powers")
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = callsheet("seed", "--count", "1", data_dir=folder, without_root_powers=as_root)
        line = assert_one_clear_line(result, 1)
        assert "cannot be written" in line and str(folder) in line
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_read_only_database_file_can_be_searched_but_not_changed(data_dir: Path) -> None:
    as_root = os.getuid() == 0
    if as_root and shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop root's file powers")
    callsheet("seed", "--count", "20", "--seed", "3", data_dir=data_dir)
    database = data_dir / "callsheet.db"
    with sqlite3.connect(database) as conn:
        (name,) = conn.execute("SELECT given_name FROM contacts LIMIT 1").fetchone()
    before = database.read_bytes()
    database.chmod(0o444)
    try:
        seeded = callsheet("seed", "--count", "1", data_dir=data_dir, without_root_powers=as_root)
        line = assert_one_clear_line(seeded, 1)
        assert "cannot be written" in line and str(database) in line
        found = callsheet("find", name, "--json", data_dir=data_dir, without_root_powers=as_root)
        assert found.returncode == 0, found.stderr
        assert name in found.stdout
        assert database.read_bytes() == before
    finally:
        database.chmod(0o644)


def test_opening_the_app_without_a_display_says_so(data_dir: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    line = assert_one_clear_line(callsheet(data_dir=data_dir, env=env), 1)
    assert "no display" in line


def test_selftest_opens_the_window_adds_and_finds_a_contact(data_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = callsheet("selftest", data_dir=data_dir, env=env)
    assert result.returncode == 0, result.stderr
    assert "Selftest passed" in result.stdout
    with sqlite3.connect(data_dir / "callsheet.db") as conn:
        names = conn.execute("SELECT given_name, family_name FROM contacts").fetchall()
    assert names == [("Selftest", "Callsheet")]


def test_agenda_lists_overdue_first_then_by_due_time(data_dir: Path) -> None:
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from db import activities
    from db.activity_values import ActivityDraft
    from db.engine import open_database
    from tests.factories import add_contact

    oslo = ZoneInfo("Europe/Oslo")
    now = datetime.now(oslo).replace(second=0, microsecond=0, tzinfo=None)
    db = open_database(data_dir)
    maya, ola = add_contact(db, "Maya", "Lund"), add_contact(db, "Ola", "Nordmann")
    plan = [
        ("Send pilot pricing", now + timedelta(days=2), (maya, ola)),
        ("Missed call", now - timedelta(days=3), (maya,)),
        ("Far away", now + timedelta(days=40), (ola,)),
        ("Soon", now + timedelta(hours=1), (ola,)),
    ]
    with db.transaction() as session:
        for regarding, start, people in plan:
            draft = ActivityDraft(
                regarding=regarding, start=start, time_zone="Europe/Oslo", contact_ids=people
            )
            activities.schedule(session, draft)
    db.close()
    os.environ["TZ"] = "Europe/Oslo"
    try:
        listed = callsheet("agenda", "--json", data_dir=data_dir)
        overdue = callsheet("agenda", "--overdue", data_dir=data_dir)
        wrong = callsheet("agenda", "--days", "-1", data_dir=data_dir)
    finally:
        del os.environ["TZ"]
    assert listed.returncode == 0, listed.stderr
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["regarding"] for r in records] == ["Missed call", "Soon", "Send pilot pricing"]
    assert [r["overdue"] for r in records] == [True, False, False]
    assert records[2]["contacts"] == ["Maya Lund", "Ola Nordmann"]
    due = datetime.fromisoformat(records[0]["due"])
    assert due.utcoffset() == (now - timedelta(days=3)).replace(tzinfo=oslo).utcoffset()
    assert due.astimezone(UTC) == (now - timedelta(days=3)).replace(tzinfo=oslo).astimezone(UTC)
    assert {"id", "kind", "regarding", "due", "contacts", "overdue"} <= set(records[0])
    assert overdue.returncode == 0
    assert overdue.stdout.startswith("OVERDUE ") and overdue.stdout.count("\n") == 1
    assert "Missed call" in overdue.stdout
    assert wrong.returncode == 2 and "expected 0 or more, got -1" in wrong.stderr


def test_agenda_on_a_missing_database_says_so(data_dir: Path) -> None:
    result = callsheet("agenda", data_dir=data_dir / "nowhere")
    assert "nowhere" in assert_one_clear_line(result, 1)


def test_a_reader_that_stops_early_is_not_an_error(data_dir: Path) -> None:
    # Enough lines to overflow the pipe buffer (64 kB) after the reader has gone.
    assert callsheet("seed", "--count", "8000", "--seed", "2", data_dir=data_dir).returncode == 0
    command = [
        sys.executable,
        "-m",
        "desktop",
        "--data-dir",
        str(data_dir),
        "agenda",
        "--days",
        "60",
        "--limit",
        "100000",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    assert process.wait(timeout=60) == 0
    assert first and process.stderr.read() == ""
    process.stderr.close()


def test_a_missing_display_plugin_is_said_in_one_line(data_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "nosuchscreen"}
    line = assert_one_clear_line(callsheet(data_dir=data_dir, env=env), 1)
    assert "'nosuchscreen' display plugin is missing" in line and "reinstall" in line


def test_import_names_the_columns_it_will_not_import(data_dir: Path) -> None:
    legacy = FIXTURES / "import" / "google_legacy_contacts.csv"
    result = callsheet("import", str(legacy), "--preset", "google", "--dry-run", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "(Google Contacts CSV, utf-8); 2 to create" in result.stdout
    assert "Not imported (no field takes them): Gender, Occupation." in result.stdout


def test_import_previews_then_imports_a_google_export(data_dir: Path, tmp_path: Path) -> None:
    sample = FIXTURES / "import" / "google_contacts.csv"
    preview = callsheet("import", str(sample), "--dry-run", data_dir=data_dir)
    assert preview.returncode == 0, preview.stderr
    assert "3 to create, 0 to update, 0 to merge, 0 to skip, 0 with problems" in preview.stdout
    assert "row 4, E-mail 1 - Value: “not-an-email” is not an email address" in preview.stdout
    assert "kept in “Email as imported”" in preview.stdout
    assert not (data_dir / "callsheet.db").exists()  # a dry run changes nothing
    done = callsheet("import", str(sample), data_dir=data_dir)
    assert done.returncode == 0 and "Imported: 3 created" in done.stdout
    again = callsheet("import", str(sample), data_dir=data_dir)
    assert "0 to create, 0 to update, 0 to merge, 3 to skip" in again.stdout
    found = callsheet("find", "fjordline", "--json", data_dir=data_dir)
    assert '"display_name": "Maya Lund"' in found.stdout
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "is empty" in assert_one_clear_line(
        callsheet("import", str(empty), data_dir=data_dir), 1
    )


def test_a_relative_data_dir_works_once_the_book_exists(tmp_path: Path) -> None:
    """Issue 15.8: `--data-dir book` broke every command once callsheet.db existed."""
    command = [sys.executable, "-m", "desktop", "--data-dir", "book"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (["seed", "--count", "5", "--seed", "1"], ["find", "a"], ["agenda"]):
        result = subprocess.run(
            [*command, *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
        )
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "book" / "callsheet.db").exists()


def test_export_works_on_a_read_only_book(data_dir: Path, tmp_path: Path) -> None:
    as_root = os.getuid() == 0
    if as_root and shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop root's file powers")
    callsheet("seed", "--count", "10", "--seed", "3", data_dir=data_dir)
    database = data_dir / "callsheet.db"
    database.chmod(0o444)
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o777)
    try:
        exported = callsheet(
            "export", "--format", "csv", "--out", str(out / "all.csv"),
            data_dir=data_dir, without_root_powers=as_root,
        )  # fmt: skip
        assert exported.returncode == 0, exported.stderr
        assert "Exported 10 contacts" in exported.stdout
    finally:
        database.chmod(0o644)
