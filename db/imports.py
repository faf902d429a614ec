"""Imports as batches: what each one created is recorded, so Undo import takes exactly
that back. The caller commits chunk by chunk; a killed import leaves whole chunks, each
recorded, and Undo works for what landed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import contacts, groups
from db.contacts import ContactDraft
from db.errors import NotFoundError
from db.models import ImportBatch, ImportItem


@dataclass(frozen=True)
class BatchRow:
    id: uuid.UUID
    source: str
    format: str
    status: str
    created_count: int


def start_batch(session: Session, source: str, format: str) -> uuid.UUID:
    batch = ImportBatch(source=source[:500], format=format, status="running", created_count=0)
    session.add(batch)
    session.flush()
    return batch.id


def import_drafts(
    session: Session,
    batch_id: uuid.UUID,
    rows: Iterable[tuple[ContactDraft, Sequence[str]]],
) -> int:
    """Create these contacts (with their groups, made when missing) in the batch."""
    batch = _batch(session, batch_id)
    known = {g.name.casefold(): g.id for g in groups.list_groups(session)}
    made = 0
    for draft, group_names in rows:
        group_ids = []
        for name in group_names:
            key = name.strip().casefold()
            if not key:
                continue
            if key not in known:
                known[key] = groups.create_group(session, name.strip())
            group_ids.append(known[key])
        contact_id = contacts.create_contact(session, replace(draft, group_ids=tuple(group_ids)))
        session.add(ImportItem(batch_id=batch_id, contact_id=contact_id, action="created"))
        made += 1
    batch.created_count += made
    session.flush()
    return made


def finish_batch(session: Session, batch_id: uuid.UUID, status: str = "done") -> None:
    _batch(session, batch_id).status = status


def undo_batch(session: Session, batch_id: uuid.UUID) -> int:
    """Move what the import created to the Trash; returns how many."""
    batch = _batch(session, batch_id)
    created = list(
        session.scalars(
            select(ImportItem.contact_id).where(
                ImportItem.batch_id == batch_id, ImportItem.action == "created"
            )
        )
    )
    moved = contacts.trash_contacts(session, created)
    batch.status = "undone"
    return moved


def batches(session: Session) -> list[BatchRow]:
    """Imports, newest first."""
    return [
        BatchRow(b.id, b.source, b.format, b.status, b.created_count)
        for b in session.scalars(select(ImportBatch).order_by(ImportBatch.started_at.desc()))
    ]


def _batch(session: Session, batch_id: uuid.UUID) -> ImportBatch:
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError("That import is not recorded.")
    return batch
