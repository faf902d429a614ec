"""Scheduled follow-ups: schedule, edit, reschedule, clear into history, remind.

Times come in as the user entered them (a wall-clock time in a named zone) and
are stored in UTC with that zone. Clearing an activity writes one history entry
linked to every contact of the activity; a recurring one then advances to its
next occurrence instead of closing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db import follow_up, recurrence
from db.activity_values import KINDS, OUTCOMES, PRIORITIES, TIMINGS, ActivityDraft
from db.clock import session_now
from db.errors import NotFoundError, ValidationError
from db.models import Activity, Contact, HistoryEntry, activity_contacts
from db.planner import unindexed
from db.recurrence import Recurrence, RecurrenceError
from db.tasks import timing_of

MAX_REGARDING = 500
MAX_TIMED_MINUTES = 14 * 24 * 60
MAX_ALARM_MINUTES = 60 * 24 * 60


@dataclass(frozen=True)
class ActivityDetails:
    """An activity read back for editing, clearing and showing."""

    id: uuid.UUID
    draft: ActivityDraft
    status: str
    starts_at: datetime
    recurring: bool
    contacts: tuple[tuple[uuid.UUID, str], ...] = field(default_factory=tuple)

    @property
    def contact_names(self) -> str:
        return ", ".join(name for _id, name in self.contacts)


@dataclass(frozen=True)
class ClearResult:
    """What clearing did: the history entry it wrote and, for a series, the next due."""

    history_id: uuid.UUID
    next_due: datetime | None


@dataclass(frozen=True)
class AlarmRow:
    """A reminder that is due: the activity, when it starts, and for whom."""

    activity_id: uuid.UUID
    kind: str
    regarding: str
    starts_at: datetime
    alarm_at: datetime
    timing: str
    contacts: str
    first_contact_id: uuid.UUID | None


@dataclass(frozen=True)
class _Timing:
    starts_at: datetime
    duration_minutes: int
    series_start: datetime | None
    rrule: str | None


def validate(draft: ActivityDraft) -> _Timing:
    """Check `draft`; raise ValidationError naming every field with a problem."""
    problems: dict[str, str] = {}
    if draft.kind not in KINDS:
        problems["kind"] = f"Choose a kind: {', '.join(KINDS)}."
    if len(draft.regarding.strip()) > MAX_REGARDING:
        problems["regarding"] = f"Regarding is too long (at most {MAX_REGARDING} characters)."
    if draft.priority not in PRIORITIES:
        problems["priority"] = f"Choose a priority: {', '.join(PRIORITIES)}."
    if draft.timing not in TIMINGS:
        problems["timing"] = "Choose timed, all day or timeless."
    try:
        zone = ZoneInfo(draft.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        problems["time_zone"] = f"“{draft.time_zone}” is not a time zone this computer knows."
        zone = ZoneInfo("UTC")
    if draft.start is None:
        problems["start"] = "Enter the date (and time) it is due."
        raise ValidationError(problems)

    start = draft.start if draft.timing == "timed" else datetime.combine(draft.start, time())
    duration = _duration(draft, start, problems)
    if draft.alarm_minutes is not None and draft.alarm_minutes < 0:
        problems["alarm"] = "The reminder must come before the activity, not after it."
    elif draft.alarm_minutes is not None and draft.alarm_minutes > MAX_ALARM_MINUTES:
        problems["alarm"] = "A reminder can come at most 60 days before."

    start_local = start.replace(tzinfo=zone)
    starts_at = start_local.astimezone(UTC)
    rrule = series_start = None
    if draft.repeat is not None:
        rrule, first = _checked_repeat(draft.repeat, start_local, draft.time_zone, problems)
        if first is not None:
            series_start, starts_at = starts_at, first
    if problems:
        raise ValidationError(problems)
    return _Timing(starts_at, duration, series_start, rrule)


def schedule(
    session: Session,
    draft: ActivityDraft,
    *,
    activity_id: uuid.UUID | None = None,
    ical_uid: str | None = None,
) -> uuid.UUID:
    """Save a new open activity and return its id. A calendar import passes the id its
    UID names and, for another app's UID, that UID to write back on export."""
    timing = validate(draft)
    activity = Activity(status="open", ical_uid=ical_uid)
    if activity_id is not None:
        activity.id = activity_id
    _apply(session, activity, draft, timing, new=True)
    session.add(activity)
    follow_up.refresh(session, draft.contact_ids)
    return activity.id


