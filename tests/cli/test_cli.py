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


def callsheet(
    *args: str, data_dir: Path | None = None, without_root_powers: bool = False
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
        env=os.environ.copy(),
        cwd=Path(__file__).parents[2],
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
        (email,) = conn.execute("SELECT primary_email FROM contacts LIMIT 1").fetchone()
    found = callsheet("find", email.split("@")[0], data_dir=data_dir)
    assert found.returncode == 0
    assert email in found.stdout


def test_the_same_seed_gives_the_same_people(tmp_path: Path) -> None:
    def people(folder: Path) -> list[tuple[str, ...]]:
        callsheet("seed", "--count", "40", "--seed", "11", data_dir=folder)
        with sqlite3.connect(folder / "callsheet.db") as conn:
            return conn.execute(
                "SELECT display_name, company_name, primary_phone FROM contacts "
                "ORDER BY display_name, primary_phone"
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
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    line = assert_one_clear_line(result, 1)
    assert "no display" in line
