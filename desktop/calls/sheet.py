"""The call sheet: everything a rep wants in front of them before a call, gathered
from the contact book (no Qt, no network: it shows what is cached)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from db.clock import Moment
from db.contact_values import ContactDetails
from db.contacts import ContactRow, ListQuery
from db.history import HistoryRow
from db.notes import NoteRow
from db.social_profiles import ProfileRow
from db.tasks import Bucket, TaskQuery, TaskRow
from desktop.calls.local_time import LocalTime, local_time
from desktop.contact_book import ContactBook

LAST_INTERACTIONS = 3
RELATED = 5


@dataclass(frozen=True)
class CallSheet:
    contact: ContactDetails
    local: LocalTime | None
    history: list[HistoryRow]
    follow_ups: list[TaskRow]
    talking_points: list[NoteRow]
    referred_by: tuple[uuid.UUID, str] | None
    colleagues: list[ContactRow]
    profiles: list[ProfileRow]
    built_at: datetime

    @property
    def promises(self) -> list[str]:
        """What the rep promised: the open follow-ups' "regarding", soonest first."""
        return [row.regarding for row in self.follow_ups if row.regarding]

    @property
    def live_profiles(self) -> list[ProfileRow]:
        """Profiles worth showing: all the user added (a gone one says so), and
        Gravatar only where an email had one."""
        return [
            p
            for p in self.profiles
            if p.network != "gravatar" or (p.gone_at is None and p.fetched_at is not None)
        ]


def build_sheet(
    book: ContactBook, contact_id: uuid.UUID, now: Moment, default_region: str = "US"
) -> CallSheet:
    """The sheet for one contact, as of `now`."""
    contact = book.contact(contact_id)
    colleagues: list[ContactRow] = []
    if contact.company_id is not None:
        query = ListQuery(company_id=contact.company_id)
        colleagues = [r for r in book.page(query, 0, RELATED + 1) if r.id != contact_id]
    return CallSheet(
        contact=contact,
        local=local_time(contact, now.now, default_region),
        history=book.history(contact_id)[:LAST_INTERACTIONS],
        follow_ups=book.tasks(TaskQuery(Bucket.OPEN, contact_id=contact_id), now, 0, 20),
        talking_points=[note for note in book.notes(contact_id) if note.pinned],
        referred_by=book.referrer(contact_id),
        colleagues=colleagues[:RELATED],
        profiles=book.profiles(contact_id),
        built_at=now.now,
    )
