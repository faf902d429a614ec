"""A full disk (issue 15.6): one line says so, and finding and exporting to another
disk keep working until space is freed."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import logs
from desktop.contact_book import ContactBook
from tests.factories import add_contact

DISK_BYTES = 6 << 20


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB file system of its own (tmpfs), so filling it fills nothing else."""
    if shutil.which("mount") is None:
        pytest.skip("needs mount(8)")
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(mountpoint)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_on_a_full_disk_reads_work_and_writes_say_so_in_one_line(
    small_disk: Path, tmp_path: Path
) -> None:
    data = small_disk / "data"
    book = ContactBook.open(data)
    for n in range(200):
        add_contact(book, f"Given{n}", f"Family{n}", emails=(f"p{n}@example.com",))
    book.close()
    filler = fill(small_disk)

    for writing in (("seed", "--count", "5"), ("import", str(tmp_path / "none.vcf"))):
        refused = cli(data, *writing)
        assert refused.returncode == 1
        assert refused.stderr.count("\n") == 1, refused.stderr
    assert "the disk is full" in cli(data, "seed", "--count", "5").stderr

    found = cli(data, "find", "Family7", "--limit", "1")
    assert found.returncode == 0 and found.stdout.startswith("Given7 Family7"), found.stderr
    exported = cli(data, "export", "--format", "csv", "--out", str(tmp_path / "all.csv"))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("Exported 200 contacts")

    filler.unlink()
    assert cli(data, "seed", "--count", "5", "--seed", "1").returncode == 0
    book = ContactBook.open(data)
    try:
        assert book.count() == 205
    finally:
        book.close()


def test_a_log_file_that_cannot_be_written_stays_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    (tmp_path / logs.LOG_FILENAME).symlink_to("/dev/full")  # every write: no space left
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert logs.configure(tmp_path) is not None
        logging.getLogger("test").exception("a traceback nobody can store")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    assert capsys.readouterr().err == ""
