"""Export, then import into an empty database: the same contacts, field for field."""

from __future__ import annotations

import base64
import dataclasses
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from db import activities, contacts, exports, groups, history, social_profiles
from db.activity_values import ActivityDraft
from db.contact_values import AddressValue, ContactDraft, EmailValue, PhoneValue, UrlValue
from db.engine import Database, open_database
from db.models import Contact
from db.recurrence import Recurrence
from desktop.cli import main
from desktop.interop import importer
from desktop.interop.export import write_export
from desktop.interop.files import plan_contacts

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _imported_into_empty_book(export: Path, folder: Path) -> list:
    """`callsheet import` of `export` into a new database, and what it then holds."""
    assert main(["--data-dir", str(folder), "import", str(export)]) == 0
    copy = open_database(folder)
    try:
        return _book(copy)
    finally:
        copy.close()


def _rich_book(db: Database) -> None:
    with db.transaction() as session:
        vip = groups.create_group(session, "VIP, Nordics; 2026")
        referrer = contacts.create_contact(
            session, ContactDraft(given_name="Ola", family_name="Nordmann")
        )
        maya = contacts.create_contact(
            session,
            ContactDraft(
                prefix="Dr.",
                given_name="Maya",
                middle_name="K.",
                family_name="Lund-Øster",
                suffix="PhD",
                nickname="May, the buyer",
                title="Head of Purchasing",
                department="Purchasing; EMEA",
                company="Fjordline Logistics AS",
                birthday=date(1604, 2, 29),
                background="Met at Nor-Shipping.\nWants pilot\\pricing; soon",
                owner="Kari",
                custom_fields={"Account no.": "A-113", "Tier": "gold, top"},
                emails=(
                    EmailValue("maya@fjordline.example", "work"),
                    EmailValue("maya.lund@gmail.com", "home", True),
                ),
                phones=(
                    PhoneValue("912 34 567", "mobile", True),
                    PhoneValue("+47 55 12 34 56", "work"),
                    PhoneValue("+47 55 12 34 57", "switchboard"),
                ),
                addresses=(
                    AddressValue("Strandkaien 2\nc/o Dock 4", "Bergen", "Vestland", "5013", "NO"),
                    AddressValue("Box 12", "Oslo", "", "0150", "NO", "home", True),
                ),
                urls=(
                    UrlValue("https://fjordline.example", "work"),
                    UrlValue("https://blog.example", "blog"),
                ),
                group_ids=(vip,),
                default_region="NO",
                referred_by_id=referrer,
            ),
        )
        social_profiles.add_profile(
            session, maya, "github", "mayalund", "https://github.com/mayalund"
        )
        row = session.get(Contact, maya)
        row.photo = PNG
        row.vcard_extra = [
            "X-PHONETIC-LAST-NAME:Lund",
            "item9.X-ABDATE:2020-06-01",
            "item9.X-ABLabel:anniversary",
        ]
        contacts.create_contact(session, ContactDraft(display_name="Reception 日本"))


def _book(db: Database) -> list[tuple]:
    with db.reading() as session:
        ids = exports.export_ids(session)
        out = []
        for c in exports.load_contacts(session, ids):
            details = dataclasses.replace(
                c.details, created_at=None, updated_at=None, rev=0, company_id=None,
                groups=tuple(g.name for g in c.details.groups),
            )  # fmt: skip
            out.append((details, c.photo, c.vcard_extra, c.profiles))
        return out


def _by_id(record: tuple) -> str:
    return str(record[0].id)


@pytest.mark.parametrize(
    ("format", "extra"),
    [("vcf", []), ("vcf", ["--vcard-version", "3.0"]), ("csv", [])],
)
def test_export_then_import_gives_back_the_same_contacts(
    db: Database, tmp_path: Path, format: str, extra: list[str]
) -> None:
    _rich_book(db)
    before = _book(db)
    out = tmp_path / f"book.{format}"
    assert (
        main(
            [
                "--data-dir",
                str(db.path.parent),
                "export",
                "--format",
                format,
                "--out",
                str(out),
                *extra,
            ]
        )
        == 0
    )
    after = _imported_into_empty_book(out, tmp_path / "fresh")
    if format == "csv":  # a spreadsheet carries no photo and no vCard-only lines
        before = [(d, None, (), p) for d, _photo, _extra, p in before]
    assert sorted(after, key=_by_id) == sorted(before, key=_by_id)


