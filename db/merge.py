"""Merging duplicates into one survivor, and taking a merge back.

The survivor gets the values chosen field by field; notes, social profiles, follow-ups,
history and referrals move to it from the others, which go to the Trash. Everything
moved is written down in a `Merge` row, so `undo_merge` puts each thing back where it
was, exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import contacts, follow_up, snapshots
from db.clock import session_now
from db.contact_values import ContactDraft
from db.duplicates import email_key, profile_key
from db.errors import NotFoundError, ValidationError
from db.models import (
    Activity,
    Contact,
    HistoryEntry,
    Merge,
    Note,
    SocialProfile,
    activity_contacts,
    history_contacts,
)

T = TypeVar("T")

# Single-valued fields the merge view lets the user choose, in its order.
CHOOSABLE = (
    "prefix", "given_name", "middle_name", "family_name", "suffix", "display_name",
    "nickname", "title", "department", "company", "birthday", "background", "owner",
)  # fmt: skip


def combined_draft(
    drafts: Sequence[ContactDraft], merged_ids: Iterable[uuid.UUID] = ()
) -> ContactDraft:
    """The first draft's values, its blanks filled from the others in order, and every
    email, phone, address, web site, group and custom field of all of them.
    `merged_ids` are the contacts being merged, which cannot refer each other."""
    base = drafts[0]
    choices: dict[str, Any] = {
        name: next((getattr(d, name) for d in drafts if getattr(d, name)), getattr(base, name))
        for name in CHOOSABLE
        if name != "display_name"  # follows the name parts unless the first set its own
    }
    excluded = {None, *merged_ids}
    fields: dict[str, str] = {}
    for draft in reversed(drafts):
        fields.update(draft.custom_fields)
    return replace(
        base,
        **choices,
        emails=_union((e for d in drafts for e in d.emails), lambda e: email_key(e.address)),
        phones=_union((p for d in drafts for p in d.phones), lambda p: p.e164 or p.number),
        addresses=_union(
            (a for d in drafts for a in d.addresses),
            lambda a: (a.street.casefold(), a.city.casefold(), a.postal_code, a.country),
        ),
        urls=_union((u for d in drafts for u in d.urls), lambda u: u.url.casefold()),
        group_ids=tuple(dict.fromkeys(g for d in drafts for g in d.group_ids)),
        custom_fields=fields,
        referred_by_id=next(
            (d.referred_by_id for d in drafts if d.referred_by_id not in excluded), None
        ),
    )


def _union(values: Iterable[T], key: Callable[[T], object]) -> tuple[T, ...]:
    """Each value once (the first seen), primaries after the first cleared."""
    seen: dict[object, T] = {}
    for value in values:
        seen.setdefault(key(value), value)
    out = list(seen.values())
    primary_seen = False
    for n, value in enumerate(out):
        if getattr(value, "is_primary", False):
            if primary_seen:
                out[n] = replace(value, is_primary=False)  # type: ignore[type-var]
            primary_seen = True
    return tuple(out)


def merge_contacts(
    session: Session,
    survivor_id: uuid.UUID,
    others: Sequence[uuid.UUID],
    draft: ContactDraft,
    photo_from: uuid.UUID | None = None,
) -> uuid.UUID:
    """Merge `others` into the survivor, which takes `draft`; returns the merge's id."""
    others = [cid for cid in dict.fromkeys(others) if cid != survivor_id]
    if not others:
        raise ValidationError({"merge": "Choose at least two different contacts to merge."})
    survivor = _live_contact(session, survivor_id)
    absorbed = [_live_contact(session, cid) for cid in others]
    record: dict[str, Any] = {
        "before": snapshots.take(session, survivor_id),
        "merged": [str(cid) for cid in others],
        "notes": [],
        "profiles": [],
        "activities": [],
        "history": [],
        "referrals": [],
    }
    known_profiles = {
        profile_key(p.url or "")
        for p in session.scalars(
            select(SocialProfile).where(
                SocialProfile.contact_id == survivor_id, SocialProfile.deleted_at.is_(None)
            )
        )
    }
    for other in absorbed:
        for note in session.scalars(select(Note).where(Note.contact_id == other.id)):
            note.contact_id = survivor_id
            record["notes"].append([str(note.id), str(other.id)])
        for profile in session.scalars(
            select(SocialProfile).where(
                SocialProfile.contact_id == other.id, SocialProfile.deleted_at.is_(None)
            )
        ):
            key = profile_key(profile.url or "")
            if key not in known_profiles:
                known_profiles.add(key)
                profile.contact_id = survivor_id
                record["profiles"].append([str(profile.id), str(other.id)])
        for kind, model in (("activities", Activity), ("history", HistoryEntry)):
            for item in _linked(session, model, other):
                added = survivor not in item.contacts
                if added:
                    item.contacts.append(survivor)
                item.contacts.remove(other)
                record[kind].append([str(item.id), str(other.id), added])
        for referred in session.scalars(select(Contact).where(Contact.referred_by_id == other.id)):
            if referred.id != survivor_id:
                referred.referred_by_id = survivor_id
                record["referrals"].append([str(referred.id), str(other.id)])
    session.flush()
    contacts.update_contact(session, survivor_id, draft)
    if photo_from is not None and photo_from != survivor_id:
        donor = session.get(Contact, photo_from)
        if donor is not None and donor.photo and donor.photo != survivor.photo:
            survivor.photo = donor.photo
    extra = list(dict.fromkeys(line for c in (survivor, *absorbed) for line in c.vcard_extra or []))
    if extra != (survivor.vcard_extra or []):
        survivor.vcard_extra = extra or None
    contacts.trash_contacts(session, others)
    merge = Merge(
        survivor_id=survivor_id, status="done", record=record, merged_at=session_now(session)
    )
    session.add(merge)
    session.flush()
    follow_up.refresh(session, [survivor_id, *others])
    return merge.id


