"""Follow-ups and history as values, free of storage: what the schedule and log dialogs
enter, and what calendar files and CalDAV carry, before a session writes them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from db.recurrence import Recurrence

KINDS = ("call", "meeting", "to-do", "email")  # what a follow-up can be
PRIORITIES = ("high", "normal", "low")
TIMINGS = ("timed", "all_day", "timeless")
HISTORY_KINDS = ("call", "meeting", "email", "to-do", "note")
OUTCOMES = ("completed", "attempted", "left message", "no answer", "rescheduled", "cancelled")


@dataclass(frozen=True)
class ActivityDraft:
    """An activity as the schedule dialog has it: wall-clock times in `time_zone`.

    `start` and `end` are naive local times. For all-day activities only their
    dates count (`end` is the last day); timeless ones have a date and no time.
    """

    kind: str = "call"
    regarding: str = ""
    start: datetime | None = None
    end: datetime | None = None
    timing: str = "timed"
    time_zone: str = "UTC"
    priority: str = "normal"
    alarm_minutes: int | None = None
    repeat: Recurrence | None = None
    contact_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class HistoryDraft:
    """Something that happened with one or more contacts, as it is logged."""

    contact_ids: tuple[uuid.UUID, ...]
    kind: str
    occurred_at: datetime
    regarding: str = ""
    outcome: str = "completed"
    duration_minutes: int = 0
    notes: str | None = None
