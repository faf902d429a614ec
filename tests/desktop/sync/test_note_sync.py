"""A contact's notes (the Notes tab) syncing through one real Radicale task list, beside
history (issue 16.2): added, edited, pinned, trashed and restored on one computer,
as they were on the other; both editing one note leaves a conflict to restore."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import icalendar

from db.clock import FixedClock
from db.companies import CompanyDraft
from db.contact_values import ContactDraft
from db.models import Note
from desktop.sync.conflicts import describe, label
from desktop.sync.note_items import PINNED
from tests.desktop.sync.conftest import Device
from tests.desktop.sync.test_task_sync import TASKS, pair, put_on_server, server_items

Devices = Callable[..., Device]
TALKING_POINT = "Asks about delivery times first.\nHer daughter plays handball."


def noted_on_both(devices: Devices) -> tuple[Device, Device, uuid.UUID, uuid.UUID]:
    """`pair`, with a pinned note on Maya that both computers hold."""
    laptop, desktop, maya_id = pair(devices)
    note_id = laptop.book.add_note(maya_id, TALKING_POINT, pinned=True)
    laptop.sync()
    desktop.sync()
    return laptop, desktop, maya_id, note_id


def journals(device: Device) -> list[icalendar.cal.Component]:
    return [
        component
        for text in server_items(device).values()
        for component in icalendar.Calendar.from_ical(text).walk("VJOURNAL")
    ]


def test_a_pinned_note_arrives_on_the_other_computer_as_it_was_written(
    devices: Devices,
) -> None:
    laptop, desktop, maya_id, note_id = noted_on_both(devices)

    [there], [here] = desktop.book.notes(maya_id), laptop.book.notes(maya_id)
    assert (there.id, there.body, there.pinned) == (note_id, TALKING_POINT, True)
    assert there.created_at == here.created_at.replace(microsecond=0)
    assert desktop.book.history(maya_id) == []  # a note is not a history entry
    [journal] = journals(laptop)
    assert str(journal["X-CALLSHEET-RECORD"]) == "NOTE" and str(journal[PINNED]) == "TRUE"
    assert str(journal["SUMMARY"]) == "Asks about delivery times first."
    assert str(journal["DESCRIPTION"]) == TALKING_POINT
    assert str(journal["CONTACT"].params["ALTREP"]) == f"urn:uuid:{maya_id}"
    again = laptop.sync(), desktop.sync()
    assert [(r.pushed, r.pulled, r.problems) for r in again] == [(0, 0, [])] * 2


def test_an_edit_an_unpin_a_trash_and_a_restore_travel(devices: Devices) -> None:
    laptop, desktop, maya_id, note_id = noted_on_both(devices)

    desktop.book.edit_note(note_id, "Asks about delivery times first.", pinned=False)
    assert desktop.sync().pushed == 1
    assert laptop.sync().pulled == 1
    [note] = laptop.book.notes(maya_id)
    assert (note.body, note.pinned) == ("Asks about delivery times first.", False)
    assert PINNED not in journals(laptop)[0]

    laptop.book.trash_note(note_id)
    assert laptop.sync().deleted_on_server == 1
    assert desktop.sync().trashed == 1
    assert desktop.book.notes(maya_id) == []

    desktop.book.restore_note(note_id)
    desktop.sync()
    laptop.sync()
    assert [n.id for n in laptop.book.notes(maya_id)] == [note_id]


def test_both_computers_edit_a_note_the_server_wins_and_ours_can_be_restored(
    devices: Devices,
) -> None:
    laptop, desktop, maya_id, note_id = noted_on_both(devices)
    laptop.book.edit_note(note_id, "Wants delivery by March.")
    desktop.book.edit_note(note_id, "Wants delivery by April.", pinned=False)
    laptop.sync()

    assert desktop.sync().conflicts == 1

    [note] = desktop.book.notes(maya_id)
    assert (note.body, note.pinned) == ("Wants delivery by March.", False)  # both changes
    [conflict] = desktop.book.conflicts()
    assert (conflict.record_type, conflict.field, conflict.kept) == (
        "note",
        "body",
        "Wants delivery by April.",
    )
    assert conflict.record_name == "Wants delivery by March."
    assert label("note", "body") == "Note" and describe("note", "pinned", True) == "yes"
    desktop.book.restore_conflict(conflict.id, "NO")
    desktop.sync()
    laptop.sync()
    assert [(n.body, n.pinned) for n in laptop.book.notes(maya_id)] == [
        ("Wants delivery by April.", False)
    ]


def test_a_companys_notes_stay_on_this_computer(devices: Devices) -> None:
    laptop = devices("laptop", tasks=TASKS)
    company_id = laptop.book.create_company(CompanyDraft("Nordlys"))
    with laptop.book._db.transaction() as session:
        session.add(Note(company_id=company_id, body="Pays late; ask for a deposit."))

    laptop.sync()

    assert journals(laptop) == []
    assert laptop.book.sync_pending(laptop.account.id) == 0


def test_a_journal_another_app_wrote_is_history_not_a_note(
    devices: Devices, clock: FixedClock
) -> None:
    laptop = devices("laptop", tasks=TASKS)
    maya_id = laptop.book.create(ContactDraft(given_name="Maya", family_name="Lund"))
    laptop.sync()
    journal = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VJOURNAL\r\n"
        "UID:visit-1\r\nDTSTAMP:20261120T080000Z\r\nDTSTART:20261120T080000Z\r\n"
        f'SUMMARY:Visited the shop\r\nCONTACT;ALTREP="urn:uuid:{maya_id}":Maya Lund\r\n'
        "END:VJOURNAL\r\nEND:VCALENDAR\r\n"
    )
    put_on_server(laptop, "visit-1.ics", journal)

    assert laptop.sync().pulled == 1
    assert [h.regarding for h in laptop.book.history(maya_id)] == ["Visited the shop"]
    assert laptop.book.notes(maya_id) == []


def test_a_note_moved_by_merging_two_contacts_moves_on_the_other_computer(
    devices: Devices,
) -> None:
    laptop, desktop, maya_id, note_id = noted_on_both(devices)
    twin = ContactDraft(given_name="Maya", family_name="Lund", title="Buyer")
    twin_id = laptop.book.create(twin)
    laptop.sync()
    desktop.sync()

    laptop.book.merge(twin_id, [maya_id], twin)
    laptop.sync()
    desktop.sync()

    assert [n.id for n in desktop.book.notes(twin_id)] == [note_id]
    assert desktop.book.notes(maya_id) == []
