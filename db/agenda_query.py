"""The agenda (`callsheet agenda`): open follow-ups, everything overdue first, then what
is due from now to the end of a day ahead, each part by due time; at most `limit` of
them, with the count of all (the command says what it left out).

Plain SQL through any `Execute` (as `db.lookup_query`), so the command can answer from
sqlite3 alone (`db.quick_read`) and the app the same way through its session. "Overdue"
means what it means in the task list (`db.tasks.overdue_condition`): a timed follow-up
whose time has passed, or an all-day or timeless one whose day has; the tests hold the
two to the same answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from db import moments
from db.clock import Moment
from db.plain_sql import Execute

_DATED_ONLY = "(a.all_day IS 1 OR a.timeless IS 1)"
# Parameters: now, the start of today (both as stored).
_OVERDUE = f"((NOT {_DATED_ONLY} AND a.starts_at < ?) OR ({_DATED_ONLY} AND a.starts_at < ?))"
_OPEN = "FROM activities a WHERE a.status = 'open' AND a.deleted_at IS NULL"
_COLUMNS = (
    "a.id, a.kind, a.regarding, a.starts_at, a.all_day, a.timeless, a.priority, a.rrule IS NOT NULL"
)


@dataclass(frozen=True)
class AgendaRow:
    """One open follow-up as the agenda lists it."""

    id: uuid.UUID
    kind: str
    regarding: str
    due: datetime  # aware, in UTC
    timing: str  # "timed", "all_day" or "timeless"
    priority: str
    recurring: bool
    overdue: bool
    contact_names: tuple[str, ...] = ()

    @property
    def contacts(self) -> str:
        return ", ".join(self.contact_names)


@dataclass(frozen=True)
class Agenda:
    """What the agenda shows, and how many it would show without its limit."""

    rows: list[AgendaRow]
    total: int


def agenda(
    execute: Execute, moment: Moment, days: int, overdue_only: bool = False, limit: int = 100
) -> Agenda:
    """Overdue follow-ups, then (unless `overdue_only`) those due by the end of the day
    `days` days ahead; at most `limit` rows, and how many there are in all."""
    now, today = moments.stored(moment.now), moments.stored(moment.day_start(moment.today))
    overdue_part = (f"a.starts_at < ? AND {_OVERDUE}", (now, now, today))
    parts = [overdue_part]
    if not overdue_only:
        end = moments.stored(moment.day_start(moment.today + timedelta(days=days + 1)))
        parts.append((f"a.starts_at < ? AND NOT {_OVERDUE}", (end, now, today)))
    rows: list[AgendaRow] = []
    total = 0
    for number, (condition, values) in enumerate(parts):
        if len(rows) < limit:
            found = execute(
                f"SELECT {_COLUMNS} {_OPEN} AND {condition} ORDER BY a.starts_at LIMIT ?",
                (*values, limit - len(rows)),
            )
            rows += [_row(record, overdue=number == 0) for record in found]
        [(count,)] = execute(f"SELECT count(*) {_OPEN} AND {condition}", values)
        total += int(count)
    return Agenda(_named(execute, rows), total)


def _row(record: Sequence[Any], *, overdue: bool) -> AgendaRow:
    stored_id, kind, regarding, starts_at, all_day, timeless, priority, recurring = record
    return AgendaRow(
        id=uuid.UUID(bytes=stored_id),
        kind=kind,
        regarding=regarding,
        due=moments.moment(starts_at),
        timing="all_day" if all_day else "timeless" if timeless else "timed",
        priority=priority,
        recurring=bool(recurring),
        overdue=overdue,
    )


def _named(execute: Execute, rows: list[AgendaRow]) -> list[AgendaRow]:
    """The rows with their contacts' names, sorted."""
    if not rows:
        return rows
    names: dict[bytes, list[str]] = {}
    marks = ",".join("?" * len(rows))
    for activity_id, name in execute(
        "SELECT l.activity_id, c.display_name FROM activity_contacts l "
        f"JOIN contacts c ON c.id = l.contact_id WHERE l.activity_id IN ({marks})",
        [row.id.bytes for row in rows],
    ):
        names.setdefault(activity_id, []).append(name)
    return [replace(row, contact_names=tuple(sorted(names.get(row.id.bytes, [])))) for row in rows]
