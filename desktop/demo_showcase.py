"""The few demo people the README and the walkthrough name ("fjord ber", "+47 55",
`brief "maya lund"`), written once into a seeded book through the app's own write path,
with the history, promise, talking point and profile a call sheet shows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.activities import schedule
from db.activity_values import ActivityDraft
from db.clock import Moment
from db.contact_values import AddressValue, ContactDraft, EmailValue, PhoneValue
from db.contacts import create_contact
from db.history import record_history
from db.models import Group
from db.notes import add_note
from db.social_profiles import add_profile
from db.text import sort_key
from desktop.typed_dates import next_working_day

SHOWCASE_COMPANY = "Fjordline Logistics AS"
SHOWCASE_GROUP = "Bergen distributors"


@dataclass(frozen=True)
class _Person:
    given: str
    family: str
    title: str
    company: str
    email: str
    phones: tuple[tuple[str, str], ...]  # (as typed, label)
    street: str
    city: str
    postcode: str
    country: str
    in_group: bool = False


PEOPLE = (
    _Person(
        "Maya", "Lund", "Head of Purchasing", SHOWCASE_COMPANY, "maya.lund@fjordline.example",
        (("+47 55 30 12 40", "work"), ("+47 412 34 567", "mobile")),
        "Strandkaien 2", "Bergen", "5013", "NO", in_group=True,
    ),
    _Person(
        "Øyvind", "Bakke", "Logistics Coordinator", SHOWCASE_COMPANY,
        "oyvind.bakke@fjordline.example", (("+47 55 30 12 41", "work"),),
        "Strandkaien 2", "Bergen", "5013", "NO", in_group=True,
    ),
    _Person(
        "Lukas", "Meier", "Einkaufsleiter", "Kühlhaus Meier AG", "l.meier@kuehlhaus-meier.example",
        (("044 668 18 00", "work"),), "Hardturmstrasse 101", "Zürich", "8005", "CH",
    ),
    _Person(
        "Dana", "Whitfield", "Operations Manager", "Cascade Cold Storage",
        "dana@cascade-cold.example", (("(206) 555-0147", "work"),),
        "1201 Alaskan Way", "Seattle", "98101", "US",
    ),
)  # fmt: skip


def showcase_present(company_sort_names: Iterable[str]) -> bool:
    """Whether an earlier seed already wrote the showcase people, by the book's companies."""
    return sort_key(SHOWCASE_COMPANY) in company_sort_names


def add_showcase(session: Session, moment: Moment) -> int:
    """Write the showcase people; returns how many."""
    group_id = session.scalar(
        select(Group.id).where(
            Group.sort_name == sort_key(SHOWCASE_GROUP), Group.deleted_at.is_(None)
        )
    )
    ids = [_create(session, person, group_id) for person in PEOPLE]
    maya = ids[0]
    now = moment.now
    add_note(session, maya, "Pilot in two Bergen warehouses; the budget is decided in Q1.", True)
    add_profile(
        session,
        maya,
        "linkedin",
        "maya-lund-fjordline",
        "https://www.linkedin.com/in/maya-lund-fjordline",
    )
    for days, kind, regarding in (
        (20, "meeting", "Demo of sensor dashboard"),
        (6, "call", "Intro call with the warehouse team"),
        (3, "email", "Sent the pilot proposal"),
    ):
        when = now - timedelta(days=days, hours=2)
        record_history(session, [maya], kind=kind, occurred_at=when, regarding=regarding)
    zone = ZoneInfo(moment.zone)
    due = next_working_day(now.astimezone(zone).date() + timedelta(days=2))
    schedule(
        session,
        ActivityDraft(
            kind="call",
            regarding="Send cold-chain pilot pricing",
            start=datetime.combine(due, datetime.min.time()).replace(hour=9),
            time_zone=moment.zone,
            priority="high",
            contact_ids=(maya,),
        ),
    )
    return len(ids)


def _create(session: Session, person: _Person, group_id: uuid.UUID | None) -> uuid.UUID:
    draft = ContactDraft(
        given_name=person.given,
        family_name=person.family,
        title=person.title,
        company=person.company,
        emails=(EmailValue(person.email, "work", True),),
        phones=tuple(
            PhoneValue(typed, label, n == 0) for n, (typed, label) in enumerate(person.phones)
        ),
        addresses=(
            AddressValue(
                street=person.street,
                city=person.city,
                postal_code=person.postcode,
                country=person.country,
                is_primary=True,
            ),
        ),
        group_ids=(group_id,) if person.in_group and group_id else (),
        default_region=person.country,
    )
    return create_contact(session, draft)
