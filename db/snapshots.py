"""A contact's before-image as JSON, so an import that changed it or a merge that
absorbed into it can put it back exactly: its draft, photo and kept vCard lines."""

from __future__ import annotations

import base64
import uuid
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from db import contacts
from db.contact_values import AddressValue, ContactDraft, EmailValue, PhoneValue, UrlValue
from db.models import Contact


def draft_to_json(draft: ContactDraft) -> dict[str, Any]:
    data = asdict(draft)
    data["birthday"] = draft.birthday.isoformat() if draft.birthday else None
    data["group_ids"] = [str(g) for g in draft.group_ids]
    data["referred_by_id"] = str(draft.referred_by_id) if draft.referred_by_id else None
    return data


def draft_from_json(data: dict[str, Any]) -> ContactDraft:
    values = dict(data)
    values["birthday"] = date.fromisoformat(data["birthday"]) if data.get("birthday") else None
    values["group_ids"] = tuple(uuid.UUID(g) for g in data.get("group_ids", ()))
    values["referred_by_id"] = (
        uuid.UUID(data["referred_by_id"]) if data.get("referred_by_id") else None
    )
    values["emails"] = tuple(EmailValue(**v) for v in data.get("emails", ()))
    values["phones"] = tuple(PhoneValue(**v) for v in data.get("phones", ()))
    values["addresses"] = tuple(AddressValue(**v) for v in data.get("addresses", ()))
    values["urls"] = tuple(UrlValue(**v) for v in data.get("urls", ()))
    return ContactDraft(**values)


def take(session: Session, contact_id: uuid.UUID) -> dict[str, Any]:
    """The contact as it is now, for `put_back`."""
    details = contacts.get_contact(session, contact_id)
    row = session.get(Contact, contact_id)
    assert row is not None  # get_contact raised otherwise
    return {
        "draft": draft_to_json(details.to_draft()),
        "photo": base64.b64encode(row.photo).decode() if row.photo else None,
        "vcard_extra": list(row.vcard_extra or []),
    }


def put_back(session: Session, contact_id: uuid.UUID, image: dict[str, Any]) -> None:
    """Make the contact what `take` saw."""
    contacts.update_contact(session, contact_id, draft_from_json(image["draft"]))
    row = session.get(Contact, contact_id)
    assert row is not None
    photo = base64.b64decode(image["photo"]) if image.get("photo") else None
    if row.photo != photo:
        row.photo = photo
    extra = image.get("vcard_extra") or None
    if (row.vcard_extra or None) != extra:
        row.vcard_extra = extra
