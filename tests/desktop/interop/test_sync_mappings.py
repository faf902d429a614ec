"""The per-item mappings sync builds on, without a database: one vCard to a draft and
back (with REV), one VTODO or VJOURNAL to a follow-up or history draft and back, each
keeping the UID its server gave it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from db.activity_values import ActivityDraft, HistoryDraft
from db.contact_values import ContactDetails, EmailValue, ExportedContact, PhoneValue
from db.errors import CallsheetError, InputError
from db.recurrence import Recurrence
from desktop.interop.calendar_items import (
    calendar_bytes,
    follow_up_component,
    history_component,
    read_calendar,
)
from desktop.interop.vcard import read_card, write_vcard

CHANGED = datetime(2027, 2, 3, 4, 5, 6, tzinfo=UTC)
STAMP = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
MAYA = uuid.UUID("6f1c1a52-8d55-4c1b-9d4e-0d6c5a3e2b11")


def _maya() -> ExportedContact:
    return ExportedContact(
        ContactDetails(
            id=MAYA, display_name="Maya Lund", given_name="Maya", family_name="Lund",
            middle_name="", prefix="", suffix="", nickname="", title="Buyer", department="",
            company="Fjordline", company_id=None, birthday=None, background="", owner="",
            emails=(EmailValue("maya@fjordline.example", "work", True),),
            phones=(PhoneValue("+47 912 34 567", "mobile", True, "+4791234567"),),
            addresses=(), urls=(), groups=(), custom_fields={},
            created_at=CHANGED, updated_at=CHANGED, deleted_at=None, rev=3,
        ),
        None, (), (),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("version", "rev"), [("4.0", "REV:20270203T040506Z"), ("3.0", "REV:2027-02-03T04:05:06Z")]
)
def test_a_card_says_when_its_contact_last_changed(version: str, rev: str) -> None:
    text = write_vcard(_maya(), version)
    assert f"\r\n{rev}\r\n" in text


def test_one_card_reads_back_as_the_draft_it_was_written_from() -> None:
    row = read_card(write_vcard(_maya()))
    assert row.problems == ()
    assert row.uid == MAYA
    assert row.draft is not None
    assert (row.draft.given_name, row.draft.family_name, row.draft.company) == (
        "Maya",
        "Lund",
        "Fjordline",
    )
    assert row.draft.emails == (EmailValue("maya@fjordline.example", "work", True),)
    assert [p.e164 for p in row.draft.phones] == ["+4791234567"]


def test_a_card_with_problems_reads_as_its_problems() -> None:
    row = read_card(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x1@phone\r\nEMAIL:not an address\r\nEND:VCARD\r\n"
    )
    assert row.draft is None
    assert {p.column for p in row.problems} == {"FN", "EMAIL"}


@pytest.mark.parametrize("text", ["", "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n" * 2])
def test_read_card_wants_exactly_one_card(text: str) -> None:
    with pytest.raises(InputError, match="Expected one vCard"):
        read_card(text)


def test_a_foreign_todo_keeps_its_uid_and_reads_as_a_follow_up() -> None:
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\n"
        "BEGIN:VTODO\r\nUID:0a7f3e@tasks.example\r\nDTSTAMP:20270101T000000Z\r\n"
        "SUMMARY:Send the pilot quote\r\nDTSTART;TZID=Europe/Oslo:20270310T091500\r\n"
        "DURATION:PT30M\r\nPRIORITY:2\r\nCATEGORIES:CALL\r\n"
        f'CONTACT;ALTREP="urn:uuid:{MAYA}":Maya Lund\r\n'
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
        "END:VTODO\r\n"
        "BEGIN:VTODO\r\nUID:done@tasks.example\r\nSTATUS:COMPLETED\r\nSUMMARY:Old\r\n"
        "DTSTART:20260101\r\nEND:VTODO\r\n"
        "BEGIN:VTODO\r\nUID:undated@tasks.example\r\nSUMMARY:Some day\r\nEND:VTODO\r\n"
        "END:VCALENDAR\r\n"
    ).encode()
    reading = read_calendar(data)
    [item] = reading.items
    assert item.uid == "0a7f3e@tasks.example"
    assert item.follow_up == ActivityDraft(
        kind="call", regarding="Send the pilot quote", start=datetime(2027, 3, 10, 9, 15),
        end=datetime(2027, 3, 10, 9, 45), timing="timed", time_zone="Europe/Oslo",
        priority="high", alarm_minutes=10, contact_ids=(MAYA,),
    )  # fmt: skip
    assert reading.done == 1
    assert [(p.row, p.message) for p in reading.problems] == [(3, "has no start or due date")]


@pytest.mark.parametrize(
    "draft",
    [
        ActivityDraft(
            kind="meeting", regarding="Pilot review", start=datetime(2030, 3, 4, 9, 30),
            end=datetime(2030, 3, 4, 10, 15), time_zone="Europe/Oslo", priority="low",
            alarm_minutes=15, repeat=Recurrence(frequency="weekly", interval=2),
            contact_ids=(MAYA,),
        ),
        ActivityDraft(
            kind="to-do", regarding="Send pricing", start=datetime(2030, 3, 6),
            end=datetime(2030, 3, 6), timing="timeless", time_zone="America/New_York",
            contact_ids=(MAYA,),
        ),
        ActivityDraft(
            kind="email", regarding="Trade fair", start=datetime(2030, 5, 1),
            end=datetime(2030, 5, 3), timing="all_day", time_zone="UTC", contact_ids=(MAYA,),
        ),
    ],
)  # fmt: skip
def test_a_follow_up_survives_its_vtodo(draft: ActivityDraft) -> None:
    todo = follow_up_component("uid-1@example", draft, [(MAYA, "Maya Lund")], STAMP)
    [item] = read_calendar(calendar_bytes([todo])).items
    assert (item.uid, item.follow_up) == ("uid-1@example", draft)


def test_history_survives_its_vjournal_and_names_the_follow_up_it_cleared() -> None:
    draft = HistoryDraft(
        contact_ids=(MAYA,), kind="call", occurred_at=STAMP - timedelta(days=2),
        regarding="Intro", outcome="left message", duration_minutes=4, notes="Call back Tue",
    )  # fmt: skip
    journal = history_component("h-9@example", draft, [(MAYA, "Maya Lund")], STAMP, "t-1")
    data = calendar_bytes([journal])
    [item] = read_calendar(data).items
    assert (item.uid, item.history) == ("h-9@example", draft)
    [component] = icalendar.Calendar.from_ical(data).walk("VJOURNAL")
    assert str(component["related-to"]) == "t-1"


def test_a_damaged_calendar_is_one_clear_error() -> None:
    with pytest.raises(CallsheetError, match="not a readable iCalendar file"):
        read_calendar(b"Subject: not a calendar\r\n\r\nhello")
