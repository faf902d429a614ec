"""Keeping a contact's profile snapshots fresh: which are due, fetching them (and the
Gravatar of each email, which often reveals more profiles), caching avatars on disk.

A failure keeps the last good snapshot and records why; a 404 marks the profile gone.
Runs on a worker thread or in the CLI: no Qt here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from db.errors import ValidationError
from db.social_profiles import ProfileRow
from desktop.contact_book import ContactBook
from desktop.settings import (
    SOCIAL_BY_EMAIL,
    SOCIAL_DISABLED,
    SOCIAL_ENABLED,
    SOCIAL_MAX_AGE_DAYS,
    Settings,
)
from desktop.social.fetch import (
    BadResponse,
    Cancelled,
    Fetcher,
    FetchError,
    NotFound,
    Unreachable,
)
from desktop.social.profiles import ProfileRef, recognise
from desktop.social.snapshot import Snapshot
from desktop.social.sources import SOURCES, gravatar

DEFAULT_MAX_AGE = timedelta(days=7)
SOURCE_NAMES = ("bluesky", "mastodon", "github", "gravatar", "website")


@dataclass(frozen=True)
class RefreshPolicy:
    """Whether and how often to fetch; IT or the user can turn fetching off entirely or
    per source."""

    enabled: bool = True
    max_age: timedelta = DEFAULT_MAX_AGE
    disabled: frozenset[str] = frozenset()
    by_email: bool = False  # the user (or IT) allowed Gravatar lookups by email

    @classmethod
    def from_settings(cls, settings: Settings) -> RefreshPolicy:
        """As the user's (or IT's) settings say."""
        return cls(
            enabled=settings.get(SOCIAL_ENABLED),
            max_age=timedelta(days=settings.get(SOCIAL_MAX_AGE_DAYS)),
            disabled=frozenset(s.lower() for s in settings.get(SOCIAL_DISABLED)),
            by_email=settings.get(SOCIAL_BY_EMAIL) == "yes",
        )

    def save(self, settings: Settings) -> None:
        """Store this policy as the user's settings."""
        settings.set(SOCIAL_ENABLED, self.enabled)
        settings.set(SOCIAL_MAX_AGE_DAYS, self.max_age.days)
        settings.set(SOCIAL_DISABLED, tuple(sorted(self.disabled)))
        settings.set(SOCIAL_BY_EMAIL, "yes" if self.by_email else "no")

    def allows(self, source: str) -> bool:
        if source == "gravatar" and not self.by_email:
            return False
        return self.enabled and source not in self.disabled

    def due(self, row: ProfileRow, now: datetime) -> bool:
        """Fetch when never fetched, or when the last look is older than `max_age`."""
        if not self.allows(row.network) or (
            row.network not in SOURCES and row.network != "gravatar"
        ):
            return False
        looked = max((t for t in (row.fetched_at, row.gone_at) if t is not None), default=None)
        return looked is None or now - looked >= self.max_age


@dataclass
class RefreshReport:
    """What one refresh did, for a status line."""

    refreshed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    added: list[str] = field(default_factory=list)
    unreachable: set[str] = field(default_factory=set)  # hosts the network did not reach

    @property
    def offline(self) -> bool:
        """Nothing could be reached: the computer is most likely offline."""
        return bool(self.unreachable) and not self.refreshed

    def summary(self) -> str:
        if self.offline:
            hosts = ", ".join(sorted(self.unreachable))
            return f"offline (could not reach {hosts}); nothing was fetched"
        parts = []
        if self.refreshed:
            parts.append(f"updated {len(self.refreshed)}")
        if self.added:
            parts.append(f"found {len(self.added)} more")
        if self.failed:
            what, why = self.failed[0]
            more = f" and {len(self.failed) - 1} more" if len(self.failed) > 1 else ""
            parts.append(f"could not fetch {what}{more} ({why.rstrip('.')})")
        return ", ".join(parts) or "nothing was due"

    def failure(self, what: str, error: FetchError) -> None:
        self.failed.append((what, str(error)))
        if isinstance(error, Unreachable):
            self.unreachable.add(error.host)


