"""Counts the book keeps as it changes (triggers of migration 0011): reading one is a
single row, whatever the book's size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Group, contact_tallies, group_sizes


@dataclass(frozen=True)
class ContactTallies:
    live: int
    trashed: int
    with_next_step: int


def contact_counts(session: Session) -> ContactTallies:
    """How many contacts are live, in the Trash, and live with a next step."""
    row = session.execute(
        select(contact_tallies.c.live, contact_tallies.c.trashed, contact_tallies.c.with_next_step)
    ).one()
    return ContactTallies(*row)


def live_members(session: Session, group_id: uuid.UUID) -> int:
    """How many live contacts the group holds (0 for a group that is gone)."""
    found = session.scalar(
        select(group_sizes.c.live_members).where(group_sizes.c.group_id == group_id)
    )
    return found or 0


def live_group_sizes(session: Session) -> dict[uuid.UUID, int]:
    """Each live group's live members (groups with none left out)."""
    rows = session.execute(
        select(group_sizes.c.group_id, group_sizes.c.live_members)
        .join(Group, Group.id == group_sizes.c.group_id)
        .where(Group.deleted_at.is_(None), group_sizes.c.live_members > 0)
    )
    return dict(rows.tuples().all())
