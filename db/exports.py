"""Contacts read for export, in chunks: every field, the photo, the kept vCard lines,
the social profiles and the referrer, without a query per contact."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.contacts import DETAIL_LOADS, ContactDetails, ListQuery, details_of, ids_in_list
from db.imports import ProfileLink
from db.models import Contact
from db.search import LOOKUP

CHUNK = 500


@dataclass(frozen=True)
class ExportedContact:
    details: ContactDetails
    photo: bytes | None
    vcard_extra: tuple[str, ...]
    profiles: tuple[ProfileLink, ...]


def export_ids(
    session: Session, group_id: uuid.UUID | None = None, text: str = ""
) -> list[uuid.UUID]:
    """Live contacts to export, by name: all, a group's, or those a lookup finds."""
    ids = ids_in_list(session, ListQuery(group_id=group_id))
    if text.strip():
        found = {hit.id for hit in LOOKUP.lookup(session, text, limit=len(ids) or 1)}
        ids = [cid for cid in ids if cid in found]
    return ids


def load_contacts(session: Session, ids: Sequence[uuid.UUID]) -> Iterator[ExportedContact]:
    """The contacts, in the order of `ids`, read `CHUNK` at a time."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        loaded = {
            c.id: c
            for c in session.scalars(
                select(Contact)
                .where(Contact.id.in_(chunk))
                .options(*DETAIL_LOADS, selectinload(Contact.social_profiles))
            )
        }
        for cid in chunk:
            contact = loaded.get(cid)
            if contact is None:
                continue
            yield ExportedContact(
                details_of(contact),
                contact.photo,
                tuple(contact.vcard_extra or ()),
                tuple(
                    ProfileLink(p.network, p.handle or "", p.url or "")
                    for p in contact.social_profiles
                    if p.deleted_at is None
                ),
            )
        session.expunge_all()