def update(session: Session, activity_id: uuid.UUID, draft: ActivityDraft) -> None:
    """Save an edited activity (its contacts included)."""
    timing = validate(draft)
    activity = _load(session, activity_id)
    before = {c.id for c in activity.contacts}
    timing = _keep_series_progress(activity, timing, draft.time_zone)
    _apply(session, activity, draft, timing, new=False)
    follow_up.refresh(session, before | set(draft.contact_ids))


def reschedule(session: Session, activity_id: uuid.UUID, starts_at: datetime) -> None:
    """Move the current occurrence to `starts_at` (UTC), keeping its length and
    reminder lead. A series keeps its rule; the next clear continues after this time."""
    activity = _load(session, activity_id)
    if activity.status != "open":
        raise ValidationError({"start": "Only open activities can be moved."})
    activity.starts_at = starts_at
    activity.alarm_at = _alarm_at(starts_at, activity.alarm_minutes)
    follow_up.refresh(session, [c.id for c in activity.contacts])


def get(session: Session, activity_id: uuid.UUID) -> ActivityDetails:
    """An activity with its contacts, in the terms the dialog edits."""
    activity = _load(session, activity_id)
    assert activity.starts_at is not None
    contacts = tuple(
        sorted(((c.id, c.display_name) for c in activity.contacts), key=lambda pair: pair[1])
    )
    first = activity.series_start or activity.starts_at if activity.rrule else activity.starts_at
    draft = draft_from(activity, first, tuple(c for c, _name in contacts))
    return ActivityDetails(
        activity.id, draft, activity.status, activity.starts_at, bool(activity.rrule), contacts
    )


