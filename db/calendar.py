"""What the calendar shows: activities day by day, recurring ones expanded.

Each day is read with its own small index range query (at most `per_day` items plus
a count), so a month stays quick however many activities the database holds.
Recurring series show their current occurrence (movable) and the later ones
the rule produces (not movable on their own).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from db import recurrence
from db.clock import Moment
from db.models import Activity, UTCDateTime
from db.tasks import contact_names, timing_of

SHOWN_STATUSES = ("open", "done")


@dataclass(frozen=True)
class CalendarItem:
    activity_id: uuid.UUID
    kind: str
    regarding: str
    starts_at: datetime
    duration_minutes: int
    timing: str
    priority: str
    status: str
    recurring: bool
    movable: bool
    contacts: str = ""


@dataclass(frozen=True)
class CalendarDay:
    day: date
    items: list[CalendarItem] = field(default_factory=list)
    total: int = 0

    @property
    def hidden(self) -> int:
        """How many more items the day has than it carries."""
        return self.total - len(self.items)


_COLUMNS = (
    Activity.id,
    Activity.kind,
    Activity.regarding,
    Activity.starts_at,
    Activity.duration_minutes,
    Activity.all_day,
    Activity.timeless,
    Activity.priority,
    Activity.status,
    Activity.rrule.is_not(None),
)
_IN_DAY = (
    Activity.status.in_(SHOWN_STATUSES),
    Activity.starts_at >= bindparam("start", type_=UTCDateTime),
    Activity.starts_at < bindparam("end", type_=UTCDateTime),
    Activity.deleted_at.is_(None),
)
# Built once: a month is 84 small queries, so statement building would dominate.
_DAY_COUNT = select(func.count()).select_from(Activity).where(*_IN_DAY)
_DAY_ITEMS = (
    select(*_COLUMNS).where(*_IN_DAY).order_by(Activity.starts_at).limit(bindparam("limit"))
)


def calendar_days(
    session: Session, first: date, days: int, moment: Moment, per_day: int = 200
) -> list[CalendarDay]:
    """`days` days from `first` (in the viewer's zone), each with up to `per_day` items
    in start order and its full count."""
    found: list[tuple[date, list[CalendarItem], int]] = []
    connection = session.connection()
    for offset in range(days):
        day = first + timedelta(days=offset)
        bounds = {
            "start": moment.day_start(day),
            "end": moment.day_start(day + timedelta(days=1)),
        }
        total = connection.execute(_DAY_COUNT, bounds).scalar_one()
        items = []
        if total:
            rows = connection.execute(_DAY_ITEMS, {**bounds, "limit": per_day})
            items = [_item(row, movable=row[8] == "open") for row in rows]
        found.append((day, items, total))
    _add_repeats(session, found, moment, per_day)
    names = contact_names(session, list({i.activity_id for _d, items, _t in found for i in items}))
    return [
        CalendarDay(
            day,
            [_named(item, names.get(item.activity_id, "")) for item in items],
            total,
        )
        for day, items, total in found
    ]


def _add_repeats(
    session: Session,
    found: list[tuple[date, list[CalendarItem], int]],
    moment: Moment,
    per_day: int,
) -> None:
    """Later occurrences of open series that fall in the shown days."""
    if not found:
        return
    start = moment.day_start(found[0][0])
    end = moment.day_start(found[-1][0] + timedelta(days=1))
    by_day = {day: (items, n) for n, (day, items, _total) in enumerate(found)}
    # No status term: with one, SQLite would walk every open activity by due time
    # instead of the small series index; closed series are few and skipped here.
    series = session.execute(
        select(Activity).where(
            Activity.rrule.is_not(None),
            Activity.deleted_at.is_(None),
            Activity.starts_at < end,
        )
    ).scalars()
    for activity in series:
        if activity.status != "open":
            continue
        assert activity.starts_at is not None and activity.rrule is not None
        zone = activity.time_zone or "UTC"
        later = recurrence.between(
            activity.rrule,
            activity.series_start or activity.starts_at,
            zone,
            max(start, activity.starts_at + timedelta(seconds=1)),
            end,
        )
        for occurrence in later:
            day = moment.day_of(occurrence)
            if day not in by_day:
                continue
            items, index = by_day[day]
            day_, _items, total = found[index]
            if len(items) < per_day:
                items.append(
                    CalendarItem(
                        activity.id,
                        activity.kind,
                        activity.regarding,
                        occurrence,
                        activity.duration_minutes,
                        timing_of(activity.all_day, activity.timeless),
                        activity.priority,
                        "open",
                        recurring=True,
                        movable=False,
                    )
                )
                items.sort(key=lambda item: item.starts_at)
            found[index] = (day_, items, total + 1)


def _item(row: Any, *, movable: bool) -> CalendarItem:
    return CalendarItem(
        activity_id=row[0],
        kind=row[1],
        regarding=row[2],
        starts_at=row[3],
        duration_minutes=row[4],
        timing=timing_of(row[5], row[6]),
        priority=row[7],
        status=row[8],
        recurring=bool(row[9]),
        movable=movable,
    )


def _named(item: CalendarItem, names: str) -> CalendarItem:
    return replace(item, contacts=names)
