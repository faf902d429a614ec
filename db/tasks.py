"""The task list: open activities by due time (Overdue, Today, Upcoming, All open) and
what was done (cleared activities, newest first), filtered and paged.

Timed activities are overdue once their time has passed; all-day and timeless ones
once their day has. "Today" and "Upcoming" are days in the viewer's zone.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from db.clock import Moment
from db.models import (
    Activity,
    Contact,
    HistoryEntry,
    activity_contacts,
    group_members,
    history_contacts,
)
from db.planner import unindexed

UPCOMING_DAYS = 7


class Bucket(Enum):
    OVERDUE = "Overdue"
    TODAY = "Today"
    UPCOMING = "Upcoming"
    OPEN = "All open"
    DONE = "Done"


class TaskSort(Enum):
    DUE = "due"
    PRIORITY = "priority"
    KIND = "kind"
    REGARDING = "regarding"


@dataclass(frozen=True)
class TaskQuery:
    """Which tasks the list shows and in what order."""

    bucket: Bucket = Bucket.TODAY
    kind: str | None = None
    priority: str | None = None
    group_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    due_before: datetime | None = None
    sort: TaskSort = TaskSort.DUE
    descending: bool = False


@dataclass(frozen=True)
class TaskRow:
    """One row of the task list. For Done rows `id` is the history entry's id."""

    id: uuid.UUID
    activity_id: uuid.UUID | None
    kind: str
    regarding: str
    due: datetime
    timing: str
    duration_minutes: int
    priority: str
    recurring: bool
    overdue: bool
    outcome: str | None
    contact_names: tuple[str, ...] = ()
    first_contact_id: uuid.UUID | None = None

    @property
    def contacts(self) -> str:
        return ", ".join(self.contact_names)


_PRIORITY_RANK = case((Activity.priority == "high", 0), (Activity.priority == "normal", 1), else_=2)


def count_tasks(session: Session, query: TaskQuery, moment: Moment) -> int:
    """How many rows the list shows for `query`."""
    if query.bucket is Bucket.DONE:
        statement = _done_filtered(
            select(func.count()).select_from(HistoryEntry), query, joined=query.priority is not None
        )
    else:
        statement = _open_filtered(select(func.count()).select_from(Activity), query, moment)
    return session.scalar(statement) or 0


def list_tasks(
    session: Session, query: TaskQuery, moment: Moment, offset: int, limit: int
) -> list[TaskRow]:
    """One page of the task list."""
    if query.bucket is Bucket.DONE:
        rows = _done_page(session, query, offset, limit)
        return _with_contacts(session, rows, history_contacts, "history_id")
    overdue = overdue_condition(moment)
    statement = _open_filtered(
        select(
            Activity.id,
            Activity.id,
            Activity.kind,
            Activity.regarding,
            Activity.starts_at,
            Activity.all_day,
            Activity.timeless,
            Activity.duration_minutes,
            Activity.priority,
            Activity.rrule.is_not(None),
            overdue,
        ),
        query,
        moment,
    )
    statement = statement.order_by(*_order(query, Activity.starts_at))
    found = [
        _task_row(row, overdue=bool(row[10]), outcome=None)
        for row in session.execute(statement.offset(offset).limit(limit))
    ]
    return _with_contacts(session, found, activity_contacts, "activity_id")


def overdue_condition(moment: Moment) -> ColumnElement[bool]:
    """True for an open activity whose time (or, for dated-only ones, day) has passed."""
    dated_only = or_(Activity.all_day.is_(True), Activity.timeless.is_(True))
    return or_(
        and_(~dated_only, Activity.starts_at < moment.now),
        and_(dated_only, Activity.starts_at < moment.day_start(moment.today)),
    )


def first_busy_bucket(session: Session, moment: Moment) -> Bucket:
    """Overdue, Today or Upcoming: the first that holds an open follow-up (Today when
    none does), each asked for one row only."""
    for bucket in (Bucket.OVERDUE, Bucket.TODAY, Bucket.UPCOMING):
        found = _open_filtered(select(Activity.id), TaskQuery(bucket), moment).limit(1)
        if session.scalar(found) is not None:
            return bucket
    return Bucket.TODAY


def bucket_counts(session: Session, moment: Moment) -> dict[Bucket, int]:
    """Counts for the bucket tabs (Done is not counted: it only grows)."""
    return {
        bucket: count_tasks(session, TaskQuery(bucket), moment)
        for bucket in (Bucket.OVERDUE, Bucket.TODAY, Bucket.UPCOMING, Bucket.OPEN)
    }


def _open_filtered(statement: Any, query: TaskQuery, moment: Moment) -> Any:
    # One contact's follow-ups start from that contact's links, not the status index.
    status = unindexed(Activity.status) if query.contact_id is not None else Activity.status
    statement = statement.where(status == "open", Activity.deleted_at.is_(None))
    today = moment.today
    if query.bucket is Bucket.OVERDUE:
        statement = statement.where(Activity.starts_at < moment.now, overdue_condition(moment))
    elif query.bucket is Bucket.TODAY:
        statement = statement.where(
            Activity.starts_at >= moment.day_start(today),
            Activity.starts_at < moment.day_start(today + timedelta(days=1)),
        )
    elif query.bucket is Bucket.UPCOMING:
        statement = statement.where(
            Activity.starts_at >= moment.day_start(today + timedelta(days=1)),
            Activity.starts_at < moment.day_start(today + timedelta(days=1 + UPCOMING_DAYS)),
        )
    if query.due_before is not None:
        statement = statement.where(Activity.starts_at < query.due_before)
    if query.kind is not None:
        statement = statement.where(Activity.kind == query.kind)
    if query.priority is not None:
        statement = statement.where(Activity.priority == query.priority)
    return _with_people(statement, query, activity_contacts.c.activity_id, Activity.id)


