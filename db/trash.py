"""The Trash: everything soft-deleted, restorable until purged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import activities, companies, contacts, groups, tallies
from db.models import Activity, Company, Contact, Group


@dataclass(frozen=True)
class TrashItem:
    kind: str  # "contact", "company", "group" or "activity"
    id: uuid.UUID
    name: str
    detail: str
    deleted_at: datetime


def list_trash(session: Session, limit: int = 10_000) -> list[TrashItem]:
    """What is in the Trash, most recently deleted first."""
    items = [
        TrashItem("contact", *row)
        for row in session.execute(
            select(Contact.id, Contact.display_name, Contact.company_name, Contact.deleted_at)
            .where(Contact.deleted_at.is_not(None))
            .order_by(Contact.deleted_at.desc())
            .limit(limit)
        )
    ]
    items += [
        TrashItem("company", cid, name, "", when)
        for cid, name, when in session.execute(
            select(Company.id, Company.name, Company.deleted_at)
            .where(Company.deleted_at.is_not(None))
            .limit(limit)
        )
    ]
    items += [
        TrashItem("group", gid, name, "", when)
        for gid, name, when in session.execute(
            select(Group.id, Group.name, Group.deleted_at)
            .where(Group.deleted_at.is_not(None))
            .limit(limit)
        )
    ]
    items += [
        TrashItem("activity", aid, regarding, kind, when)
        for aid, regarding, kind, when in session.execute(
            select(Activity.id, Activity.regarding, Activity.kind, Activity.deleted_at)
            .where(Activity.deleted_at.is_not(None))
            .order_by(Activity.deleted_at.desc())
            .limit(limit)
        )
    ]
    items = [TrashItem(i.kind, i.id, i.name, i.detail or "", i.deleted_at) for i in items]
    return sorted(items, key=lambda item: item.deleted_at, reverse=True)[:limit]


def count_trash(session: Session) -> int:
    """How many items the Trash holds."""
    others = sum(
        session.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_not(None)))
        or 0
        for model in (Company, Group, Activity)
    )
    return tallies.contact_counts(session).trashed + others


def restore(session: Session, items: list[TrashItem]) -> None:
    """Restore these items from the Trash."""
    contacts.restore_contacts(session, [i.id for i in items if i.kind == "contact"])
    activities.restore(session, [i.id for i in items if i.kind == "activity"])
    for item in items:
        if item.kind == "company":
            companies.restore_company(session, item.id)
        elif item.kind == "group":
            groups.restore_group(session, item.id)


def purge(session: Session, items: list[TrashItem]) -> None:
    """Delete these items for good (only items that are in the Trash)."""
    contacts.purge_contacts(session, [i.id for i in items if i.kind == "contact"])
    kinds: dict[str, type[Company] | type[Group] | type[Activity]] = {
        "company": Company,
        "group": Group,
        "activity": Activity,
    }
    for kind, model in kinds.items():
        for record in session.scalars(
            select(model).where(
                model.id.in_([i.id for i in items if i.kind == kind]), model.deleted_at.is_not(None)
            )
        ):
            session.delete(record)
    session.flush()
