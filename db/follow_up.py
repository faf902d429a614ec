"""A contact's follow-up state: when they were last contacted and when the next step
is due. Derived from history and open activities and stored on the contact so the
list can sort and filter a million contacts by it.

The columns are written with plain UPDATE statements, outside the ORM's flush, so
refreshing them is not an edit of the contact (no new `rev`, nothing to sync).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.list_query import FollowUpFilter  # noqa: F401 (callers find it here)
from db.models import Activity, Contact, HistoryEntry, activity_contacts, history_contacts
from db.planner import unindexed


def refresh(session: Session, contact_ids: Iterable[uuid.UUID]) -> None:
    """Recompute last contacted / next step for these contacts from their records."""
    ids = list(set(contact_ids))
    if not ids:
        return
    session.flush()
    last_contacted = (
        select(func.max(HistoryEntry.occurred_at))
        .join(history_contacts, history_contacts.c.history_id == HistoryEntry.id)
        .where(history_contacts.c.contact_id == Contact.id, HistoryEntry.deleted_at.is_(None))
        .scalar_subquery()
    )
    next_step = (
        select(func.min(Activity.starts_at))
        .join(activity_contacts, activity_contacts.c.activity_id == Activity.id)
        .where(
            activity_contacts.c.contact_id == Contact.id,
            Activity.deleted_at.is_(None),
            unindexed(Activity.status) == "open",  # from the contact's links, not every open one
        )
        .scalar_subquery()
    )
    for start in range(0, len(ids), 500):
        session.execute(
            update(Contact)
            .where(Contact.id.in_(ids[start : start + 500]))
            .values(last_contacted_at=last_contacted, next_step_at=next_step)
            .execution_options(synchronize_session=False)
        )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Contact) and obj.id in ids:
            session.expire(obj, ["last_contacted_at", "next_step_at"])