@pytest.mark.parametrize("format", ["vcf", "csv"])
def test_a_second_import_of_the_same_file_changes_nothing(
    db: Database, tmp_path: Path, format: str
) -> None:
    _rich_book(db)
    out = tmp_path / f"book.{format}"
    main(["--data-dir", str(db.path.parent), "export", "--format", format, "--out", str(out)])
    before = _book(db)
    plan, _ = plan_contacts(out, format, None, "NO")
    with db.reading() as session:
        preview = importer.preview(session, plan, importer.OnDuplicate.MERGE)
    assert [(s.action, s.reason.endswith(" already has all of it")) for s in preview.steps] == [
        (importer.Action.SKIP, True)
    ] * len(before)
    assert main(["--data-dir", str(db.path.parent), "import", str(out)]) == 0
    assert _book(db) == before


def test_follow_ups_and_history_round_trip_through_icalendar(db: Database, tmp_path: Path) -> None:
    _rich_book(db)
    with db.transaction() as session:
        maya = next(c.id for c in session.query(Contact) if c.given_name == "Maya")
        activities.schedule(session, ActivityDraft(
            kind="meeting", regarding="Pilot review", start=datetime(2030, 3, 4, 9, 30),
            end=datetime(2030, 3, 4, 10, 15), time_zone="Europe/Oslo", priority="high",
            alarm_minutes=15, repeat=Recurrence(frequency="weekly", interval=2),
            contact_ids=(maya,),
        ))  # fmt: skip
        activities.schedule(session, ActivityDraft(
            kind="to-do", regarding="Send pricing", start=datetime(2030, 3, 6), timing="timeless",
            time_zone="Europe/Oslo", contact_ids=(maya,),
        ))  # fmt: skip
        history.record_history(
            session, [maya], kind="call", occurred_at=datetime(2026, 11, 2, 10, 5, tzinfo=UTC),
            regarding="Intro", outcome="left message", duration_minutes=4, notes="Call back Tue",
        )  # fmt: skip
    data = str(db.path.parent)
    cards, calendar = tmp_path / "book.vcf", tmp_path / "book.ics"
    main(["--data-dir", data, "export", "--format", "vcf", "--out", str(cards)])
    main(["--data-dir", data, "export", "--format", "ics", "--out", str(calendar)])
    fresh = tmp_path / "fresh"
    main(["--data-dir", str(fresh), "import", str(cards)])
    assert main(["--data-dir", str(fresh), "import", str(calendar)]) == 0

    def follow_ups(database: Database) -> tuple[list, list]:
        with database.reading() as session:
            todo = sorted(
                (activities.get(session, a.id).draft for a in session.query(activities.Activity)),
                key=lambda d: d.regarding,
            )
            logged = [dataclasses.replace(h, id=None) for h in history.history_for(session, maya)]
            return todo, logged

    copy = open_database(fresh)
    try:
        assert follow_ups(copy) == follow_ups(db)
    finally:
        copy.close()


def test_a_csv_export_runs_no_formula_and_still_round_trips(db: Database, tmp_path: Path) -> None:
    """A name, note or field a spreadsheet would run as a formula is written as text
    (an apostrophe in front); phone numbers stay numbers; the import reads the values back."""
    import csv

    with db.transaction() as session:
        contacts.create_contact(
            session,
            ContactDraft(
                given_name='=HYPERLINK("https://evil.example","click")',
                family_name="@SUM(A1)",
                title="-2+3",  # arithmetic: guarded too
                department="|calc.exe",  # a DDE call
                background="+cmd|' /C calc'!A0",
                phones=(PhoneValue("+47 912 34 567"),),
                default_region="NO",
            ),
        )
    before = _book(db)
    out = tmp_path / "book.csv"
    assert (
        main(["--data-dir", str(db.path.parent), "export", "--format", "csv", "--out", str(out)])
        == 0
    )
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header, row = list(csv.reader(handle))
    cell = dict(zip(header, row, strict=True))
    assert cell["First Name"].startswith("'=HYPERLINK")
    assert cell["Last Name"] == "'@SUM(A1)"
    assert cell["Notes"].startswith("'+cmd")
    assert cell["Organization Title"] == "'-2+3"
    assert cell["Organization Department"] == "'|calc.exe"
    assert cell["Phone 1 - Value"] == "+47 912 34 567"
    after = _imported_into_empty_book(out, tmp_path / "fresh")
    assert [(d, p) for d, _photo, _extra, p in after] == [(d, p) for d, _photo, _extra, p in before]


