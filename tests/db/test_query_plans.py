"""Query plans as a contract (issue 17): every query on an interactive path (selecting a
contact, the list, lookup, the task list, the calendar, reminders, the agenda, counts,
and the everyday writes: log, schedule, clear, edit, delete and undo, purge, merge)
is run on a seeded book and asked for its plan, with each kind of statistics the
planner may have. None may read a whole large table; an index may be walked from one
end only where the case says why (a page that stops at its LIMIT); and the paths that
look up one contact's records start from that contact's index."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from db.activity_values import ActivityDraft
from db.clock import FixedClock
from db.contact_values import ContactDraft
from db.contacts import ListQuery, SortColumn
from db.tasks import Bucket, TaskQuery
from desktop.calls.sheet import build_sheet
from desktop.contact_book import ContactBook
from tests.conftest import TEST_NOW, TEST_ZONE
from tests.db.query_plans import Plan, as_if_grown, plans_of

# Tables that grow with the book (a million contacts, a quarter million follow-ups).
LARGE = {
    "contacts", "contact_emails", "contact_phones", "contact_addresses", "contact_urls",
    "activities", "activity_contacts", "history_entries", "history_contacts", "notes",
    "social_profiles", "group_members", "change_journal", "companies",
}  # fmt: skip
# A search on the status alone visits every open follow-up.
_STATUS_ONLY = re.compile(
    r"^SEARCH (?P<table>\w+) USING (?:COVERING )?INDEX (?P<index>\w+) \(status=\?\)$"
)


@dataclass(frozen=True)
class Ids:
    contact: uuid.UUID  # one with follow-ups, history, notes and profiles
    group: uuid.UUID


@dataclass(frozen=True)
class Case:
    action: Callable[[ContactBook, Ids, FixedClock], object]
    # (table, index) walks this path may make, each with the reason it is fine.
    may_walk: dict[tuple[str, str], str] = field(default_factory=dict)


ONE_CONTACT = {
    "details": Case(lambda b, i, c: b.contact(i.contact)),
    "referrer": Case(lambda b, i, c: b.referrer(i.contact)),
    "open follow-ups": Case(lambda b, i, c: b.open_activities_of([i.contact])),
    "history": Case(lambda b, i, c: b.history(i.contact)),
    "notes": Case(lambda b, i, c: b.notes(i.contact)),
    "profiles": Case(lambda b, i, c: b.profiles(i.contact)),
    "follow-ups tab": Case(
        lambda b, i, c: b.tasks(TaskQuery(Bucket.OPEN, contact_id=i.contact), c.moment(), 0, 200)
    ),
    "done tab": Case(
        lambda b, i, c: b.tasks(TaskQuery(Bucket.DONE, contact_id=i.contact), c.moment(), 0, 200)
    ),
    "call sheet": Case(lambda b, i, c: build_sheet(b, i.contact, c.moment())),
}
LIST_PAGE = ("contacts", "ix_contacts_live_name")
OPEN_DUE = ("activities", "ix_activities_live_due")
NEXT_STEP = ("contacts", "ix_contacts_live_next_step")
CASES = {
    **ONE_CONTACT,
    "list page": Case(
        lambda b, i, c: b.page(ListQuery(), 0, 60), {LIST_PAGE: "in order; LIMIT stops it"}
    ),
    "group page": Case(lambda b, i, c: b.page(ListQuery(group_id=i.group), 0, 60)),
    "a big group's first page": Case(
        lambda b, i, c: _big_group_page(b),
        {LIST_PAGE: "names in order, members kept; LIMIT stops it"},
    ),
    "lookup": Case(lambda b, i, c: b.lookup("ma")),
    "due reminders": Case(lambda b, i, c: b.due_alarms(c.now())),
    "next reminder": Case(lambda b, i, c: b.next_alarm_at()),
    "overdue tasks": Case(lambda b, i, c: b.tasks(TaskQuery(Bucket.OVERDUE), c.moment(), 0, 60)),
    "today's tasks": Case(lambda b, i, c: b.tasks(TaskQuery(Bucket.TODAY), c.moment(), 0, 60)),
    "all open tasks": Case(
        lambda b, i, c: b.tasks(TaskQuery(Bucket.OPEN), c.moment(), 0, 60),
        {OPEN_DUE: "in due order; LIMIT stops it"},
    ),
    "task list's first bucket": Case(lambda b, i, c: b.first_busy_bucket(c.moment())),
    "agenda": Case(lambda b, i, c: b.agenda(c.moment(), 3, limit=100)),
    "calendar month": Case(lambda b, i, c: b.calendar_days(date(2026, 11, 30), 42, c.moment())),
    "contact count": Case(lambda b, i, c: b.count()),
    "group count": Case(lambda b, i, c: b.count(ListQuery(group_id=i.group))),
    "navigation counts": Case(lambda b, i, c: b.navigation_counts()),
    "next-step page": Case(
        lambda b, i, c: b.page(ListQuery(SortColumn.NEXT_STEP), 0, 60),
        {NEXT_STEP: "in order; LIMIT stops it"},
    ),
    "log a call": Case(
        lambda b, i, c: b.record_history([i.contact], kind="call", occurred_at=c.now())
    ),
    "schedule a follow-up": Case(lambda b, i, c: _schedule(b, i, c)),
    "clear a follow-up": Case(lambda b, i, c: b.clear_activity(_schedule(b, i, c), "completed")),
    "edit a contact": Case(
        lambda b, i, c: b.update(i.contact, replace(b.contact(i.contact).to_draft(), title="Buyer"))
    ),
    "delete a contact and undo": Case(
        lambda b, i, c: (b.trash([i.contact]), b.restore([i.contact]))
    ),
    "add a note": Case(lambda b, i, c: b.add_note(i.contact, "Wants pilot pricing")),
    "into a group and out": Case(
        lambda b, i, c: (
            b.remove_from_group(i.group, [i.contact]),
            b.add_to_group(i.group, [i.contact]),
        )
    ),
    "reschedule, snooze and delete a follow-up": Case(lambda b, i, c: _move_one(b, i, c)),
    "the Trash": Case(lambda b, i, c: b.trash_items()),
    "purge from the Trash": Case(lambda b, i, c: _purge_one(b)),
    "merge and its undo": Case(
        lambda b, i, c: _merge_and_undo(b, i), {LIST_PAGE: "the other contact: LIMIT 2"}
    ),
}


def _schedule(book: ContactBook, ids: Ids, clock: FixedClock) -> uuid.UUID:
    draft = ActivityDraft(
        start=clock.moment().local_now + timedelta(days=3),
        time_zone=TEST_ZONE,
        regarding="Call back",
        contact_ids=(ids.contact,),
    )
    return book.schedule(draft)


def _move_one(book: ContactBook, ids: Ids, clock: FixedClock) -> None:
    activity = _schedule(book, ids, clock)
    book.reschedule(activity, clock.now() + timedelta(days=4))
    book.snooze([activity], clock.now() + timedelta(hours=1))
    book.trash_activities([activity])
    book.restore_activities([activity])


def _big_group_page(book: ContactBook) -> None:
    """The first page of a group holding everyone (read by walking the names), and the
    group gone again for the cases after it."""
    group = book.create_group("Everyone")
    book.add_to_group(group, book.ids_on_page(ListQuery(), 0, SEEDED))
    assert len(book.page(ListQuery(group_id=group), 0, 60)) == 60
    book.trash_group(group)


def _purge_one(book: ContactBook) -> None:
    doomed = book.create(ContactDraft(given_name="Short", family_name="Lived"))
    book.trash([doomed])
    items = [item for item in book.trash_items() if item.id == doomed]
    assert items
    book.purge_items(items)
    assert not [item for item in book.trash_items() if item.id == doomed]


def _merge_and_undo(book: ContactBook, ids: Ids) -> None:
    """Merge another contact into the one with follow-ups and history, then take it back
    (the book is as it was for the cases after it)."""
    other = next(row.id for row in book.page(ListQuery(), 0, 2) if row.id != ids.contact)
    draft = book.contact(ids.contact).to_draft()
    book.undo_merge(book.merge(ids.contact, [other], draft))


SEEDED = 3000


STATISTICS = ["none", "a million's"]


@pytest.fixture(scope="module", params=STATISTICS)
def seeded(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[ContactBook, Ids, FixedClock]]:
    """A seeded book as the app leaves it (too small for statistics: the planner
    guesses), or with the statistics a book of a million contacts has (see
    `db/statistics.py`: books that big are analyzed)."""
    clock = FixedClock(TEST_NOW, TEST_ZONE)
    folder = Path(tmp_path_factory.mktemp("plans"))
    with ContactBook.open(folder, clock=clock) as book:
        book.seed(SEEDED, seed=7)
        with book._db.engine.connect() as conn:
            analyzed = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
            ).scalar_one()
        assert not analyzed
        if request.param == "a million's":
            as_if_grown(book._db.engine, 1_000_000 / SEEDED)
    book = ContactBook.open(folder, clock=clock)
    with book._db.engine.connect() as conn:
        contact = conn.exec_driver_sql(
            "SELECT a.contact_id FROM activity_contacts a JOIN notes n ON n.contact_id = "
            "a.contact_id JOIN history_contacts h ON h.contact_id = a.contact_id LIMIT 1"
        ).scalar_one()
        group = conn.exec_driver_sql("SELECT group_id FROM group_members LIMIT 1").scalar_one()
    yield book, Ids(_uuid(contact), _uuid(group)), clock
    book.close()


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(bytes=value)


@pytest.mark.parametrize("name", CASES)
def test_no_interactive_query_reads_a_large_table_through(
    seeded: tuple[ContactBook, Ids, FixedClock], name: str
) -> None:
    book, ids, clock = seeded
    case = CASES[name]
    plans = plans_of(book._db.engine, lambda: case.action(book, ids, clock))
    assert plans, "the path ran no query"
    for plan in plans:
        for table, index in _walks(plan):
            if table in LARGE and (index is None or (table, index) not in case.may_walk):
                how = f"all of {index}" if index else "the whole table"
                pytest.fail(f"{name} reads {how} of {table}:\n{plan}")


def _walks(plan: Plan) -> Iterator[tuple[str, str | None]]:
    yield from plan.scans()
    for step in plan.steps:
        match = _STATUS_ONLY.match(step)
        if match:
            yield match["table"], match["index"]


def test_the_companies_page_counts_from_the_company_index_alone(
    seeded: tuple[ContactBook, Ids, FixedClock],
) -> None:
    """Each company's live contacts are counted without reading a contact (1.9 s at a
    million when every contact with a company was read for its Trash mark)."""
    book, _ids, _clock = seeded
    plans = plans_of(book._db.engine, book.company_overview)
    counting = [plan for plan in plans if "count(" in plan.statement]
    assert counting
    for plan in counting:
        assert any("COVERING INDEX ix_contacts_company" in step for step in plan.steps), plan
