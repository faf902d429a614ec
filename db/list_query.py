"""What the contact list shows and in what order, and its rows: plain values, importable
without SQLAlchemy (the window paints its first page before the ORM loads)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class SortColumn(Enum):
    """Columns the contact list can be sorted by (see INDEXED_SORTS)."""

    NAME = "sort_name"
    FILE_AS = "file_as"  # family name first: the "last name" order
    COMPANY = "company_name"
    CITY = "city"
    UPDATED = "updated_at"
    TITLE = "title"
    EMAIL = "primary_email"
    PHONE = "primary_phone"
    LAST_CONTACTED = "last_contacted_at"
    NEXT_STEP = "next_step_at"


# Orders with an index behind them page instantly at any size; the others sort the
# whole list, which is fine for a few ten thousand contacts and not for a million.
INDEXED_SORTS = frozenset(
    {
        SortColumn.NAME,
        SortColumn.FILE_AS,
        SortColumn.COMPANY,
        SortColumn.CITY,
        SortColumn.UPDATED,
        SortColumn.LAST_CONTACTED,
        SortColumn.NEXT_STEP,
    }
)
UNINDEXED_SORT_LIMIT = 50_000


class FollowUpFilter(Enum):
    """Contacts a list can be narrowed to by their follow-up state."""

    NO_NEXT_STEP = "no next step"
    OVERDUE = "overdue"
    HAS_NEXT_STEP = "next step scheduled"


@dataclass(frozen=True)
class ListQuery:
    """Which contacts a list shows and in what order."""

    sort: SortColumn = SortColumn.NAME
    descending: bool = False
    group_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    follow_up: FollowUpFilter | None = None
    # "Overdue" is relative to this moment (the caller's clock).
    now: datetime | None = None


@dataclass(frozen=True)
class ContactRow:
    """One row of the contact list."""

    id: uuid.UUID
    display_name: str
    company: str | None
    title: str | None
    email: str | None
    phone: str | None
    city: str | None
    updated_at: datetime
    last_contacted_at: datetime | None = None
    next_step_at: datetime | None = None