def test_another_apps_uid_is_written_back_as_it_was(db: Database, tmp_path: Path) -> None:
    """A sync server knows a card by its UID: one that is not a UUID (Google's, an old
    phone's) is exported exactly as imported, and importing the export again finds the
    same contact."""
    card = tmp_path / "google.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:4f9a1c2e8b0d@google.com\r\nFN:Maya Lund\r\n"
        "N:Lund;Maya;;;\r\nEMAIL:maya@fjordline.example\r\nEND:VCARD\r\n"
    )
    folder = str(db.path.parent)
    assert main(["--data-dir", folder, "import", str(card)]) == 0
    out = tmp_path / "export.vcf"
    assert main(["--data-dir", folder, "export", "--format", "vcf", "--out", str(out)]) == 0
    text = out.read_bytes().decode("utf-8")
    assert "UID:4f9a1c2e8b0d@google.com\r\n" in text
    assert text.count("UID") == 1 and "urn:uuid:" not in text
    before = _book(db)
    assert main(["--data-dir", folder, "import", str(out)]) == 0
    assert _book(db) == before  # the same contact, unchanged; no second Maya


def _foreign_calendar(maya: object, stranger: object) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\n"
        "BEGIN:VTODO\r\nUID:0a7f3e@tasks.example\r\nDTSTAMP:20270101T000000Z\r\n"
        "SUMMARY:Send the pilot quote\r\nDTSTART;VALUE=DATE:20270310\r\n"
        f'CONTACT;ALTREP="urn:uuid:{maya}":Maya\r\nEND:VTODO\r\n'
        "BEGIN:VTODO\r\nUID:0a7f3e@tasks.example\r\nDTSTAMP:20270101T000000Z\r\n"
        "SUMMARY:The same, listed twice\r\nDTSTART;VALUE=DATE:20270310\r\nEND:VTODO\r\n"
        "BEGIN:VJOURNAL\r\nUID:j-77@notes.example\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART:20260105T100000Z\r\nSUMMARY:Met at the fair\r\nCATEGORIES:MEETING\r\n"
        f'CONTACT;ALTREP="urn:uuid:{maya}":Maya\r\nEND:VJOURNAL\r\n'
        "BEGIN:VJOURNAL\r\nUID:j-78@notes.example\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART:20260106T100000Z\r\nSUMMARY:With someone this book lacks\r\n"
        f'CONTACT;ALTREP="urn:uuid:{stranger}":Who\r\nEND:VJOURNAL\r\n'
        "END:VCALENDAR\r\n"
    )


def test_a_calendar_imported_twice_adds_its_items_once(db: Database, tmp_path: Path) -> None:
    """Another app's UIDs decide the ids, so the second import finds every item again;
    the export writes those UIDs back as they were."""
    with db.transaction() as session:
        maya = contacts.create_contact(session, ContactDraft(given_name="Maya"))
    source = tmp_path / "tasks.ics"
    source.write_text(_foreign_calendar(maya, uuid.uuid4()))
    folder = str(db.path.parent)

    def held() -> tuple[list[str], list[str]]:
        with db.reading() as session:
            return (
                sorted(a.regarding for a in session.query(activities.Activity)),
                sorted(h.regarding for h in history.history_for(session, maya)),
            )

    assert main(["--data-dir", folder, "import", str(source)]) == 0
    first = held()
    assert first == (["Send the pilot quote"], ["Met at the fair"])
    assert main(["--data-dir", folder, "import", str(source)]) == 0
    assert held() == first
    out = tmp_path / "export.ics"
    assert main(["--data-dir", folder, "export", "--format", "ics", "--out", str(out)]) == 0
    text = out.read_text()
    assert "UID:0a7f3e@tasks.example" in text and "UID:j-77@notes.example" in text
    assert main(["--data-dir", folder, "import", str(out)]) == 0
    assert held() == first


