"""Two-way sync of a book's contacts with one account's address book.

A run pushes first, then pulls (DESIGN.md, "Sync"):

- **Push**: every contact whose `rev` moved since the server and Callsheet last agreed
  is written as a card at its own href (`<uuid>.vcf`, so a retried create lands on the
  same resource) with `If-None-Match: *` when new and `If-Match: <etag>` when not;
  a contact whose card would read the same as the agreed one is not sent. Trashed
  contacts are deleted on the server (at once, or with `keep_trashed` once purged). A
  write the server refuses because the card changed there (412) is merged and tried
  again.
- **Pull**: what changed since the stored sync token (or, when the server forgot the
  token, a listing of every ETag) is fetched in batches and merged into the contacts
  in a "remote" transaction; the token is stored with the last batch, so a run killed
  half way asks again from the old token and skips what it already has.
- **Merge** (`desktop.sync.cards.merge`): field by field against the agreed card; when
  both sides changed one field, the server's value wins and ours goes to the conflict
  log. Deleted on one side and edited on the other: the edit wins. Deleted on the
  server and untouched here: the contact goes to the Trash. No clock takes part.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from sqlalchemy.orm import Session

from db import contacts, sync_apply, sync_state
from db.contact_values import ExportedContact
from db.engine import Database
from db.errors import ValidationError
from db.exports import load_contacts
from db.sync_state import AccountRow, ItemRow, Pending
from desktop.interop.vcard import write_vcard
from desktop.sync import resources
from desktop.sync.cards import (
    Fields,
    Lost,
    UnreadableCard,
    contact_fields,
    contact_of,
    merge,
    read_fields,
    referred_by,
)
from desktop.sync.resources import ItemRefused, NotOnServer, PreconditionFailed

BATCH = resources.MULTIGET_BATCH
MAX_ATTEMPTS = 3  # writes tried again after a conflict, before leaving it for the next run
NOT_AGREED = -1  # a synced_rev no contact has: the contact goes out with the next push

# Told (stage, done, total) as the run goes: stage is "push" or "pull".
Progress = Callable[[str, int, int], object]
STAGE_WORDS = {"push": "sending", "pull": "fetching"}  # what a progress line says


@dataclass
class Report:
    """What a run did (or, dry, would do)."""

    account: str
    pushed: int = 0
    deleted_on_server: int = 0
    pulled: int = 0
    trashed: int = 0
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)
    stopped: bool = False
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        parts = [
            f"{verb} {self.pushed}",
            f"{'would fetch' if self.dry_run else 'fetched'} {self.pulled}",
        ]
        if self.deleted_on_server:
            parts.append(f"deleted {self.deleted_on_server} on the server")
        if self.trashed:
            parts.append(f"moved {self.trashed} to the Trash")
        if self.conflicts:
            parts.append(f"{self.conflicts} in the conflict log")
        if self.problems:
            parts.append(f"{len(self.problems)} not synced")
        return f"{self.account}: " + ", ".join(parts) + (" (stopped)" if self.stopped else "")


class ContactSync:
    """One run for one account; `cancelled` is asked between records."""

    def __init__(
        self,
        db: Database,
        account: AccountRow,
        http: httpx.Client,
        region: str,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        keep_trashed: bool = False,
    ) -> None:
        """`keep_trashed`: a contact moved to the Trash is deleted on the server only
        once the Trash is emptied (else at the next push)."""
        if not account.contacts_url:
            raise ValueError(f"account {account.name} has no address book")
        self.db, self.account, self.http, self.region = db, account, http, region
        self.collection: str = account.contacts_url
        self.progress = progress or (lambda *_: None)
        self.cancelled = cancelled
        self.keep_trashed = keep_trashed
        self.report = Report(account.name)

    def run(self, dry_run: bool = False) -> Report:
        """Push, pull, and push again what the pull merged."""
        self.report.dry_run = dry_run
        self.push(dry_run)
        if not self.report.stopped:
            self.pull(dry_run)
        if not dry_run and not self.report.stopped:
            self.push(dry_run)
        return self.report

    # Push

    def push(self, dry_run: bool = False) -> None:
        with self.db.reading() as session:
            pending = sync_state.pending_contacts(session, self.account.id, self.keep_trashed)
        for start in range(0, len(pending), BATCH):
            chunk = pending[start : start + BATCH]
            with self.db.reading() as session:
                loaded = {
                    c.details.id: c
                    for c in load_contacts(session, [p.contact_id for p in chunk if p.rev])
                }
            for n, waiting in enumerate(chunk, start=start):
                if self.cancelled():
                    self.report.stopped = True
                    return
                self.progress("push", n, len(pending))
                contact = loaded.get(waiting.contact_id)
                try:
                    if waiting.trashed or contact is None:
                        self._push_delete(waiting, dry_run)
                    else:
                        self._push_card(waiting, contact, dry_run)
                except ItemRefused as error:
                    self.report.problems.append(str(error))
        self.progress("push", len(pending), len(pending))

    def _push_card(self, waiting: Pending, contact: ExportedContact, dry_run: bool) -> None:
        text = self._card(contact)
        item = waiting.item
        if item is not None and self._reads_the_same(text, item.base):
            if not dry_run:
                self._agree(waiting.contact_id, item.href, item.etag, waiting.rev, item.base)
            return
        if dry_run:
            self.report.pushed += 1
            return
        href = item.href if item else self._href_for(waiting.contact_id)
        etag = item.etag if item else None
        if not self._write(contact, href, etag, text):
            self._settle(waiting.contact_id, href, item if etag else None)

    def _push_delete(self, waiting: Pending, dry_run: bool) -> None:
        item = waiting.item
        if item is None:
            return
        self.report.deleted_on_server += 1
        if dry_run:
            return
        try:
            resources.delete(self.http, item.href, item.etag)
        except PreconditionFailed:  # edited on the server meanwhile: the edit wins
            self.report.deleted_on_server -= 1
            self._settle(waiting.contact_id, item.href, item)
            return
        with self.db.transaction(origin="remote") as session:
            sync_state.forget_items(session, self.account.id, [waiting.contact_id])

    def _settle(self, contact_id: uuid.UUID, href: str, item: ItemRow | None) -> None:
        """The server refused a write: take its version, merge, and write the merge."""
        for _ in range(MAX_ATTEMPTS):
            found = resources.get(self.http, href)
            if found is None:  # deleted there, changed here: the change wins
                contact = self._load(contact_id)
                if contact is None or contact.details.deleted_at is not None:
                    with self.db.transaction(origin="remote") as session:
                        sync_state.forget_items(session, self.account.id, [contact_id])
                    return
                if self._write(contact, href, None):
                    return
                continue
            etag, remote_text = found
            with self.db.transaction(origin="remote") as session:
                needs_push = self._take(session, href, etag, remote_text, item, contact_id)
            self.report.pulled += 1
            if not needs_push:
                return
            contact = self._load(contact_id)
            if contact is None or self._write(contact, href, etag):
                return
            with self.db.reading() as session:
                item = sync_state.item_of(session, self.account.id, contact_id)

    # Pull

    def pull(self, dry_run: bool = False) -> None:
        with self.db.reading() as session:
            token = sync_state.account(session, self.account.id).contacts_token
        while True:
            try:
                changes = resources.changes_since(self.http, self.collection, token)
            except resources.TokenExpired:
                changes = resources.listing(self.http, self.collection)
            self._apply_changes(changes, dry_run)
            if not changes.more or self.report.stopped or changes.token in (None, token):
                return
            token = changes.token

    def _apply_changes(self, changes: resources.Changes, dry_run: bool) -> None:
        with self.db.reading() as session:
            known = sync_state.etags(session, self.account.id)
        wanted = [h for h, e in changes.changed.items() if e is None or known.get(h) != e]
        removed = list(changes.removed)
        if changes.full:
            removed += [h for h in known if h not in changes.changed]
        removed = [h for h in removed if h in known]
        if dry_run:
            self.report.pulled += len(wanted)
            self.report.trashed += len(removed)
            return
        for start in range(0, len(wanted), BATCH):
            if self.cancelled():
                self.report.stopped = True
                return
            self.progress("pull", start, len(wanted))
            cards = resources.fetch(self.http, self.collection, wanted[start : start + BATCH])
            with self.db.transaction(origin="remote") as session:
                for href, (etag, text) in cards.items():
                    item = sync_state.item_by_href(session, self.account.id, href)
                    self._take(session, href, etag, text, item, None)
                    self.report.pulled += 1
        with self.db.transaction(origin="remote") as session:
            for href in removed:
                self._removed_on_server(session, href)
            sync_state.store_token(session, self.account.id, changes.token)
        self.progress("pull", len(wanted), len(wanted))

    def _removed_on_server(self, session: Session, href: str) -> None:
        item = sync_state.item_by_href(session, self.account.id, href)
        if item is None:
            return
        sync_state.forget_items(session, self.account.id, [item.record_id])
        rev = sync_state.rev_of(session, item.record_id)
        if rev is not None and rev == item.synced_rev:  # untouched here: to the Trash
            self.report.trashed += contacts.trash_contacts(session, [item.record_id])
        # changed here since: the change wins, and goes back as a new card next push

    # Merging a server's card into the book

    def _take(
        self,
        session: Session,
        href: str,
        etag: str | None,
        text: str,
        item: ItemRow | None,
        contact_id: uuid.UUID | None,
    ) -> bool:
        """Merge the server's card at `href` into its contact; True when the merge holds
        something the server has not got (the contact should be written back)."""
        notes: list[str] = []
        try:
            uid, remote = read_fields(text, self.region, notes)
        except UnreadableCard as error:
            self.report.problems.append(f"{href.rsplit('/', 1)[-1]}: {error}")
            return False
        contact_id = (
            item.record_id if item else contact_id or uid or uuid.uuid5(uuid.NAMESPACE_URL, href)
        )
        current = next(iter(load_contacts(session, [contact_id])), None)
        local = contact_fields(current, self.region) if current else None
        if local is None:
            merged, lost = remote, list[Lost]()
        else:
            merged, lost = merge(self._fields(item.base) if item else None, local, remote)
        name = merged["display_name"] or href.rsplit("/", 1)[-1]
        try:
            rev = self._put(session, contact_id, merged, current, local)
        except ValidationError as error:
            self.report.problems.append(f"{name}: {error}")
            return False
        self.report.problems += [f"{name}: {note}" for note in notes]
        for loss in lost:
            sync_state.log_conflict(
                session, self.account.id, contact_id, name, loss.field, loss.kept, loss.chosen
            )
        self.report.conflicts += len(lost)
        agreed = merged == remote
        sync_state.put_item(
            session, self.account.id, contact_id, href, etag, rev if agreed else NOT_AGREED, text
        )
        return not agreed

    def _put(
        self,
        session: Session,
        contact_id: uuid.UUID,
        merged: Fields,
        current: ExportedContact | None,
        local: Fields | None,
    ) -> int:
        """Give the contact the merged values (unless it has them); its rev after."""
        if current is not None and current.details.deleted_at is None and local == merged:
            return current.details.rev
        record = contact_of(merged, contact_id, self.region)
        return sync_apply.put_contact(session, record, referred_by(merged))

    # Helpers

    def _write(
        self, contact: ExportedContact, href: str, etag: str | None, text: str | None = None
    ) -> bool:
        """PUT the contact's card (`If-Match: etag`, or `If-None-Match: *` when None) and,
        when the server takes it, remember the agreement; False when the card changed
        (412) or went (404) there meanwhile."""
        text = text if text is not None else self._card(contact)
        try:
            new_etag = resources.put(self.http, href, text, etag)
        except (PreconditionFailed, NotOnServer):
            return False
        self._agree(contact.details.id, href, new_etag, contact.details.rev, text)
        self.report.pushed += 1
        return True

    def _agree(
        self, contact_id: uuid.UUID, href: str, etag: str | None, rev: int | None, base: str
    ) -> None:
        with self.db.transaction(origin="remote") as session:
            sync_state.put_item(
                session, self.account.id, contact_id, href, etag, rev or NOT_AGREED, base
            )

    def _load(self, contact_id: uuid.UUID) -> ExportedContact | None:
        with self.db.reading() as session:
            return next(iter(load_contacts(session, [contact_id])), None)

    def _card(self, contact: ExportedContact) -> str:
        return write_vcard(contact, self.account.vcard_version)

    def _fields(self, text: str) -> Fields | None:
        try:
            return read_fields(text, self.region)[1]
        except UnreadableCard:
            return None

    def _reads_the_same(self, text: str, base: str) -> bool:
        ours = self._fields(text)
        return ours is not None and ours == self._fields(base)

    def _href_for(self, contact_id: uuid.UUID) -> str:
        return urljoin(self.collection, f"{contact_id}.vcf")
