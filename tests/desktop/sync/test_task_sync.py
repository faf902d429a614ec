"""Follow-ups and history syncing through one real Radicale task list (issue 16.2):
two computers, and a phone's reminders app writing its own VTODOs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import icalendar
import pytest

from db.activity_values import ActivityDraft
from db.clock import FixedClock, Moment
from db.contact_values import ContactDraft
from db.recurrence import Recurrence
from db.tasks import Bucket, TaskQuery
from desktop.contact_book import ContactBook
from desktop.credentials import CredentialStore
from desktop.sync import dav, resources
from desktop.sync.accounts import choose_task_list, set_up
from desktop.sync.dav import client
from tests.desktop.sync.conftest import DavServer, Device

Devices = Callable[..., Device]
TASKS = "Follow-ups"


def pair(devices: Devices) -> tuple[Device, Device, uuid.UUID]:
    """A laptop and a desktop syncing contacts and follow-ups; Maya on both."""
    laptop, desktop = devices("laptop", tasks=TASKS), devices("desktop", tasks=TASKS)
    maya_id = laptop.book.create(ContactDraft(given_name="Maya", family_name="Lund"))
    laptop.sync()
    desktop.sync()
    return laptop, desktop, maya_id


def call_on_both(
    devices: Devices, clock: FixedClock
) -> tuple[Device, Device, uuid.UUID, uuid.UUID]:
    """`pair`, with a call on Maya scheduled on the laptop that both computers hold."""
    laptop, desktop, maya_id = pair(devices)
    call_id = laptop.book.schedule(ring_maya(maya_id, clock))
    laptop.sync()
    desktop.sync()
    return laptop, desktop, maya_id, call_id


def ring_maya(maya_id: uuid.UUID, clock: FixedClock, **changes: object) -> ActivityDraft:
    """A call on Maya at 09:30 Oslo time two days from the test's today."""
    day = clock.now().astimezone(ZoneInfo(clock.zone_name)).date() + timedelta(days=2)
    draft = ActivityDraft(
        kind="call",
        regarding="Ring Maya about the spring order",
        start=datetime.combine(day, datetime.min.time()).replace(hour=9, minute=30),
        end=datetime.combine(day, datetime.min.time()).replace(hour=10),
        time_zone="Europe/Oslo",
        priority="high",
        alarm_minutes=15,
        contact_ids=(maya_id,),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def server_items(device: Device) -> dict[str, str]:
    """Every resource in the device's task list, as the server keeps it."""
    url = device.account.tasks_url
    assert url
    with client(device.account.username, device.password) as http:
        found = {h: resources.get(http, h) for h in resources.listing(http, url).changed}
    return {href: got[1] for href, got in found.items() if got is not None}


def put_on_server(device: Device, name: str, text: str, etag: str | None = None) -> str:
    """Write a resource into the task list as another app would; its href."""
    assert device.account.tasks_url
    href = urljoin(device.account.tasks_url, name)
    with client(device.account.username, device.password) as http:
        if etag is None:
            etag = (resources.get(http, href) or (None, ""))[0]
        resources.put(http, href, text, etag, "tasks")
    return href


def test_a_follow_up_arrives_on_the_other_computer_as_it_was_scheduled(
    devices: Devices, clock: FixedClock
) -> None:
    laptop, desktop, maya_id = pair(devices)
    assert laptop.account.history_syncs  # the list Callsheet made takes journals too
    weekly = Recurrence(frequency="weekly", interval=1)
    call_id = laptop.book.schedule(ring_maya(maya_id, clock, repeat=weekly))

    assert laptop.sync().pushed == 1
    assert desktop.sync().pulled == 1

    there, here = desktop.book.activity(call_id), laptop.book.activity(call_id)
    assert there.draft == here.draft
    assert there.starts_at == here.starts_at and there.status == "open"
    assert there.contacts == ((maya_id, "Maya Lund"),)
    [text] = server_items(laptop).values()
    todo = icalendar.Calendar.from_ical(text).walk("VTODO")[0]
    assert {"DTSTART", "DUE", "RRULE", "PRIORITY", "CONTACT"} <= set(todo)
    assert todo["DTSTART"].dt.tzinfo is not None and "BEGIN:VTIMEZONE" in text
    assert todo.walk("VALARM")[0].decoded("trigger") == timedelta(minutes=-15)
    assert str(todo["CONTACT"].params["ALTREP"]) == f"urn:uuid:{maya_id}"


def test_a_second_sync_of_follow_ups_sends_and_fetches_nothing(
    devices: Devices, clock: FixedClock
) -> None:
    laptop, desktop, maya_id = pair(devices)
    laptop.book.schedule(ring_maya(maya_id, clock))
    laptop.sync()
    desktop.sync()
    call = desktop.book.open_activities_of([maya_id])[0]
    desktop.book.snooze([call], clock.now() + timedelta(hours=1))  # not on the VTODO

    again = laptop.sync(), desktop.sync()
    assert [(r.pushed, r.pulled, r.conflicts, r.problems) for r in again] == [(0, 0, 0, [])] * 2
    assert laptop.book.sync_pending(laptop.account.id) == 0
    assert desktop.book.sync_pending(desktop.account.id) == 0


def test_clearing_a_follow_up_sends_it_done_with_its_history_entry(
    devices: Devices, clock: FixedClock
) -> None:
    laptop, desktop, maya_id, call_id = call_on_both(devices, clock)

    laptop.book.clear_activity(call_id, "completed", "She wants 40 units.")
    laptop.sync()
    desktop.sync()

    assert desktop.book.activity(call_id).status == "done"
    assert desktop.book.open_activities_of([maya_id]) == []
    [entry] = desktop.book.history(maya_id)
    assert entry.notes == "She wants 40 units." and entry.outcome == "completed"
    assert [h.id for h in laptop.book.history(maya_id)] == [entry.id]  # one, not two
    done = desktop.book.tasks(TaskQuery(Bucket.DONE), clock.moment(), 0, 10)
    assert [row.regarding for row in done] == ["Ring Maya about the spring order"]
    kinds = sorted(
        c.name
        for text in server_items(laptop).values()
        for c in icalendar.Calendar.from_ical(text).walk()
        if c.name in ("VTODO", "VJOURNAL")
    )
    assert kinds == ["VJOURNAL", "VTODO"]


PHONE_TODO = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//iOS 18.1//EN
BEGIN:VTODO
UID:8F0C2D6E-5B1A-4A43-9C52-0D1E7A55B2C1
DTSTAMP:20261120T080000Z
CREATED:20261120T080000Z
SUMMARY:Send Maya the price list
DESCRIPTION:The one with the spring discounts
DUE;VALUE=DATE:{due}
STATUS:NEEDS-ACTION
X-APPLE-SORT-ORDER:712345678
CATEGORIES:Work
END:VTODO
END:VCALENDAR
"""


def phone_todo(clock: FixedClock, **lines: str) -> str:
    due = (clock.now().date() + timedelta(days=3)).strftime("%Y%m%d")
    text = PHONE_TODO.format(due=due)
    for name, value in lines.items():
        text = text.replace(f"{name}:", f"{name}:{value}\n{name}-WAS:", 1)
    return text.replace("\n", "\r\n")


def test_a_reminder_made_on_a_phone_keeps_its_uid_and_details_when_edited_here(
    devices: Devices, clock: FixedClock
) -> None:
    laptop = devices("laptop", tasks=TASKS)
    href = put_on_server(laptop, "8F0C2D6E-5B1A-4A43-9C52-0D1E7A55B2C1.ics", phone_todo(clock))

    assert laptop.sync().pulled == 1
    [row] = laptop.book.agenda(Moment(clock.now(), clock.zone_name), days=7).rows
    activity = laptop.book.activity(row.id)
    assert activity.draft.regarding == "Send Maya the price list"
    assert activity.draft.timing == "all_day"

    laptop.book.update_activity(
        row.id, replace(activity.draft, regarding="Send Maya the new price list")
    )
    assert laptop.sync().pushed == 1

    text = server_items(laptop)[href]
    todo = icalendar.Calendar.from_ical(text).walk("VTODO")[0]
    assert str(todo["UID"]) == "8F0C2D6E-5B1A-4A43-9C52-0D1E7A55B2C1"
    assert str(todo["SUMMARY"]) == "Send Maya the new price list"
    assert str(todo["DESCRIPTION"]) == "The one with the spring discounts"
    assert str(todo["X-APPLE-SORT-ORDER"]) == "712345678"
    assert "DUE" in todo
    categories = [str(c) for c in todo["CATEGORIES"].cats]
    assert "Work" in categories


def test_ticked_off_on_the_phone_is_done_here_without_a_history_entry(
    devices: Devices, clock: FixedClock
) -> None:
    laptop, _desktop, maya_id = pair(devices)
    call_id = laptop.book.schedule(ring_maya(maya_id, clock))
    laptop.sync()
    [(href, text)] = server_items(laptop).items()
    ticked = text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20261124T090000Z")
    put_on_server(laptop, href.rsplit("/", 1)[-1], ticked)

    assert laptop.sync().pulled == 1
    assert laptop.book.activity(call_id).status == "done"
    assert laptop.book.history(maya_id) == []


def test_both_computers_change_a_follow_up_the_server_wins_and_ours_can_be_restored(
    devices: Devices, clock: FixedClock
) -> None:
    laptop, desktop, maya_id = pair(devices)
    draft = ring_maya(maya_id, clock)
    call_id = laptop.book.schedule(draft)
    laptop.sync()
    desktop.sync()
    laptop.book.update_activity(call_id, replace(draft, regarding="Ring Maya: prices"))
    desktop.book.update_activity(call_id, replace(draft, regarding="Ring Maya: delivery"))
    later = replace(draft, start=draft.start + timedelta(days=1), end=draft.end + timedelta(days=1))
    laptop.sync()
    desktop.book.update_activity(call_id, replace(later, regarding="Ring Maya: delivery"))

    report = desktop.sync()

    assert report.conflicts == 1
    moved = desktop.book.activity(call_id).draft
    assert moved.regarding == "Ring Maya: prices"  # the server's
    assert moved.start == later.start  # the desktop's own change, merged
    [conflict] = desktop.book.conflicts()
    assert (conflict.record_type, conflict.field, conflict.kept) == (
        "activity",
        "regarding",
        "Ring Maya: delivery",
    )
    desktop.book.restore_conflict(conflict.id, "NO")
    desktop.sync()
    laptop.sync()
    assert laptop.book.activity(call_id).draft.regarding == "Ring Maya: delivery"
    assert laptop.book.activity(call_id).draft.start == later.start


def test_deleted_on_one_side_goes_to_the_trash_on_the_other(
    devices: Devices, clock: FixedClock
) -> None:
    laptop, desktop, maya_id, call_id = call_on_both(devices, clock)

    desktop.book.trash_activities([call_id])
    assert desktop.sync().deleted_on_server == 1
    assert server_items(desktop) == {}
    assert laptop.sync().trashed == 1
    assert laptop.book.open_activities_of([maya_id]) == []
    assert laptop.book.restore_activities([call_id]) == 1  # restorable, and sent again
    assert laptop.sync().pushed == 1
    assert len(server_items(laptop)) == 1


def test_an_event_in_the_same_calendar_is_left_alone(devices: Devices, clock: FixedClock) -> None:
    laptop = devices("laptop", tasks=TASKS)
    event = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:lunch-1\r\nDTSTAMP:20261120T080000Z\r\nDTSTART:20261125T110000Z\r\n"
        "SUMMARY:Lunch\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    put_on_server(laptop, "lunch-1.ics", event)
    before = server_items(laptop)

    report = laptop.sync()

    assert (report.pulled, report.problems) == (0, [])
    assert server_items(laptop) == before
    assert laptop.sync().pulled == 0


def test_a_task_list_without_journals_keeps_history_on_this_computer(
    devices: Devices, clock: FixedClock
) -> None:
    laptop = devices("laptop")
    account = laptop.account
    with client(account.username, laptop.password) as http:
        home = dav.discover(http, account.server_url).tasks_home
        assert home
        body = (
            f'<C:mkcalendar xmlns:D="DAV:" xmlns:C="{dav.CALDAV}"><D:set><D:prop>'
            '<C:supported-calendar-component-set><C:comp name="VTODO"/>'
            "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
        )
        assert dav.send(http, "MKCALENDAR", f"{home}todo-only/", body).status_code == 201
        only = choose_task_list(http, account.server_url, "todo-only")
    assert only is not None and only.kind == "tasks" and not only.takes_journals
    book = laptop.book
    phone_list = book.add_sync_account(
        "Phone list", account.server_url, account.username, "", only.url, only.takes_journals
    )
    on_phone_list = Device(book, phone_list, laptop.password)
    maya_id = book.create(ContactDraft(given_name="Maya", family_name="Lund"))
    call_id = book.schedule(ring_maya(maya_id, clock))
    book.clear_activity(call_id, "completed", "Done on the first ring.")

    on_phone_list.sync()

    [text] = server_items(on_phone_list).values()
    assert "BEGIN:VTODO" in text and "STATUS:COMPLETED" in text and "VJOURNAL" not in text
    assert len(book.history(maya_id)) == 1
    assert book.sync_pending(phone_list.id) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"timing": "all_day", "kind": "meeting", "priority": "low", "alarm_minutes": None},
        {"timing": "timeless", "kind": "to-do", "end": None, "alarm_minutes": 60 * 24},
        {
            "kind": "email",
            "time_zone": "America/New_York",
            "repeat": Recurrence(frequency="monthly", month_week=2, until=date(2027, 12, 31)),
        },
    ],
    ids=["all-day", "timeless", "monthly-until"],
)
def test_every_kind_of_follow_up_comes_back_as_it_went(
    devices: Devices, clock: FixedClock, changes: dict[str, object]
) -> None:
    laptop, desktop, maya_id = pair(devices)
    ola_id = laptop.book.create(ContactDraft(given_name="Ola", family_name="Berg"))
    draft = ring_maya(maya_id, clock, contact_ids=(maya_id, ola_id), **changes)
    if draft.timing == "all_day":
        draft = replace(draft, end=draft.start + timedelta(days=2))
    call_id = laptop.book.schedule(draft)
    laptop.sync()
    desktop.sync()

    there, here = desktop.book.activity(call_id), laptop.book.activity(call_id)
    assert there.starts_at == here.starts_at  # the occurrence due next
    if draft.repeat is not None:  # a series travels from its current occurrence on
        there = replace(there, draft=replace(there.draft, start=None, end=None))
        here = replace(here, draft=replace(here.draft, start=None, end=None))
    assert there.draft == here.draft
    assert (laptop.sync().pushed, desktop.sync().pushed) == (0, 0)


def test_an_account_set_up_with_the_defaults_gets_a_book_and_a_list_of_its_own(
    radicale: DavServer, account: tuple[str, str], data_dir: Path
) -> None:
    user, password = account
    with ContactBook.open(data_dir) as book:
        added = set_up(book, CredentialStore(), radicale.url, user, password)
    assert added.contacts_url and added.tasks_url and added.contacts_url != added.tasks_url
    assert added.history_syncs


NEXTCLOUD_TASK = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Nextcloud Tasks v0.16.1\r\nBEGIN:VTODO\r\n"
    "UID:a1b2c3d4-nc-task\r\nCREATED:20261120T080000\r\nDTSTAMP:20261120T080000\r\n"
    "LAST-MODIFIED:20261120T080000\r\nSUMMARY:Order sample crates\r\nPRIORITY:1\r\n"
    "PERCENT-COMPLETE:30\r\nDUE;VALUE=DATE:20261210\r\nX-OC-HIDESUBTASKS:0\r\n"
    "STATUS:IN-PROCESS\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
)
THUNDERBIRD_TASK = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\nBEGIN:VTODO\r\nCREATED:20261120T080000Z\r\nLAST-MODIFIED:20261120T080000Z\r\n"
    "DTSTAMP:20261120T080000Z\r\nUID:3f8a9c2e-tb-task\r\nSUMMARY:Call the harbour office\r\n"
    "DTSTART;TZID=Europe/Oslo:20261209T090000\r\nDUE;TZID=Europe/Oslo:20261209T093000\r\n"
    "X-MOZ-GENERATION:1\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;VALUE=DURATION:-PT15M\r\n"
    "DESCRIPTION:Default Mozilla Description\r\nEND:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
)


def test_to_dos_other_apps_wrote_come_back_unchanged(devices: Devices, clock: FixedClock) -> None:
    laptop = devices("laptop", tasks=TASKS)
    put_on_server(laptop, "nc.ics", NEXTCLOUD_TASK)
    put_on_server(laptop, "tb.ics", THUNDERBIRD_TASK)
    as_stored = server_items(laptop)

    first = laptop.sync()
    assert (first.pulled, first.pushed, first.problems) == (2, 0, [])
    assert laptop.sync().pushed == 0
    assert server_items(laptop) == as_stored
    rows = laptop.book.agenda(Moment(clock.now(), clock.zone_name), days=30).rows
    harbour = laptop.book.activity(
        next(r.id for r in rows if r.regarding == "Call the harbour office")
    ).draft
    assert (harbour.start, harbour.end) == (datetime(2026, 12, 9, 9), datetime(2026, 12, 9, 9, 30))
    assert (harbour.time_zone, harbour.alarm_minutes) == ("Europe/Oslo", 15)
    crates = next(r for r in rows if r.regarding == "Order sample crates")
    assert crates.priority == "high" and crates.timing == "all_day"
