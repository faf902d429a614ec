"""Two-way sync of a book with one collection of one account: contacts with its
address book, follow-ups, history and notes with its task list (`desktop.sync.kinds` says
how each kind of record is read, written and stored).

A run pushes first, then pulls (DESIGN.md, "Sync"):

- **Push**: every record whose `rev` moved since the server and Callsheet last agreed
  is written at its own href (`<uuid>.vcf` or `.ics`, so a retried create lands on the
  same resource) with `If-None-Match: *` when new and `If-Match: <etag>` when not;
  a record whose text would read the same as the agreed one is not sent. Trashed
  records are deleted on the server (at once, or with `keep_trashed` once purged). A
  write the server refuses because the record changed there (412) is merged and tried
  again.
- **Pull**: what changed since the stored sync token (or, when the server forgot the
  token, a listing of every ETag) is fetched in batches and merged into the records
  in a "remote" transaction; the token is stored with the last batch, so a run killed
  half way asks again from the old token and skips what it already has.
- **Merge** (`desktop.sync.cards.merge`): field by field against the agreed version;
  when both sides changed one field, the server's value wins and ours goes to the
  conflict log. Deleted on one side and edited on the other: the edit wins. Deleted on
  the server and untouched here: the record goes to the Trash. No clock takes part.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from sqlalchemy.orm import Session

from db import sync_state
from db.engine import Database
from db.errors import CallsheetError, InputError
from db.sync_state import AccountRow, ItemRow, Pending
from desktop.sync import resources
from desktop.sync.cards import Fields, Lost
from desktop.sync.kinds import ContactKind, Loaded, RecordKind
from desktop.sync.resources import ItemRefused, NotOnServer, PreconditionFailed
from desktop.sync.task_kinds import FollowUpKind, HistoryKind, NoteKind

BATCH = resources.MULTIGET_BATCH
MAX_ATTEMPTS = 3  # writes tried again after a conflict, before leaving it for the next run
NOT_AGREED = -1  # a synced_rev no record has: the record goes out with the next push

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

    def joined(self, other: Report) -> Report:
        """This run's report and another collection's, as one."""
        return Report(
            self.account,
            self.pushed + other.pushed,
            self.deleted_on_server + other.deleted_on_server,
            self.pulled + other.pulled,
            self.trashed + other.trashed,
            self.conflicts + other.conflicts,
            self.problems + other.problems,
            self.stopped or other.stopped,
            self.dry_run,
        )

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


class CollectionSync:
    """One run for one collection of one account; `cancelled` is asked between records."""

    def __init__(
        self,
        db: Database,
        account: AccountRow,
        http: httpx.Client,
        collection: str,
        kinds: list[RecordKind],
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        keep_trashed: bool = False,
    ) -> None:
        """`collection` is "contacts" or "tasks"; `keep_trashed`: a record moved to the
        Trash is deleted on the server only once the Trash is emptied (else at the next
        push)."""
        url = account.contacts_url if collection == "contacts" else account.tasks_url
        if not url:
            raise ValueError(f"account {account.name} has no {collection} collection")
        self.db, self.account, self.http = db, account, http
        self.collection, self.url, self.kinds = collection, url, kinds
        self.progress = progress or (lambda *_: None)
        self.cancelled = cancelled
        self.keep_trashed = keep_trashed
        self.report = Report(account.name)
        self.merged_here = False  # the pull merged something the server has not got

    def run(self, dry_run: bool = False) -> Report:
        """Push, pull, and push again what the pull merged (if it merged anything)."""
        self.report.dry_run = dry_run
        self.push(dry_run)
        if not self.report.stopped:
            self.pull(dry_run)
        if not dry_run and not self.report.stopped and self.merged_here:
            self.push(dry_run)
        return self.report

    # Push

    def push(self, dry_run: bool = False) -> None:
        with self.db.reading() as session:
            pending = [
                (kind, waiting)
                for kind in self.kinds
                for waiting in sync_state.pending(
                    session, self.account, kind.record_type, self.keep_trashed
                )
            ]
        for start in range(0, len(pending), BATCH):
            chunk = pending[start : start + BATCH]
            with self.db.reading() as session:
                loaded: dict[tuple[str, uuid.UUID], Loaded] = {}
                for kind in self.kinds:
                    ids = [w.record_id for k, w in chunk if k is kind and w.rev]
                    if ids:
                        for record_id, found in kind.load(session, ids).items():
                            loaded[kind.record_type, record_id] = found
            for n, (kind, waiting) in enumerate(chunk, start=start):
                if self.cancelled():
                    self.report.stopped = True
                    return
                self.progress("push", n, len(pending))
                record = loaded.get((kind.record_type, waiting.record_id))
                try:
                    if waiting.trashed or record is None:
                        self._push_delete(kind, waiting, dry_run)
                    else:
                        self._push_record(kind, waiting, record, dry_run)
                except ItemRefused as error:
                    self.report.problems.append(str(error))
        self.progress("push", len(pending), len(pending))

    def _push_record(
        self, kind: RecordKind, waiting: Pending, record: Loaded, dry_run: bool
    ) -> None:
        item = waiting.item
        text = kind.text(record, item.base if item else None)
        if item is not None and self._reads_the_same(kind, text, item.base):
            if not dry_run:
                self._agree(kind, waiting.record_id, item.href, item.etag, waiting.rev, item.base)
            return
        if dry_run:
            self.report.pushed += 1
            return
        href = item.href if item else self._href_for(kind, waiting.record_id)
        etag = item.etag if item else None
        if not self._write(kind, record, href, etag, text):
            self._settle(kind, waiting.record_id, href, item if etag else None)

    def _push_delete(self, kind: RecordKind, waiting: Pending, dry_run: bool) -> None:
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
            self._settle(kind, waiting.record_id, item.href, item)
            return
        with self.db.transaction(origin="remote") as session:
            sync_state.forget_items(session, self.account.id, kind.record_type, [item.record_id])

    def _settle(
        self, kind: RecordKind, record_id: uuid.UUID, href: str, item: ItemRow | None
    ) -> None:
        """The server refused a write: take its version, merge, and write the merge."""
        for _ in range(MAX_ATTEMPTS):
            found = resources.get(self.http, href)
            if found is None:  # deleted there, changed here: the change wins
                record = self._load(kind, record_id)
                if record is None or record.trashed:
                    with self.db.transaction(origin="remote") as session:
                        sync_state.forget_items(
                            session, self.account.id, kind.record_type, [record_id]
                        )
                    return
                if self._write(kind, record, href, None):
                    return
                continue
            etag, remote_text = found
            with self.db.transaction(origin="remote") as session:
                needs_push = self._take(session, kind, href, etag, remote_text, item, record_id)
            self.report.pulled += 1
            if not needs_push:
                return
            record = self._load(kind, record_id)
            if record is None or self._write(kind, record, href, etag):
                return
            with self.db.reading() as session:
                item = sync_state.item_of(session, self.account.id, kind.record_type, record_id)

    # Pull

    def pull(self, dry_run: bool = False) -> None:
        with self.db.reading() as session:
            token = sync_state.token(session, self.account.id, self.collection)
        while True:
            try:
                changes = resources.changes_since(self.http, self.url, token)
            except resources.TokenExpired:
                changes = resources.listing(self.http, self.url)
            self._apply_changes(changes, dry_run)
            if not changes.more or self.report.stopped or changes.token in (None, token):
                return
            token = changes.token

    def _apply_changes(self, changes: resources.Changes, dry_run: bool) -> None:
        with self.db.reading() as session:
            known = sync_state.etags(session, self.account.id, [k.record_type for k in self.kinds])
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
            fetched = resources.fetch(
                self.http, self.url, wanted[start : start + BATCH], self.collection
            )
            with self.db.transaction(origin="remote") as session:
                found = []
                for href, (etag, text) in fetched.items():
                    item = sync_state.item_by_href(session, self.account.id, href)
                    kind = self._kind_of(item, text)
                    if kind is not None:
                        found.append((self.kinds.index(kind), href, etag, text, item))
                # Follow-ups before the history entries that name them as cleared.
                for rank, href, etag, text, item in sorted(found, key=lambda f: f[0]):
                    if self._take(session, self.kinds[rank], href, etag, text, item, None):
                        self.merged_here = True
                    self.report.pulled += 1
        with self.db.transaction(origin="remote") as session:
            for href in removed:
                self._removed_on_server(session, href)
            sync_state.store_token(session, self.account.id, changes.token, self.collection)
        self.progress("pull", len(wanted), len(wanted))

    def _kind_of(self, item: ItemRow | None, text: str) -> RecordKind | None:
        """The kind a server's resource is (None: nothing Callsheet keeps, an event)."""
        for kind in self.kinds:
            if (kind.record_type == item.record_type) if item else kind.claims(text):
                return kind
        return None

    def _removed_on_server(self, session: Session, href: str) -> None:
        item = sync_state.item_by_href(session, self.account.id, href)
        if item is None:
            return
        kind = self._kind_of(item, "")
        if kind is None:
            return
        sync_state.forget_items(session, self.account.id, item.record_type, [item.record_id])
        rev = sync_state.rev_of(session, item.record_type, item.record_id)
        if rev is not None and rev == item.synced_rev:  # untouched here: to the Trash
            self.report.trashed += kind.trash(session, [item.record_id])
        elif rev is not None:  # changed here since: the change wins, sent back as new
            self.merged_here = True

    # Merging a server's version into the book

    def _take(
        self,
        session: Session,
        kind: RecordKind,
        href: str,
        etag: str | None,
        text: str,
        item: ItemRow | None,
        record_id: uuid.UUID | None,
    ) -> bool:
        """Merge the server's version at `href` into its record; True when the merge holds
        something the server has not got (the record should be written back)."""
        notes: list[str] = []
        leaf = href.rsplit("/", 1)[-1]
        try:
            named, uid, remote = kind.read(session, text, notes)
        except InputError as error:
            self.report.problems.append(f"{leaf}: {error}")
            return False
        record_id = (
            item.record_id if item else record_id or named or uuid.uuid5(uuid.NAMESPACE_URL, href)
        )
        current = kind.load(session, [record_id]).get(record_id)
        local = self._local_fields(session, kind, current) if current else None
        if local is None:
            merged, lost = remote, list[Lost]()
        else:
            merged, lost = kind.merge(
                self._fields(session, kind, item.base) if item else None, local, remote
            )
        name = kind.name(merged) or leaf
        try:
            if current is not None and not current.trashed and local == merged:
                rev = current.rev
            else:
                rev = kind.put(session, record_id, uid, merged)
        except CallsheetError as error:
            self.report.problems.append(f"{name}: {error}")
            return False
        self.report.problems += [f"{name}: {note}" for note in notes]
        for loss in lost:
            sync_state.log_conflict(
                session, self.account.id, kind.record_type, record_id, name, loss.field,
                loss.kept, loss.chosen,
            )  # fmt: skip
        self.report.conflicts += len(lost)
        agreed = merged == remote
        sync_state.put_item(
            session, self.account.id, kind.record_type, record_id, href, etag,
            rev if agreed else NOT_AGREED, text,
        )  # fmt: skip
        return not agreed

    # Helpers

    def _write(
        self, kind: RecordKind, record: Loaded, href: str, etag: str | None, text: str | None = None
    ) -> bool:
        """PUT the record (`If-Match: etag`, or `If-None-Match: *` when None) and, when
        the server takes it, remember the agreement; False when it changed (412) or went
        (404) there meanwhile."""
        if text is None:
            with self.db.reading() as session:
                item = sync_state.item_of(session, self.account.id, kind.record_type, record.id)
            text = kind.text(record, item.base if item else None)
        try:
            new_etag = resources.put(self.http, href, text, etag, self.collection)
        except (PreconditionFailed, NotOnServer):
            return False
        self._agree(kind, record.id, href, new_etag, record.rev, text)
        self.report.pushed += 1
        return True

    def _agree(
        self,
        kind: RecordKind,
        record_id: uuid.UUID,
        href: str,
        etag: str | None,
        rev: int | None,
        base: str,
    ) -> None:
        with self.db.transaction(origin="remote") as session:
            sync_state.put_item(
                session, self.account.id, kind.record_type, record_id, href, etag,
                rev or NOT_AGREED, base,
            )  # fmt: skip

    def _load(self, kind: RecordKind, record_id: uuid.UUID) -> Loaded | None:
        with self.db.reading() as session:
            return kind.load(session, [record_id]).get(record_id)

    def _fields(self, session: Session, kind: RecordKind, text: str) -> Fields | None:
        try:
            return kind.read(session, text, [])[2]
        except InputError:
            return None

    def _local_fields(self, session: Session, kind: RecordKind, record: Loaded) -> Fields | None:
        """The record's fields, read as a server's version would be."""
        return self._fields(session, kind, kind.text(record, None))

    def _reads_the_same(self, kind: RecordKind, text: str, base: str) -> bool:
        with self.db.reading() as session:
            ours = self._fields(session, kind, text)
            return ours is not None and ours == self._fields(session, kind, base)

    def _href_for(self, kind: RecordKind, record_id: uuid.UUID) -> str:
        return urljoin(self.url, f"{record_id}{kind.suffix}")


def contact_sync(
    db: Database,
    account: AccountRow,
    http: httpx.Client,
    region: str,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    keep_trashed: bool = False,
) -> CollectionSync:
    """A run for the account's address book."""
    kinds: list[RecordKind] = [ContactKind(region, account.vcard_version, account.contacts_group)]
    return CollectionSync(db, account, http, "contacts", kinds, progress, cancelled, keep_trashed)


def task_sync(
    db: Database,
    account: AccountRow,
    http: httpx.Client,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    keep_trashed: bool = False,
) -> CollectionSync:
    """A run for the account's task list: follow-ups, and history and contacts' notes
    where it takes journals."""
    kinds: list[RecordKind] = [FollowUpKind(db.clock)]
    if account.history_syncs:
        kinds += [HistoryKind(db.clock), NoteKind(db.clock)]
    return CollectionSync(db, account, http, "tasks", kinds, progress, cancelled, keep_trashed)