def undo_merge(session: Session, merge_id: uuid.UUID) -> list[uuid.UUID]:
    """Put everything a merge moved back and restore the merged contacts; returns
    them (the survivor first)."""
    merge = session.get(Merge, merge_id)
    if merge is None:
        raise NotFoundError("That merge is not recorded.")
    if merge.status == "undone":
        raise ValidationError({"merge": "That merge was already undone."})
    record = merge.record
    merged = [uuid.UUID(cid) for cid in record["merged"]]
    contacts.restore_contacts(session, merged)
    survivor = _live_contact(session, merge.survivor_id)
    for note_id, owner in record["notes"]:
        note = session.get(Note, uuid.UUID(note_id))
        if note is not None:
            note.contact_id = uuid.UUID(owner)
    for profile_id, owner in record["profiles"]:
        profile = session.get(SocialProfile, uuid.UUID(profile_id))
        if profile is not None:
            profile.contact_id = uuid.UUID(owner)
    linked: tuple[tuple[str, type[Activity] | type[HistoryEntry]], ...] = (
        ("activities", Activity),
        ("history", HistoryEntry),
    )
    for kind, model in linked:
        for item_id, owner, added in record[kind]:
            item: Any = session.get(model, uuid.UUID(item_id))
            original = session.get(Contact, uuid.UUID(owner))
            if item is None or original is None:
                continue
            if original not in item.contacts:
                item.contacts.append(original)
            if added and survivor in item.contacts:
                item.contacts.remove(survivor)
    for referred_id, owner in record["referrals"]:
        referred = session.get(Contact, uuid.UUID(referred_id))
        if referred is not None and referred.referred_by_id == merge.survivor_id:
            referred.referred_by_id = uuid.UUID(owner)
    session.flush()
    snapshots.put_back(session, merge.survivor_id, record["before"])
    merge.status = "undone"
    session.flush()
    follow_up.refresh(session, [merge.survivor_id, *merged])
    return [merge.survivor_id, *merged]


def _live_contact(session: Session, contact_id: uuid.UUID) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.deleted_at is not None:
        raise NotFoundError("That contact no longer exists (or is in the Trash).")
    return contact


def _linked(session: Session, model: type[Activity] | type[HistoryEntry], contact: Contact) -> list:
    """The follow-ups (or history entries) linked with `contact`, found from its links
    (`model.contacts.any(...)` visited every one of them: 0.1 s at a million)."""
    link, key = _LINKS[model]
    linked = select(link.c[key]).where(link.c.contact_id == contact.id)
    return list(session.scalars(select(model).where(model.id.in_(linked))))


_LINKS = {
    Activity: (activity_contacts, "activity_id"),
    HistoryEntry: (history_contacts, "history_id"),
}