def test_history_naming_no_contact_of_the_book_is_a_problem_not_a_failure(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.transaction() as session:
        maya = contacts.create_contact(session, ContactDraft(given_name="Maya"))
    source = tmp_path / "tasks.ics"
    source.write_text(_foreign_calendar(maya, uuid.uuid4()))
    assert main(["--data-dir", str(db.path.parent), "import", str(source)]) == 0
    said = capsys.readouterr()
    assert "item 4, VJOURNAL: names no contact of this book" in said.out + said.err


def test_an_export_gets_the_mode_of_a_saved_file_or_of_the_file_it_replaces(
    db: Database, tmp_path: Path
) -> None:
    import os
    import stat

    from desktop.interop.export import write_export

    _rich_book(db)
    fresh, kept = tmp_path / "fresh.vcf", tmp_path / "kept.vcf"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o600)  # the user made this one private
    previous = os.umask(0o027)
    try:
        with db.reading() as session:
            ids = exports.export_ids(session)
            write_export(session, ids, "vcf", fresh)
            write_export(session, ids, "vcf", kept)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert "BEGIN:VCARD" in kept.read_text(encoding="utf-8")


def test_an_export_clears_what_a_killed_export_left_behind(db: Database, tmp_path: Path) -> None:
    """Issue 15.8: killed exports left hidden temporary files beside the target."""
    import subprocess
    import sys

    from desktop.interop.export import write_export

    _rich_book(db)
    target = tmp_path / "all.vcf"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    orphan = tmp_path / f".all.vcf.{gone.stdout.strip()}.x1y2.part"
    orphan.write_text("half an export")
    running = tmp_path / ".all.vcf.1.z9.part"  # pid 1 lives: not ours to remove
    running.write_text("another export at work")
    with db.reading() as session:
        write_export(session, exports.export_ids(session), "vcf", target)
    assert not orphan.exists() and running.exists()
    left = sorted(p.name for p in tmp_path.glob("*all.vcf*"))
    assert left == sorted([target.name, running.name])


def test_a_csv_has_the_columns_of_its_widest_contact_and_no_more(
    db: Database, tmp_path: Path
) -> None:
    """The header is written before the rows stream out: its numbered columns come from
    the database's counts, which must match the widest contact exported (trashed
    profiles and contacts left out of the export do not widen it)."""
    import csv

    with db.transaction() as session:
        wide = contacts.create_contact(
            session,
            ContactDraft(
                given_name="Wide",
                emails=tuple(EmailValue(f"w{n}@x.example") for n in range(3)),
                custom_fields={"A": "1", "B": "2"},
            ),
        )
        contacts.create_contact(session, ContactDraft(given_name="Narrow"))
        left_out = contacts.create_contact(
            session,
            ContactDraft(
                given_name="Left out",
                emails=tuple(EmailValue(f"l{n}@x.example") for n in range(5)),
            ),
        )
        social_profiles.add_profile(session, wide, "github", "wide", "https://github.com/wide")
        gone = social_profiles.add_profile(session, wide, "mastodon", "w", "https://m.example/@w")
        social_profiles.set_trashed(session, gone, True)
        ids = [cid for cid in exports.export_ids(session) if cid != left_out]
    out = tmp_path / "book.csv"
    with db.reading() as session:
        assert write_export(session, ids, "csv", out) == 2
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    numbered = {column.split(" - ")[0] for column in header if " - " in column}
    assert numbered == {
        "E-mail 1", "E-mail 2", "E-mail 3", "Profile 1", "Custom Field 1", "Custom Field 2",
    }  # fmt: skip
