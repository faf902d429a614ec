"""A contact's card as sync compares and merges it: its fields read from vCard text,
and the three-way merge of the version both sides last agreed on (the base), this
computer's and the server's.

Both sides are read the same way (this computer's contact is written as a card and
read back), so equal values compare equal whatever app wrote the server's card.
Values are plain JSON (lists, strings), as the conflict log keeps them. Loads without
Qt, storage or the network client.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.contact_values import (
    AddressValue,
    ContactDraft,
    EmailValue,
    ImportedContact,
    PhoneValue,
    ProfileLink,
    UrlValue,
)
from db.errors import InputError
from desktop.interop.vcard import read_card
from desktop.social.profiles import recognise
from desktop.wording import counted

Fields = dict[str, Any]

SCALARS = (
    "display_name", "given_name", "family_name", "middle_name", "prefix", "suffix", "nickname",
    "company", "department", "title", "background", "owner", "birthday",
)  # fmt: skip
VALUE_LISTS = ("emails", "phones", "addresses", "urls")
SETS = ("groups", "profiles")  # merged member by member: no conflict possible
OTHERS = ("custom_fields", "photo", "extra", "referred_by")
FIELDS = SCALARS + VALUE_LISTS + SETS + OTHERS

LABELS = {
    "display_name": "Name", "given_name": "First name", "family_name": "Last name",
    "middle_name": "Middle name", "prefix": "Title before the name",
    "suffix": "Suffix", "nickname": "Nickname", "company": "Company",
    "department": "Department", "title": "Job title", "background": "Background",
    "owner": "Owner", "birthday": "Birthday", "emails": "Email addresses",
    "phones": "Phone numbers", "addresses": "Addresses", "urls": "Web addresses",
    "groups": "Groups", "profiles": "Social profiles", "custom_fields": "Custom fields",
    "photo": "Photo", "extra": "Other card details", "referred_by": "Referred by",
}  # fmt: skip


def describe_value(name: str, value: Any) -> str:
    """A field's value as the conflict log shows it: “Buyer”, two numbers, (empty)."""
    if value in (None, "", [], {}):
        return "(empty)"
    if name == "photo":
        return "a photo"
    if name == "custom_fields":
        return "; ".join(f"{key}: {text}" for key, text in dict(value).items())
    if name == "extra":
        return counted(len(value), "other card detail")
    if name == "addresses":
        return "; ".join(", ".join(part for part in a[:-2] if part) or "(blank)" for a in value)
    if name in VALUE_LISTS:
        return "; ".join(str(item[0]) for item in value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return f"“{value}”"


class UnreadableCard(InputError):
    """A card with nothing Callsheet can keep as a contact (a group card, no name)."""


@dataclass(frozen=True)
class Lost:
    """A field both sides changed: the server's value (`chosen`) won, `kept` is ours."""

    field: str
    kept: Any
    chosen: Any


def read_fields(
    text: str, region: str, problems: list[str] | None = None
) -> tuple[uuid.UUID | None, Fields]:
    """The card's UID (as a contact id) and its fields; `UnreadableCard` when it holds no
    contact. A value that cannot be read is set aside, never the whole card (and said in
    `problems`, when given)."""
    row = read_card(text, region)
    if problems is not None:
        problems += [p.message for p in row.problems]
    if row.draft is None:
        why = "; ".join(p.message for p in row.problems) or "it holds no contact"
        raise UnreadableCard(f"The card cannot be kept as a contact: {why}.")
    d = row.draft
    fields: Fields = {name: getattr(d, name) for name in SCALARS if name != "birthday"}
    fields.update(
        birthday=d.birthday.isoformat() if d.birthday else "",
        emails=[[e.address, e.label, e.is_primary] for e in d.emails],
        phones=[[p.number, p.label, p.is_primary, p.e164] for p in d.phones],
        addresses=[
            [a.street, a.city, a.region, a.postal_code, a.country, a.label, a.is_primary]
            for a in d.addresses
        ],
        urls=[[u.url, u.label] for u in d.urls],
        groups=sorted(dict.fromkeys(row.groups), key=str.casefold),
        profiles=sorted(dict.fromkeys(_profile_url(text) for text in row.profiles)),
        custom_fields=sorted([key, value] for key, value in d.custom_fields.items()),
        photo=base64.b64encode(row.photo).decode("ascii") if row.photo else "",
        extra=list(row.vcard_extra),
        referred_by=str(row.referred_by_uid) if row.referred_by_uid else "",
    )
    return row.uid, fields


def merge(
    base: Fields | None,
    local: Fields,
    remote: Fields,
    names: tuple[str, ...] = FIELDS,
    sets: tuple[str, ...] = SETS,
) -> tuple[Fields, list[Lost]]:
    """Field by field (`names`, a card's unless given): a side that left a field as it
    was in `base` takes the other's; when both changed it, the server's value wins and
    ours is returned as `Lost`, except in `sets`, merged member by member. With no base
    (two copies met for the first time), every difference is a conflict."""
    merged: Fields = {}
    lost: list[Lost] = []
    for name in names:
        ours, theirs = local[name], remote[name]
        was = base[name] if base is not None else None
        if ours in (theirs, was):
            merged[name] = theirs
        elif theirs == was:
            merged[name] = ours
        elif name in sets and was is not None:
            merged[name] = _merged_set(was, ours, theirs)
        else:
            merged[name] = theirs
            lost.append(Lost(name, ours, theirs))
    return merged, lost


def contact_of(fields: Fields, contact_id: uuid.UUID, region: str) -> ImportedContact:
    """The contact the fields describe, as the one write path takes it."""
    draft = ContactDraft(
        **{name: fields[name] for name in SCALARS if name != "birthday"},
        birthday=date.fromisoformat(fields["birthday"]) if fields["birthday"] else None,
        emails=tuple(EmailValue(*e) for e in fields["emails"]),
        phones=tuple(PhoneValue(*p) for p in fields["phones"]),
        addresses=tuple(AddressValue(*a) for a in fields["addresses"]),
        urls=tuple(UrlValue(*u) for u in fields["urls"]),
        custom_fields=dict(fields["custom_fields"]),
        default_region=region,
    )
    profiles = []
    for url in fields["profiles"]:
        try:
            ref = recognise(url)
        except InputError:
            continue
        profiles.append(ProfileLink(ref.network, ref.handle, ref.url))
    return ImportedContact(
        contact_id,
        draft,
        tuple(fields["groups"]),
        tuple(dict.fromkeys(profiles)),
        base64.b64decode(fields["photo"]) if fields["photo"] else None,
        tuple(fields["extra"]),
    )


def referred_by(fields: Fields) -> uuid.UUID | None:
    return uuid.UUID(fields["referred_by"]) if fields["referred_by"] else None


def _profile_url(text: str) -> str:
    try:
        return recognise(text).url
    except InputError:
        return text


def _merged_set(was: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """What either side added, without what either side removed."""
    kept = [v for v in theirs if v in ours or v not in was]
    kept += [v for v in ours if v not in was and v not in kept]
    return sorted(kept, key=str.casefold)