def _done_filtered(statement: Any, query: TaskQuery, *, joined: bool = True) -> Any:
    """History entries that cleared an activity; `joined` brings in the activity (for
    its priority), which a plain count does not need."""
    if joined:
        statement = statement.join(Activity, Activity.id == HistoryEntry.activity_id)
    # One contact's start from that contact's links, not the index of everything cleared.
    cleared = (
        unindexed(HistoryEntry.activity_id)
        if query.contact_id is not None
        else HistoryEntry.activity_id
    )
    statement = statement.where(cleared.is_not(None), HistoryEntry.deleted_at.is_(None))
    if query.kind is not None:
        statement = statement.where(HistoryEntry.kind == query.kind)
    if query.priority is not None:
        statement = statement.where(Activity.priority == query.priority)
    return _with_people(statement, query, history_contacts.c.history_id, HistoryEntry.id)


def _with_people(statement: Any, query: TaskQuery, linked: Any, record_id: Any) -> Any:
    """Keep records linked (through `linked`, a link table's record column) to the
    query's contact, or to anyone in its group."""
    contact_id = linked.table.c.contact_id
    if query.contact_id is not None:
        statement = statement.where(
            record_id.in_(select(linked).where(contact_id == query.contact_id))
        )
    if query.group_id is not None:
        statement = statement.where(
            exists()
            .where(linked == record_id)
            .where(group_members.c.contact_id == contact_id)
            .where(group_members.c.group_id == query.group_id)
        )
    return statement


def _done_page(session: Session, query: TaskQuery, offset: int, limit: int) -> list[TaskRow]:
    statement = _done_filtered(
        select(
            HistoryEntry.id,
            HistoryEntry.activity_id,
            HistoryEntry.kind,
            HistoryEntry.regarding,
            HistoryEntry.occurred_at,
            Activity.all_day,
            Activity.timeless,
            HistoryEntry.duration_minutes,
            Activity.priority,
            Activity.rrule.is_not(None),
            HistoryEntry.outcome,
        ),
        query,
    )
    # Done reads newest first unless the user flips it.
    due_query = TaskQuery(query.bucket, sort=query.sort, descending=not query.descending)
    statement = statement.order_by(*_order(due_query, HistoryEntry.occurred_at))
    return [
        _task_row(row, overdue=False, outcome=row[10])
        for row in session.execute(statement.offset(offset).limit(limit))
    ]


def _task_row(row: Any, *, overdue: bool, outcome: str | None) -> TaskRow:
    """A row from (id, activity id, kind, regarding, due, all day, timeless, minutes,
    priority, recurring, ...)."""
    return TaskRow(
        id=row[0],
        activity_id=row[1],
        kind=row[2],
        regarding=row[3],
        due=row[4],
        timing=timing_of(row[5], row[6]),
        duration_minutes=row[7],
        priority=row[8],
        recurring=bool(row[9]),
        overdue=overdue,
        outcome=outcome,
    )


def _order(query: TaskQuery, due: Any) -> list[Any]:
    key = {
        TaskSort.DUE: due,
        TaskSort.PRIORITY: _PRIORITY_RANK,
        TaskSort.KIND: Activity.kind,
        TaskSort.REGARDING: Activity.regarding,
    }[query.sort]
    first = key.desc() if query.descending else key.asc()
    return [first] if query.sort is TaskSort.DUE else [first, due.asc()]


def _with_contacts(session: Session, rows: list[TaskRow], link: Any, key: str) -> list[TaskRow]:
    """Fill in each row's contact names (sorted) and its first contact."""
    if not rows:
        return rows
    names: dict[uuid.UUID, list[tuple[str, uuid.UUID]]] = {}
    ids = [row.id for row in rows]
    for owner, contact_id, name in session.execute(
        select(getattr(link.c, key), Contact.id, Contact.display_name)
        .join(Contact, Contact.id == link.c.contact_id)
        .where(getattr(link.c, key).in_(ids))
    ):
        names.setdefault(owner, []).append((name, contact_id))
    filled = []
    for row in rows:
        people = sorted(names.get(row.id, []))
        filled.append(
            replace(
                row,
                contact_names=tuple(name for name, _id in people),
                first_contact_id=people[0][1] if people else None,
            )
        )
    return filled


def timing_of(all_day: bool | None, timeless: bool | None) -> str:
    """ "all_day", "timeless" or "timed", from an activity's two flags."""
    return "all_day" if all_day else "timeless" if timeless else "timed"


def contact_names(session: Session, activity_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Activity id -> its contacts' names, for the calendar."""
    names: dict[uuid.UUID, list[str]] = {}
    for activity_id, name in session.execute(
        select(activity_contacts.c.activity_id, Contact.display_name)
        .join(Contact, Contact.id == activity_contacts.c.contact_id)
        .where(activity_contacts.c.activity_id.in_(list(activity_ids)))
    ):
        names.setdefault(activity_id, []).append(name)
    return {key: ", ".join(sorted(value)) for key, value in names.items()}
