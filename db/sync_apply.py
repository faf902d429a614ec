"""A contact made to hold exactly what a server's card says (after the merge), through
the same session, validation and journal as an edit in the app. The session's origin
is "remote", so the journal can tell the change came from a server."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import contacts, groups, social_profiles
from db.contact_values import ImportedContact, ProfileLink
from db.models import Contact, SocialProfile


def put_contact(session: Session, record: ImportedContact, referred_by: uuid.UUID | None) -> int:
    """Create the contact `record.id`, or give it these values (back from the Trash if
    it was there); groups are found or made by name and the profile links set to exactly
    these. Returns the contact's `rev` afterwards."""
    group_ids = tuple(_group_ids(session, record.groups))
    row = session.get(Contact, record.id)
    if referred_by is not None and session.get(Contact, referred_by) is None:
        referred_by = None
    draft = replace(record.draft, group_ids=group_ids, referred_by_id=referred_by)
    if row is None:
        contacts.create_contact(session, draft, record.id)
        row = session.get(Contact, record.id)
        assert row is not None
    else:
        contacts.update_contact(session, record.id, draft, flush=False)
        row.deleted_at = None
    if row.photo != record.photo:
        row.photo = record.photo
    if tuple(row.vcard_extra or ()) != record.vcard_extra:
        row.vcard_extra = list(record.vcard_extra) or None
    _set_profiles(session, record.id, record.profiles)
    session.flush()
    return row.rev


def _group_ids(session: Session, names: tuple[str, ...]) -> list[uuid.UUID]:
    found = []
    for name in names:
        group_id = groups.group_called(session, name)
        found.append(group_id if group_id is not None else groups.create_group(session, name))
    return list(dict.fromkeys(found))


def _set_profiles(session: Session, contact_id: uuid.UUID, wanted: tuple[ProfileLink, ...]) -> None:
    live = session.scalars(
        select(SocialProfile).where(
            SocialProfile.contact_id == contact_id, SocialProfile.deleted_at.is_(None)
        )
    ).all()
    keys = {(link.network, link.handle.lower()) for link in wanted}
    have = set()
    for profile in live:
        key = (profile.network, (profile.handle or "").lower())
        if key in keys:
            have.add(key)
        else:
            social_profiles.set_trashed(session, profile.id, True)
    for link in wanted:
        if (link.network, link.handle.lower()) not in have:
            social_profiles.add_profile(session, contact_id, link.network, link.handle, link.url)
            have.add((link.network, link.handle.lower()))