class ProfileRefresher:
    """Fetches what is due for a contact and stores it through the contact book."""

    def __init__(
        self,
        book: ContactBook,
        fetcher: Fetcher,
        avatars: Path,
        policy: RefreshPolicy = RefreshPolicy(),
    ) -> None:
        self.book = book
        self.fetcher = fetcher
        self.avatars = avatars
        self.policy = policy

    def refresh_contact(self, contact_id: uuid.UUID, *, force: bool = False) -> RefreshReport:
        """Refresh the contact's due profiles (all of them with `force`, still within
        the policy and the sources' rate limits)."""
        report = RefreshReport()
        now = self.book.clock.now()
        rows = self.book.profiles(contact_id)
        if self.policy.allows("gravatar"):
            self._gravatars(contact_id, rows, now, force, report)
            rows = self.book.profiles(contact_id)
        for row in rows:
            if row.network == "gravatar" or row.network not in SOURCES:
                continue
            if (force and self.policy.allows(row.network)) or self.policy.due(row, now):
                self._refresh(row, now, report)
        return report

    def _refresh(self, row: ProfileRow, now: datetime, report: RefreshReport) -> None:
        ref = ProfileRef(row.network, row.handle, row.url)
        try:
            snapshot = _read(
                row.network, row.handle, lambda: SOURCES[row.network](self.fetcher, ref)
            )
        except Cancelled:
            raise
        except NotFound as error:
            self.book.store_profile_error(row.id, str(error), gone_at=now)
            report.failure(row.url, error)
            return
        except FetchError as error:
            self.book.store_profile_error(row.id, str(error))
            report.failure(row.url, error)
            return
        self._store(row.id, snapshot, now)
        report.refreshed.append(row.url)

    def _gravatars(
        self,
        contact_id: uuid.UUID,
        rows: list[ProfileRow],
        now: datetime,
        force: bool,
        report: RefreshReport,
    ) -> None:
        known = {row.handle.lower(): row for row in rows if row.network == "gravatar"}
        for email in self.book.contact(contact_id).emails:
            address = email.address.strip().lower()
            row = known.get(address)
            if row is not None and not force and not self.policy.due(row, now):
                continue
            try:
                snapshot = _read("gravatar", address, gravatar.fetch_email, self.fetcher, address)
            except Cancelled:
                raise
            except NotFound:
                if row is None:
                    row_id = self._add(contact_id, "gravatar", address, _gravatar_url(address))
                else:
                    row_id = row.id
                if row_id is not None:
                    self.book.store_profile_error(row_id, "No Gravatar profile.", gone_at=now)
                continue
            except FetchError as error:
                report.failure(f"the Gravatar of {address}", error)
                continue
            profile_id = (
                row.id
                if row
                else self._add(contact_id, "gravatar", address, _gravatar_url(address))
            )
            if profile_id is None:
                continue
            self._store(profile_id, snapshot, now)
            report.refreshed.append(f"Gravatar of {address}")
            for link in snapshot.links:
                self._add_found(contact_id, link, report)

    def _add_found(self, contact_id: uuid.UUID, link: str, report: RefreshReport) -> None:
        try:
            ref = recognise(link)
        except ValueError:
            return
        if self._add(contact_id, ref.network, ref.handle, ref.url) is not None:
            report.added.append(ref.url)

    def _add(self, contact_id: uuid.UUID, network: str, handle: str, url: str) -> uuid.UUID | None:
        try:
            return self.book.add_profile(contact_id, network, handle, url)
        except ValidationError:
            return None  # already there

    def _store(self, profile_id: uuid.UUID, snapshot: Snapshot, now: datetime) -> None:
        self.book.store_snapshot(
            profile_id,
            fetched_at=now,
            display_name=snapshot.display_name,
            headline=snapshot.headline,
            counts=snapshot.counts,
            posts=[
                {"posted_at": p.posted_at, "text": p.text, "url": p.url} for p in snapshot.posts
            ],
            details=snapshot.details,
            avatar_path=self._avatar(profile_id, snapshot.avatar_url),
        )

    def _avatar(self, profile_id: uuid.UUID, url: str) -> str | None:
        """The avatar saved under the data folder, or None to keep the one we have."""
        if not url:
            return None
        try:
            data, kind = self.fetcher.get_image(url)
        except Cancelled:
            raise
        except FetchError:
            return None
        self.avatars.mkdir(parents=True, exist_ok=True)
        path = self.avatars / f"{profile_id}.{kind}"
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, path)
        return str(path)


def fetch_profile(fetcher: Fetcher, ref: ProfileRef) -> Snapshot:
    """The profile `ref` names, fetched from its source; a `FetchError` when nothing
    usable came (see `_read`)."""
    return _read(ref.network, ref.handle, SOURCES[ref.network], fetcher, ref)


def _read(source: str, handle: str, fetch: Callable[..., Snapshot], *args: Any) -> Snapshot:
    """What `fetch(*args)` brought, or BadResponse when it is not a profile worth keeping
    in place of the last one: a body in another shape, or one with nothing in it."""
    try:
        snapshot = fetch(*args)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
        if isinstance(error, FetchError):
            raise
        raise BadResponse(
            f"{source} sent a profile in a form Callsheet cannot read; the last one is kept."
        ) from error
    if snapshot.says_nothing(handle):
        raise BadResponse(f"{source} sent a profile with nothing in it; the last one is kept.")
    return snapshot


def _gravatar_url(address: str) -> str:
    return f"https://gravatar.com/{gravatar.email_hash(address)}"
