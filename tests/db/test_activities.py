"""Scheduling, clearing into history, follow-up state, reminders, tasks and calendar."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db import activities, calendar, follow_up, history, tasks
from db.activity_values import ActivityDraft
from db.clock import Moment
from db.contacts import ListQuery, SortColumn, count_contacts, list_contacts
from db.engine import Database
from db.errors import ValidationError
from db.models import Activity, ChangeJournal, Contact
from db.recurrence import Recurrence
from db.tasks import Bucket, TaskQuery, TaskSort
from desktop.contact_book import ContactBook
from tests.factories import add_contact, make_syncing

OSLO = "Europe/Oslo"
# Monday 23 November 2026, 10:00 in Oslo.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLOCK = Moment(NOW, OSLO)


def schedule(db: Database, contacts: tuple[uuid.UUID, ...], **fields: object) -> uuid.UUID:
    draft = ActivityDraft(time_zone=OSLO, contact_ids=contacts, **fields)  # type: ignore[arg-type]
    with db.transaction() as session:
        return activities.schedule(session, draft)


def contact_state(db: Database, contact_id: uuid.UUID) -> tuple[datetime | None, datetime | None]:
    with db.reading() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        return contact.last_contacted_at, contact.next_step_at


def test_schedule_stores_utc_with_the_zone_and_sets_the_next_step(db: Database) -> None:
    maya = add_contact(db, "Maya", "Lund")
    aid = schedule(
        db,
        (maya,),
        regarding="Send pilot pricing",
        start=datetime(2026, 11, 24, 9, 0),
        end=datetime(2026, 11, 24, 9, 30),
        alarm_minutes=15,
    )
    with db.reading() as session:
        activity = session.get(Activity, aid)
        assert activity is not None
        assert activity.starts_at == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
        assert activity.time_zone == OSLO
        assert activity.duration_minutes == 30
        assert activity.alarm_at == datetime(2026, 11, 24, 7, 45, tzinfo=UTC)
        details = activities.get(session, aid)
    assert details.draft.start == datetime(2026, 11, 24, 9, 0)
    assert details.draft.end == datetime(2026, 11, 24, 9, 30)
    assert details.contact_names == "Maya Lund"
    assert contact_state(db, maya) == (None, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))


def test_follow_up_state_is_not_an_edit_of_the_contact(db: Database) -> None:
    make_syncing(db)  # so its changes are journaled
    maya = add_contact(db, "Maya", "Lund")
    with db.reading() as session:
        rev = session.get(Contact, maya).rev  # type: ignore[union-attr]
        journal = len(session.scalars(select(ChangeJournal)).all())
    schedule(db, (maya,), start=datetime(2026, 11, 24, 9, 0))
    with db.reading() as session:
        assert session.get(Contact, maya).rev == rev  # type: ignore[union-attr]
        kinds = [j.record_type for j in session.scalars(select(ChangeJournal))][journal:]
    assert kinds == ["activity"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"start": datetime(2026, 11, 24, 10), "end": datetime(2026, 11, 24, 9)},
            "end",
            "ends before it starts",
        ),
        ({"start": datetime(2026, 11, 24, 10), "alarm_minutes": -5}, "alarm", "before"),
        ({"start": None}, "start", "Enter the date"),
        (
            {
                "start": datetime(2026, 11, 24, 10),
                "repeat": Recurrence("daily", until=date(2026, 11, 20)),
            },
            "repeat",
            "ends before",
        ),
        (
            {"start": datetime(2026, 11, 24, 10), "repeat": Recurrence("daily", count=0)},
            "repeat",
            "at least once",
        ),
        ({"start": datetime(2026, 11, 24, 10), "kind": "lunch"}, "kind", "Choose a kind"),
        ({"start": datetime(2026, 11, 24, 10), "time_zone": "Mars/Olympus"}, "time_zone", "zone"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(
    db: Database, fields: dict[str, object], field: str, message: str
) -> None:
    maya = add_contact(db, "Maya")
    draft = ActivityDraft(contact_ids=(maya,), **{"time_zone": OSLO, **fields})  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        activities.schedule(session, draft)
    assert message in caught.value.problems[field]
    with db.reading() as session:
        assert session.scalars(select(Activity)).all() == []


def test_clearing_writes_history_on_every_linked_contact(db: Database) -> None:
    maya, ola = add_contact(db, "Maya"), add_contact(db, "Ola")
    aid = schedule(
        db, (maya, ola), kind="meeting", regarding="Kickoff", start=datetime(2026, 11, 20, 14)
    )
    with db.transaction() as session:
        result = activities.clear(session, aid, "completed", "Went well.", now=NOW)
    assert result.next_due is None
    with db.reading() as session:
        for who in (maya, ola):
            rows = history.history_for(session, who)
            assert [(r.kind, r.regarding, r.outcome, r.notes) for r in rows] == [
                ("meeting", "Kickoff", "completed", "Went well.")
            ]
        assert session.get(Activity, aid).status == "done"  # type: ignore[union-attr]
    assert contact_state(db, maya) == (NOW, None)
    with pytest.raises(ValidationError, match="already been cleared"), db.transaction() as s:
        activities.clear(s, aid, "completed", now=NOW)


def test_clearing_a_series_advances_it_and_a_cancel_ends_it(db: Database) -> None:
    maya = add_contact(db, "Maya")
    aid = schedule(
        db,
        (maya,),
        regarding="Weekly check-in",
        start=datetime(2026, 11, 23, 9, 0),
        repeat=Recurrence("weekly", count=3),
        alarm_minutes=10,
    )
    oslo = ZoneInfo(OSLO)
    for expected_next in (datetime(2026, 11, 30, 9, 0), datetime(2026, 12, 7, 9, 0)):
        with db.transaction() as session:
            result = activities.clear(session, aid, "completed", now=NOW)
        assert result.next_due is not None
        assert result.next_due.astimezone(oslo).replace(tzinfo=None) == expected_next
        assert contact_state(db, maya)[1] == result.next_due
    with db.reading() as session:
        activity = session.get(Activity, aid)
        assert activity is not None and activity.status == "open"
        assert activity.alarm_at == result.next_due - timedelta(minutes=10)
    with db.transaction() as session:  # the third and last one
        assert activities.clear(session, aid, "no answer", now=NOW).next_due is None
    with db.reading() as session:
        assert session.get(Activity, aid).status == "done"  # type: ignore[union-attr]
        assert len(history.history_for(session, maya)) == 3

    endless = schedule(db, (maya,), start=datetime(2026, 11, 23, 9, 0), repeat=Recurrence("daily"))
    with db.transaction() as session:
        assert activities.clear(session, endless, "cancelled", now=NOW).next_due is None
    with db.reading() as session:
        assert session.get(Activity, endless).status == "cancelled"  # type: ignore[union-attr]


def test_editing_a_series_keeps_its_progress(db: Database) -> None:
    maya = add_contact(db, "Maya")
    aid = schedule(db, (maya,), start=datetime(2026, 11, 23, 9, 0), repeat=Recurrence("weekly"))
    with db.transaction() as session:
        due = activities.clear(session, aid, "completed", now=NOW).next_due
    with db.transaction() as session:
        details = activities.get(session, aid)
        assert details.draft.start == datetime(2026, 11, 23, 9, 0)  # the series' start
        activities.update(
            session,
            aid,
            details.draft.__class__(**{**details.draft.__dict__, "regarding": "Renamed"}),
        )
    with db.reading() as session:
        activity = session.get(Activity, aid)
        assert activity is not None and activity.starts_at == due
        assert activity.regarding == "Renamed"


def test_reopen_undoes_a_clear(db: Database) -> None:
    maya = add_contact(db, "Maya")
    aid = schedule(db, (maya,), start=datetime(2026, 11, 20, 9, 0))
    with db.reading() as session:
        due = activities.get(session, aid).starts_at
    with db.transaction() as session:
        result = activities.clear(session, aid, "completed", now=NOW)
    with db.transaction() as session:
        activities.reopen(session, aid, result.history_id, due)
    with db.reading() as session:
        assert session.get(Activity, aid).status == "open"  # type: ignore[union-attr]
        assert history.history_for(session, maya) == []
    assert contact_state(db, maya) == (None, due)


def test_recording_history_sets_last_contacted(db: Database) -> None:
    maya = add_contact(db, "Maya")
    with db.transaction() as session:
        history.record_history(
            session, [maya], kind="call", occurred_at=NOW - timedelta(hours=1), duration_minutes=7
        )
    assert contact_state(db, maya) == (NOW - timedelta(hours=1), None)
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        history.record_history(
            session, [], kind="call", occurred_at=NOW + timedelta(days=3), duration_minutes=-1
        )
    assert set(caught.value.problems) == {"contacts", "when", "duration"}


def test_editing_history_moves_last_contacted_and_refuses_bad_values(db: Database) -> None:
    from dataclasses import replace

    from db.errors import NotFoundError

    maya, ola = add_contact(db, "Maya"), add_contact(db, "Ola")
    with db.transaction() as session:
        entry = history.record_history(
            session, [maya], kind="call", occurred_at=NOW - timedelta(hours=1)
        )
        draft = history.get_entry(session, entry).draft
    moved = replace(draft, occurred_at=NOW - timedelta(hours=3), contact_ids=(ola,))
    with db.transaction() as session:
        history.update(session, entry, moved)
    assert contact_state(db, maya) == (None, None)  # no longer with Maya
    assert contact_state(db, ola) == (NOW - timedelta(hours=3), None)
    with pytest.raises(ValidationError), db.transaction() as session:
        history.update(session, entry, replace(moved, occurred_at=NOW + timedelta(days=1)))
    with db.reading() as session:
        assert history.get_entry(session, entry).draft == moved  # nothing changed
        history.set_trashed(session, entry, True)
        with pytest.raises(NotFoundError):
            history.get_entry(session, entry)


def test_no_next_step_and_overdue_filters_and_sorts(db: Database) -> None:
    ids = {name: add_contact(db, name) for name in ("Ann", "Bo", "Cy", "Di")}
    schedule(db, (ids["Ann"],), start=datetime(2026, 11, 20, 9, 0))  # overdue
    schedule(db, (ids["Bo"],), start=datetime(2026, 11, 30, 9, 0))
    done = schedule(db, (ids["Cy"],), start=datetime(2026, 11, 21, 9, 0))
    with db.transaction() as session:
        activities.clear(session, done, "completed", now=NOW)
    with db.reading() as session:

        def names(query: ListQuery) -> list[str]:
            return [r.display_name for r in list_contacts(session, query, 0, 100)]

        none = ListQuery(follow_up=follow_up.FollowUpFilter.NO_NEXT_STEP)
        assert names(none) == ["Cy", "Di"]
        assert count_contacts(session, none) == 2
        overdue = ListQuery(follow_up=follow_up.FollowUpFilter.OVERDUE, now=NOW)
        assert names(overdue) == ["Ann"]
        assert names(ListQuery(sort=SortColumn.NEXT_STEP))[:2] == ["Ann", "Bo"]
        assert names(ListQuery(sort=SortColumn.LAST_CONTACTED, descending=True))[0] == "Cy"


def test_deleting_a_contact_can_take_its_open_activities_along(db: Database) -> None:
    maya = add_contact(db, "Maya")
    aid = schedule(db, (maya,), start=datetime(2026, 11, 24, 9, 0))
    with db.reading() as session:
        assert activities.open_for_contacts(session, [maya]) == [aid]
    with db.transaction() as session:
        assert activities.trash(session, [aid]) == 1
    with db.reading() as session:
        assert activities.open_for_contacts(session, [maya]) == []
    assert contact_state(db, maya) == (None, None)
    with db.transaction() as session:
        assert activities.restore(session, [aid]) == 1
    assert contact_state(db, maya)[1] is not None


def test_reminders_fire_by_the_injected_clock_and_snooze(db: Database) -> None:
    maya = add_contact(db, "Maya")
    aid = schedule(db, (maya,), start=datetime(2026, 11, 23, 11, 0), alarm_minutes=30)
    fires = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # 10:30 in Oslo
    with db.reading() as session:
        assert activities.next_alarm_at(session) == fires
        assert activities.due_alarms(session, fires - timedelta(seconds=1)) == []
        [alarm] = activities.due_alarms(session, fires)
    assert (alarm.activity_id, alarm.contacts, alarm.first_contact_id) == (aid, "Maya", maya)
    with db.transaction() as session:
        activities.snooze(session, [aid], fires + timedelta(minutes=5))
    with db.reading() as session:
        assert activities.due_alarms(session, fires + timedelta(minutes=4)) == []
        assert len(activities.due_alarms(session, fires + timedelta(minutes=5))) == 1
    with db.transaction() as session:
        activities.dismiss(session, [aid])
    with db.reading() as session:
        assert activities.due_alarms(session, fires + timedelta(days=1)) == []
        assert activities.next_alarm_at(session) is None


def test_task_buckets_filters_and_sorting(db: Database) -> None:
    maya, ola = add_contact(db, "Maya"), add_contact(db, "Ola")
    schedule(db, (maya,), regarding="late call", start=datetime(2026, 11, 20, 9, 0))
    schedule(db, (maya,), regarding="earlier today", start=datetime(2026, 11, 23, 8, 0))
    schedule(
        db,
        (ola,),
        regarding="this afternoon",
        start=datetime(2026, 11, 23, 15, 0),
        priority="high",
    )
    schedule(db, (ola,), regarding="anytime today", start=datetime(2026, 11, 23), timing="timeless")
    schedule(db, (maya, ola), kind="meeting", regarding="thursday", start=datetime(2026, 11, 26, 9))
    schedule(db, (ola,), regarding="next month", start=datetime(2026, 12, 20, 9, 0))
    with db.reading() as session:

        def regarding(query: TaskQuery) -> list[str]:
            return [r.regarding for r in tasks.list_tasks(session, query, CLOCK, 0, 50)]

        assert regarding(TaskQuery(Bucket.OVERDUE)) == ["late call", "earlier today"]
        assert regarding(TaskQuery(Bucket.TODAY)) == [
            "anytime today",
            "earlier today",
            "this afternoon",
        ]
        assert regarding(TaskQuery(Bucket.UPCOMING)) == ["thursday"]
        assert len(regarding(TaskQuery(Bucket.OPEN))) == 6
        assert regarding(TaskQuery(Bucket.OPEN, kind="meeting")) == ["thursday"]
        assert regarding(TaskQuery(Bucket.TODAY, sort=TaskSort.PRIORITY))[0] == "this afternoon"
        assert tasks.count_tasks(session, TaskQuery(Bucket.OPEN), CLOCK) == 6
        [row] = tasks.list_tasks(session, TaskQuery(Bucket.UPCOMING), CLOCK, 0, 10)
        assert row.contacts == "Maya, Ola" and row.first_contact_id == maya
        overdue = {
            r.regarding: r.overdue
            for r in tasks.list_tasks(session, TaskQuery(Bucket.TODAY), CLOCK, 0, 10)
        }
        assert overdue == {"anytime today": False, "earlier today": True, "this afternoon": False}


def test_done_bucket_lists_cleared_activities_newest_first(db: Database) -> None:
    maya = add_contact(db, "Maya")
    first = schedule(db, (maya,), regarding="first", start=datetime(2026, 11, 20, 9))
    second = schedule(db, (maya,), regarding="second", start=datetime(2026, 11, 21, 9))
    with db.transaction() as session:
        activities.clear(session, first, "attempted", now=NOW - timedelta(hours=2))
        activities.clear(session, second, "completed", now=NOW - timedelta(hours=1))
    with db.reading() as session:
        rows = tasks.list_tasks(session, TaskQuery(Bucket.DONE), CLOCK, 0, 10)
    assert [(r.regarding, r.outcome, r.contacts) for r in rows] == [
        ("second", "completed", "Maya"),
        ("first", "attempted", "Maya"),
    ]


def test_calendar_days_expand_series_and_cap_busy_days(db: Database) -> None:
    maya = add_contact(db, "Maya")
    series = schedule(
        db,
        (maya,),
        regarding="standup",
        start=datetime(2026, 11, 23, 9, 0),
        repeat=Recurrence("daily"),
    )
    for hour in range(8, 14):
        schedule(db, (maya,), regarding=f"busy {hour}", start=datetime(2026, 11, 25, hour, 30))
    with db.reading() as session:
        days = calendar.calendar_days(session, date(2026, 11, 23), 7, CLOCK, per_day=4)
    assert [d.day for d in days] == [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
    monday = days[0].items
    assert [(i.regarding, i.movable) for i in monday] == [("standup", True)]
    assert [(i.regarding, i.movable) for i in days[1].items] == [("standup", False)]
    assert days[1].items[0].activity_id == series
    wednesday = days[2]
    assert wednesday.total == 7 and len(wednesday.items) == 4 and wednesday.hidden == 3
    assert wednesday.items[0].contacts == "Maya"


def test_deleted_activities_wait_in_the_trash(db: Database) -> None:
    from db import trash

    maya = add_contact(db, "Maya")
    aid = schedule(db, (maya,), regarding="Pilot call", start=datetime(2026, 11, 24, 9, 0))
    with db.transaction() as session:
        activities.clear(session, aid, "completed", now=NOW)
    with db.transaction() as session:
        activities.trash(session, [aid])
    with db.reading() as session:
        [item] = trash.list_trash(session)
        assert (item.kind, item.name, item.detail) == ("activity", "Pilot call", "call")
        assert trash.count_trash(session) == 1
    with db.transaction() as session:
        trash.restore(session, [item])
    with db.reading() as session:
        assert trash.count_trash(session) == 0
    with db.transaction() as session:
        activities.trash(session, [aid])
    with db.transaction() as session:
        trash.purge(session, trash.list_trash(session))
    with db.reading() as session:
        assert session.get(Activity, aid) is None
        [entry] = history.history_for(session, maya)  # history outlives its activity
        assert entry.regarding == "Pilot call"


def test_the_agenda_lists_overdue_first_up_to_its_limit_and_counts_the_rest(
    db: Database,
) -> None:
    """`callsheet agenda` has no silent cap: it says how many it left out."""
    maya = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        for n in range(-3, 4):  # three overdue, four coming
            due = (NOW + timedelta(hours=n, minutes=30)).replace(tzinfo=None)
            draft = ActivityDraft(
                regarding=f"call {n}", start=due, time_zone="UTC", contact_ids=(maya,)
            )
            activities.schedule(session, draft)
    book = ContactBook(db)
    every = book.agenda(CLOCK, days=7)
    overdue = book.agenda(CLOCK, days=7, overdue_only=True)
    first_two = book.agenda(CLOCK, days=7, limit=2)
    first_five = book.agenda(CLOCK, days=7, limit=5)
    overdue_two = book.agenda(CLOCK, days=7, overdue_only=True, limit=2)
    assert [r.regarding for r in every.rows] == [f"call {n}" for n in range(-3, 4)]
    assert every.total == 7
    assert [r.regarding for r in overdue.rows] == ["call -3", "call -2", "call -1"]
    assert overdue.total == 3
    assert [r.regarding for r in first_two.rows] == ["call -3", "call -2"]
    assert first_two.total == 7
    assert [r.regarding for r in first_five.rows] == [f"call {n}" for n in range(-3, 2)]
    assert (len(overdue_two.rows), overdue_two.total) == (2, 3)


@pytest.mark.parametrize("hours_ahead", [0, 7, 30, 24 * 40])
def test_the_agenda_and_the_task_list_agree_on_what_is_overdue(
    db: Database, hours_ahead: int
) -> None:
    """The agenda's own SQL (it runs without SQLAlchemy for the command line) and the
    task list's buckets say "overdue" alike: timed, all-day and timeless follow-ups,
    seen at several moments."""
    book = ContactBook(db)
    book.seed(300, seed=4)
    moment = Moment(NOW + timedelta(hours=hours_ahead), OSLO)
    found = book.agenda(moment, days=3, limit=100_000)
    overdue = [r.id for r in found.rows if r.overdue]
    coming = [r.id for r in found.rows if not r.overdue]
    listed = book.tasks(TaskQuery(Bucket.OVERDUE), moment, 0, 100_000)
    end = moment.day_start(moment.today + timedelta(days=4))
    open_by_then = book.tasks(TaskQuery(Bucket.OPEN, due_before=end), moment, 0, 100_000)
    assert sorted(overdue) == sorted(r.activity_id for r in listed)
    assert sorted(coming) == sorted(r.activity_id for r in open_by_then if not r.overdue)
    assert overdue and coming
    for part in (True, False):
        dues = [r.due for r in found.rows if r.overdue is part]
        assert dues == sorted(dues)
    assert {r.timing for r in found.rows} >= {"timed", "all_day"}
    assert found.total == len(found.rows)
