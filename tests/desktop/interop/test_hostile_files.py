"""Files a tester throws at the importer (issue 15.4): each is read or refused in one
clear line, quickly, and changes nothing it should not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.errors import CallsheetError
from desktop.contact_book import ContactBook
from desktop.interop.calendar_items import read_calendar
from desktop.interop.files import plan_contacts
from desktop.interop.importer import CHUNK, OnDuplicate
from desktop.interop.table import read_raw

TODO = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VTODO\r\nUID:x-1@test\r\n"
    "SUMMARY:{summary}\r\n{extra}DUE:20261212T090000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
)


def test_a_property_given_twice_takes_the_first_instead_of_failing() -> None:
    extra = "PRIORITY:1\r\nPRIORITY:5\r\nDTSTART:20261210T090000Z\r\nDTSTART:20261211T090000Z\r\n"
    reading = read_calendar(TODO.format(summary="Twice", extra=extra).encode())
    assert reading.problems == []
    [item] = reading.items
    assert item.follow_up is not None
    assert item.follow_up.priority == "high" and item.follow_up.start is not None
    assert item.follow_up.start.day == 10


@pytest.mark.parametrize("encoding", ["shift_jis", "gb18030"])
def test_a_calendar_in_an_east_asian_encoding_is_read_as_what_it_is(encoding: str) -> None:
    summary = "山田さんに電話する" if encoding == "shift_jis" else "给王先生打电话确认报价"
    reading = read_calendar(TODO.format(summary=summary, extra="").encode(encoding))
    [item] = reading.items
    assert item.follow_up is not None and item.follow_up.regarding == summary


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_or_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(CallsheetError, match="not a plain file"):
        read_raw(Path("/dev/zero"))
    pipe = tmp_path / "calendar.ics"
    os.mkfifo(pipe)
    with pytest.raises(CallsheetError, match="not a plain file"):
        read_raw(pipe)  # opening a pipe nobody writes to would wait for ever
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "data"), "import",
         "/dev/zero", "--format", "ics"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1 and "not a plain file" in result.stderr


def import_labels(tmp_path: Path, rows: str) -> subprocess.CompletedProcess[str]:
    """`callsheet import` of a table of people with labels, into `tmp_path/data`."""
    sheet = tmp_path / "labels.csv"
    sheet.write_text("First Name,Last Name,Labels\n" + rows)
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "data"), "import",
         str(sheet)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def test_labels_that_differ_only_by_accents_are_one_group(tmp_path: Path) -> None:
    """Issue 15.4: "Café" and "Cafe" (one group name, as Callsheet compares them) aborted
    the whole import."""
    import_labels(tmp_path, "Maya,Lund,Café\nOla,Berg,Cafe\n")
    import sqlite3

    with sqlite3.connect(tmp_path / "data" / "callsheet.db") as conn:
        assert conn.execute("SELECT name FROM groups").fetchall() == [("Café",)]
        assert conn.execute("SELECT count(*) FROM group_members").fetchone() == (2,)


def test_an_oversized_photo_said_to_be_left_out_is_left_out() -> None:
    """Issue 15.4: a 3 MB PHOTO was reported "left out" and still stored, verbatim, in the
    lines kept for the next export."""
    import base64

    from desktop.interop.vcard import read_card

    photo = base64.b64encode(b"\xff\xd8\xff" + b"\x00" * 3_000_000).decode()
    row = read_card(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maya Lund\r\nN:Lund;Maya;;;\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}\r\nEND:VCARD\r\n"
    )
    assert row.draft is not None and row.photo is None
    assert not any(line.startswith("PHOTO") for line in row.vcard_extra)
    assert any("left out" in p.message for p in row.problems)


def test_an_overlong_label_is_left_out_not_the_whole_import(tmp_path: Path) -> None:
    """A 300-character label stopped the import at its first chunk ("Keep the group's
    name under 200 characters"), with nothing imported."""
    result = import_labels(tmp_path, "Maya,Lund,Ok\nOla,Berg," + "x" * 300 + "\n")
    assert "row 3, labels: the label “xxxx" in result.stdout
    assert "Imported: 2 created" in result.stdout


def failing_import(book: ContactBook, tmp_path: Path, rows: int, fail_after: int) -> None:
    """Import `rows` people, the run failing unexpectedly once `fail_after` have landed."""
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "First Name,Last Name\n" + "".join(f"P{n},Q{n}\n" for n in range(rows)), "utf-8"
    )
    plan, _ = plan_contacts(sheet, "csv", None, "NO")
    preview = book.import_preview(plan, OnDuplicate.MERGE)

    def progress(done: int, _total: int) -> None:
        if done >= fail_after:
            raise RuntimeError("the worker died")

    def cancelled() -> bool:
        if fail_after == 0:
            raise RuntimeError("the worker died")
        return False

    with pytest.raises(RuntimeError, match="the worker died"):
        book.import_contacts(preview, str(sheet), "csv", progress, cancelled)


def test_an_import_that_fails_before_anything_lands_leaves_no_empty_batch(
    book: ContactBook, tmp_path: Path
) -> None:
    failing_import(book, tmp_path, rows=3, fail_after=0)
    assert book.import_batches() == []
    assert book.count() == 0


def test_an_import_that_fails_halfway_can_still_be_taken_back(
    book: ContactBook, tmp_path: Path
) -> None:
    failing_import(book, tmp_path, rows=CHUNK + 10, fail_after=CHUNK)
    [batch] = book.import_batches()
    assert (batch.status, batch.created_count) == ("running", CHUNK)
    assert book.undo_import(batch.id) == CHUNK
    assert book.count() == 0
