"""A contact's social profiles: the links the user adds (edits, journaled) and the
snapshots fetched from them (a cache, stored with plain UPDATEs: not an edit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.clock import session_now
from db.errors import NotFoundError, ValidationError
from db.models import SocialProfile

MAX_POSTS_KEPT = 5


@dataclass(frozen=True)
class ProfileRow:
    """A profile with its last snapshot, as the call sheet shows it."""

    id: uuid.UUID
    contact_id: uuid.UUID
    network: str
    handle: str
    url: str
    display_name: str | None = None
    headline: str | None = None
    avatar_path: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    recent_posts: list[dict[str, str]] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime | None = None
    last_error: str | None = None
    gone_at: datetime | None = None


def profiles_for(session: Session, contact_id: uuid.UUID) -> list[ProfileRow]:
    """A contact's live profiles, in the order they were added."""
    return [
        _row(profile)
        for profile in session.scalars(
            select(SocialProfile)
            .where(SocialProfile.contact_id == contact_id, SocialProfile.deleted_at.is_(None))
            .order_by(SocialProfile.created_at)
        )
    ]


def get_profile(session: Session, profile_id: uuid.UUID) -> ProfileRow:
    profile = session.get(SocialProfile, profile_id)
    if profile is None or profile.deleted_at is not None:
        raise NotFoundError("That profile no longer exists.")
    return _row(profile)


def add_profile(
    session: Session, contact_id: uuid.UUID, network: str, handle: str, url: str
) -> uuid.UUID:
    """Link a profile to a contact; the same profile twice is refused."""
    for existing in profiles_for(session, contact_id):
        if existing.network == network and existing.handle.lower() == handle.lower():
            raise ValidationError({"profile": f"{url} is already on this contact."})
    profile = SocialProfile(
        contact_id=contact_id, network=network, handle=handle, url=url, details={}
    )
    session.add(profile)
    session.flush()
    return profile.id


def set_trashed(session: Session, profile_id: uuid.UUID, trashed: bool) -> None:
    """Remove a profile from its contact (or bring it back: undo)."""
    profile = session.get(SocialProfile, profile_id)
    if profile is not None:
        profile.deleted_at = session_now(session) if trashed else None
        session.flush()


def store_snapshot(
    session: Session,
    profile_id: uuid.UUID,
    *,
    fetched_at: datetime,
    display_name: str,
    headline: str,
    counts: dict[str, int],
    posts: list[dict[str, str]],
    details: dict[str, str],
    avatar_path: str | None,
) -> None:
    """Keep a fresh snapshot (replacing the last one) and clear any error."""
    values: dict[str, Any] = {
        "display_name": display_name or None,
        "headline": headline or None,
        "counts": counts,
        "recent_posts": posts[:MAX_POSTS_KEPT],
        "details": details,
        "fetched_at": fetched_at,
        "last_error": None,
        "gone_at": None,
    }
    if avatar_path is not None:
        values["avatar_path"] = avatar_path
    _update(session, profile_id, values)


def store_error(
    session: Session, profile_id: uuid.UUID, message: str, *, gone_at: datetime | None = None
) -> None:
    """Note a failed fetch; the last good snapshot stays. `gone_at` marks a profile the
    source says does not exist."""
    values: dict[str, Any] = {"last_error": message[:500]}
    if gone_at is not None:
        values["gone_at"] = gone_at
    _update(session, profile_id, values)


def _update(session: Session, profile_id: uuid.UUID, values: dict[str, Any]) -> None:
    session.execute(
        update(SocialProfile)
        .where(SocialProfile.id == profile_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, SocialProfile) and obj.id == profile_id:
            session.expire(obj)


def _row(profile: SocialProfile) -> ProfileRow:
    return ProfileRow(
        id=profile.id,
        contact_id=profile.contact_id,
        network=profile.network,
        handle=profile.handle or "",
        url=profile.url or "",
        display_name=profile.display_name,
        headline=profile.headline,
        avatar_path=profile.avatar_path,
        counts=dict(profile.counts or {}),
        recent_posts=list(profile.recent_posts or []),
        details=dict(profile.details or {}),
        fetched_at=profile.fetched_at,
        last_error=profile.last_error,
        gone_at=profile.gone_at,
    )