def draft_from(
    activity: Activity, start: datetime, contact_ids: tuple[uuid.UUID, ...]
) -> ActivityDraft:
    """The activity's values as a draft starting at `start` (UTC): its series' first
    occurrence for the dialog, the current one for a calendar."""
    zone_name = activity.time_zone or "UTC"
    local = start.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
    timing = timing_of(activity.all_day, activity.timeless)
    if timing == "all_day":
        end = local + timedelta(days=max(activity.duration_minutes // 1440 - 1, 0))
    else:
        end = local + timedelta(minutes=activity.duration_minutes)
    return ActivityDraft(
        kind=activity.kind,
        regarding=activity.regarding,
        start=local,
        end=end,
        timing=timing,
        time_zone=zone_name,
        priority=activity.priority,
        alarm_minutes=activity.alarm_minutes,
        repeat=Recurrence.from_rrule(activity.rrule, zone_name) if activity.rrule else None,
        contact_ids=contact_ids,
    )


def clear(
    session: Session,
    activity_id: uuid.UUID,
    outcome: str,
    notes: str = "",
    *,
    occurred_at: datetime | None = None,
    duration_minutes: int | None = None,
    now: datetime | None = None,
) -> ClearResult:
    """Complete the current occurrence: write history on every linked contact, then
    advance a series to its next occurrence or close the activity."""
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": f"Choose an outcome: {', '.join(OUTCOMES)}."})
    now = now or session_now(session)
    activity = _load(session, activity_id)
    if activity.status != "open":
        raise ValidationError({"outcome": "This activity has already been cleared."})
    assert activity.starts_at is not None
    contacts = list(activity.contacts)
    entry = HistoryEntry(
        kind=activity.kind,
        occurred_at=occurred_at or now,
        duration_minutes=(
            activity.duration_minutes if duration_minutes is None else duration_minutes
        ),
        outcome=outcome,
        regarding=activity.regarding,
        notes=notes.strip() or None,
        activity_id=activity.id,
        contacts=contacts,
    )
    session.add(entry)
    next_due = None
    if activity.rrule and outcome != "cancelled":
        next_due = recurrence.next_occurrence(
            activity.rrule,
            activity.series_start or activity.starts_at,
            activity.time_zone or "UTC",
            activity.starts_at,
        )
    if next_due is not None:
        activity.starts_at = next_due
        activity.alarm_at = _alarm_at(next_due, activity.alarm_minutes)
    else:
        activity.status = "cancelled" if outcome == "cancelled" else "done"
        activity.completed_at = now
        activity.alarm_at = None
    session.flush()
    follow_up.refresh(session, [c.id for c in contacts])
    return ClearResult(entry.id, next_due)


def reopen(session: Session, activity_id: uuid.UUID, history_id: uuid.UUID, due: datetime) -> None:
    """Undo a clear: drop its history entry and put the activity back at `due`."""
    activity = _load(session, activity_id)
    entry = session.get(HistoryEntry, history_id)
    if entry is not None:
        entry.deleted_at = session_now(session)
    activity.status = "open"
    activity.completed_at = None
    activity.starts_at = due
    alarm_at = _alarm_at(due, activity.alarm_minutes)
    now = session_now(session)
    activity.alarm_at = alarm_at if alarm_at is not None and alarm_at > now else None
    follow_up.refresh(session, [c.id for c in activity.contacts])


def trash(session: Session, activity_ids: Sequence[uuid.UUID]) -> int:
    """Move activities to the Trash; returns how many moved."""
    return _set_trashed(session, activity_ids, session_now(session))


def restore(session: Session, activity_ids: Sequence[uuid.UUID]) -> int:
    """Bring activities back from the Trash."""
    return _set_trashed(session, activity_ids, None)


def open_for_contacts(session: Session, contact_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Open, live activities linked to any of these contacts."""
    ids: set[uuid.UUID] = set()
    for start in range(0, len(contact_ids), 500):
        ids.update(
            session.scalars(
                select(Activity.id)
                .join(activity_contacts, activity_contacts.c.activity_id == Activity.id)
                .where(
                    activity_contacts.c.contact_id.in_(list(contact_ids[start : start + 500])),
                    unindexed(Activity.status) == "open",  # from the contacts' links
                    Activity.deleted_at.is_(None),
                )
            )
        )
    return sorted(ids)


def due_alarms(session: Session, now: datetime, limit: int = 50) -> list[AlarmRow]:
    """Reminders whose time has come (including ones missed while the app was closed)."""
    activities = session.scalars(
        select(Activity)
        .where(
            Activity.alarm_at.is_not(None),
            Activity.alarm_at <= now,
            unindexed(Activity.status) == "open",  # by the reminder index, in time order
            Activity.deleted_at.is_(None),
        )
        .order_by(Activity.alarm_at)
        .limit(limit)
        .options(selectinload(Activity.contacts))
    )
    rows = []
    for activity in activities:
        assert activity.starts_at is not None and activity.alarm_at is not None
        names = sorted(c.display_name for c in activity.contacts if c.deleted_at is None)
        first = min(activity.contacts, key=lambda c: c.display_name, default=None)
        rows.append(
            AlarmRow(
                activity.id,
                activity.kind,
                activity.regarding,
                activity.starts_at,
                activity.alarm_at,
                timing_of(activity.all_day, activity.timeless),
                ", ".join(names),
                first.id if first else None,
            )
        )
    return rows


def next_alarm_at(session: Session) -> datetime | None:
    """When the next reminder is due, so a timer can wait for exactly that."""
    return session.scalar(
        select(Activity.alarm_at)
        .where(
            Activity.alarm_at.is_not(None),
            unindexed(Activity.status) == "open",
            Activity.deleted_at.is_(None),
        )
        .order_by(Activity.alarm_at)
        .limit(1)
    )


def snooze(session: Session, activity_ids: Sequence[uuid.UUID], until: datetime) -> None:
    """Show these reminders again at `until`."""
    for activity in _many(session, activity_ids):
        activity.alarm_at = until


def dismiss(session: Session, activity_ids: Sequence[uuid.UUID]) -> None:
    """These reminders have been seen; the activities stay open."""
    for activity in _many(session, activity_ids):
        activity.alarm_at = None


def _duration(draft: ActivityDraft, start: datetime, problems: dict[str, str]) -> int:
    if draft.timing == "timeless":
        return 0
    if draft.timing == "all_day":
        last_day = (draft.end or start).date()
        if last_day < start.date():
            problems["end"] = "The last day is before the first day."
            return 1440
        return ((last_day - start.date()).days + 1) * 1440
    if draft.end is None:
        return 0
    minutes = int((draft.end - start).total_seconds() // 60)
    if minutes < 0:
        problems["end"] = "It ends before it starts."
    elif minutes > MAX_TIMED_MINUTES:
        problems["end"] = "An activity can last at most 14 days (use all day for longer)."
    return max(minutes, 0)


def _checked_repeat(
    repeat: Recurrence, start_local: datetime, zone: str, problems: dict[str, str]
) -> tuple[str | None, datetime | None]:
    if repeat.interval < 1 or repeat.interval > 999:
        problems["repeat"] = "Repeat every 1 to 999 periods."
        return None, None
    if repeat.count is not None and repeat.count < 1:
        problems["repeat"] = "Repeat at least once."
        return None, None
    if repeat.until is not None and repeat.until < start_local.date():
        problems["repeat"] = "The repeat ends before the first occurrence."
        return None, None
    try:
        rule = repeat.to_rrule(start_local)
        first = recurrence.first_occurrence(rule, start_local, zone)
    except RecurrenceError as error:
        problems["repeat"] = str(error)
        return None, None
    if first is None:
        problems["repeat"] = (
            f"“{repeat.describe(start_local)}” never happens after {start_local:%Y-%m-%d}."
        )
        return None, None
    return rule, first


def _apply(
    session: Session,
    activity: Activity,
    draft: ActivityDraft,
    timing: _Timing,
    *,
    new: bool,
) -> None:
    moved = (
        new
        or activity.starts_at != timing.starts_at
        or activity.alarm_minutes != draft.alarm_minutes
    )
    activity.kind = draft.kind
    activity.regarding = draft.regarding.strip()
    activity.starts_at = timing.starts_at
    activity.duration_minutes = timing.duration_minutes
    activity.time_zone = draft.time_zone
    activity.all_day = draft.timing == "all_day"
    activity.timeless = draft.timing == "timeless"
    activity.priority = draft.priority
    activity.alarm_minutes = draft.alarm_minutes
    activity.rrule = timing.rrule
    activity.series_start = timing.series_start
    if moved:
        activity.alarm_at = _alarm_at(timing.starts_at, draft.alarm_minutes)
    contacts = list(session.scalars(select(Contact).where(Contact.id.in_(list(draft.contact_ids)))))
    if new or {c.id for c in contacts} != {c.id for c in activity.contacts}:
        activity.contacts = contacts


def _keep_series_progress(activity: Activity, timing: _Timing, zone: str) -> _Timing:
    """Editing a series does not bring back occurrences already cleared: it continues
    from the current one (or the new rule's first one after it)."""
    if not (timing.rrule and activity.rrule and activity.starts_at and timing.series_start):
        return timing
    if (timing.rrule, timing.series_start) == (activity.rrule, activity.series_start):
        return replace(timing, starts_at=activity.starts_at)
    current = activity.starts_at - timedelta(microseconds=1)
    later = recurrence.next_occurrence(timing.rrule, timing.series_start, zone, current)
    return replace(timing, starts_at=later) if later is not None else timing


def _alarm_at(starts_at: datetime, alarm_minutes: int | None) -> datetime | None:
    return None if alarm_minutes is None else starts_at - timedelta(minutes=alarm_minutes)


def _load(session: Session, activity_id: uuid.UUID) -> Activity:
    activity = session.scalar(
        select(Activity)
        .where(Activity.id == activity_id, Activity.deleted_at.is_(None))
        .options(selectinload(Activity.contacts))
    )
    if activity is None:
        raise NotFoundError("That activity no longer exists (it may have been deleted).")
    return activity


def _many(session: Session, activity_ids: Sequence[uuid.UUID]) -> list[Activity]:
    return list(session.scalars(select(Activity).where(Activity.id.in_(list(activity_ids)))))


def _set_trashed(session: Session, activity_ids: Sequence[uuid.UUID], when: datetime | None) -> int:
    changed = 0
    touched: set[uuid.UUID] = set()
    for activity in session.scalars(
        select(Activity)
        .where(Activity.id.in_(list(activity_ids)))
        .options(selectinload(Activity.contacts))
    ):
        if (activity.deleted_at is None) == (when is None):
            continue
        activity.deleted_at = when
        changed += 1
        touched.update(c.id for c in activity.contacts)
    follow_up.refresh(session, touched)
    return changed
