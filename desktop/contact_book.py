"""The contact book: every unit of work the app does, each in its own session.

The one door from widgets and item models to storage. Methods take and return
plain values (ids, frozen dataclasses), open a short-lived session, and are safe
to call from worker threads. No Qt here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import (
    activities,
    agenda_query,
    backups,
    calendar,
    companies,
    contact_values,
    contacts,
    exports,
    groups,
    history,
    imports,
    journal_upkeep,
    lookup_reasons,
    notes,
    plain_sql,
    social_profiles,
    statistics,
    sync_state,
    tasks,
    trash,
)
from db import restore as restoring
from db.activities import ActivityDetails, AlarmRow, ClearResult
from db.activity_values import ActivityDraft, HistoryDraft
from db.agenda_query import Agenda
from db.backups import BackupFile, BackupSummary
from db.calendar import CalendarDay
from db.clock import Clock, Moment, SystemClock
from db.companies import CompanyDetails, CompanyDraft, CompanyOverview, CompanyRow
from db.contact_values import ContactDetails, ContactDraft
from db.contacts import ContactRow, ListQuery
from db.engine import Database, database_path, open_database
from db.errors import DamagedDatabaseError
from db.groups import GroupRow
from db.history import HistoryDetails, HistoryRow
from db.imports import BatchRow
from db.job_lock import OnWait
from db.lookup_query import LookupHit
from db.lookup_reasons import Reason
from db.notes import NoteRow
from db.restore import BackupPlan
from db.search import LOOKUP
from db.social_profiles import ProfileRow
from db.sync_state import AccountRow, ConflictRow
from db.tasks import Bucket, TaskQuery, TaskRow
from db.trash import TrashItem

if TYPE_CHECKING:  # the import, export, duplicate and sync code loads when first used
    import httpx
    from sqlalchemy.orm import Session

    from db.duplicates import DuplicateGroup
    from desktop.interop.ical import CalendarPlan
    from desktop.interop.importer import OnDuplicate, Outcome, Preview
    from desktop.interop.plan import ImportPlan
    from desktop.sync.engine import Progress as SyncProgress
    from desktop.sync.engine import Report as SyncReport


DAILY = timedelta(hours=24)


@dataclass(frozen=True)
class NavigationCounts:
    contacts: int
    trash: int
    groups: dict[uuid.UUID, int]
    overdue: int = 0


class ContactBook:
    """Contacts, companies, groups, notes and the Trash of one open database."""

    def __init__(self, db: Database, backups: BackupPlan | None = None) -> None:
        self._db = db
        self.backups = backups or BackupPlan.beside(db.path.parent)

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        create: bool = True,
        on_wait: OnWait | None = None,
        backups: BackupPlan | None = None,
    ) -> ContactBook:
        """The book in `data_dir` (created there unless `create` is False); `on_wait`
        hears when an upgrade waits for another process's job on it; `backups` says
        where automatic backups go (`data_dir/backups`, seven kept, unless given).

        Raises a `db.errors.DatabaseError` naming the file when it cannot be opened.
        """
        plan = backups or BackupPlan.beside(data_dir)
        try:
            db = open_database(data_dir, clock=clock, create=create, on_wait=on_wait)
        except DamagedDatabaseError as error:
            raise error.naming(restoring.newest_backup(plan, error.path.parent)) from error
        return cls(db, plan)

    def job(self, what: str, on_wait: OnWait | None = None) -> AbstractContextManager[None]:
        """Hold the book's job lock for `what` (see `db.job_lock`) across several calls;
        imports, seeding and undoing an import take it themselves as well."""
        return self._db.jobs.held(what, on_wait)

    @staticmethod
    def replace_damaged(data_dir: Path, backup: Path, clock: Clock | None = None) -> Path:
        """Put `backup` in the place of the damaged book in `data_dir` (which cannot be
        opened to restore into); returns where the damaged file was moved."""
        path = database_path(data_dir.expanduser().absolute())
        return restoring.replace_damaged(path, backup, (clock or SystemClock()).now())

    @staticmethod
    def exists_in(data_dir: Path) -> bool:
        """Whether `data_dir` holds a book already."""
        return database_path(data_dir).exists()

    @property
    def clock(self) -> Clock:
        """What "now" is for this book: everything it stores and shows goes by it."""
        return self._db.clock

    @property
    def path(self) -> str:
        return str(self._db.path)

    # Finding and listing
    def lookup(self, text: str, limit: int = 200) -> list[LookupHit]:
        with self._db.reading() as session:
            return LOOKUP.lookup(session, text, limit)

    def count(self, query: ListQuery | None = None) -> int:
        with self._db.reading() as session:
            return contacts.count_contacts(session, query or ListQuery())

    def page(self, query: ListQuery, offset: int, limit: int) -> list[ContactRow]:
        with self._db.reading() as session:
            return contacts.list_contacts(session, query, offset, limit)

    def ids_on_page(self, query: ListQuery, offset: int, limit: int) -> list[uuid.UUID]:
        """The contacts `page` would show, as ids alone."""
        with self._db.reading() as session:
            return contacts.ids_on_page(session, query, offset, limit)

    def lookup_rows(self, text: str, limit: int = 200) -> list[ContactRow]:
        """The list rows of what `lookup` finds, best match first."""
        with self._db.reading() as session:
            return _found_rows(session, text, limit)

    def lookup_explained(
        self, text: str, limit: int = 200
    ) -> tuple[list[ContactRow], dict[uuid.UUID, list[Reason]]]:
        """`lookup_rows`, and for each row the values the typed words matched."""
        with self._db.reading() as session:
            rows = _found_rows(session, text, limit)
            values = lookup_reasons.contact_values(session, rows)
        return rows, {cid: lookup_reasons.reasons(text, found) for cid, found in values.items()}

    def rows(self, contact_ids: Sequence[uuid.UUID]) -> list[ContactRow]:
        with self._db.reading() as session:
            return contacts.rows_for(session, contact_ids)

    def position(self, query: ListQuery, contact_id: uuid.UUID) -> int | None:
        """The contact's row in the list `query` shows, if it is there."""
        with self._db.reading() as session:
            return contacts.position_in_list(session, query, contact_id)

    def contact(self, contact_id: uuid.UUID) -> ContactDetails:
        """A contact's details (also one in the Trash), read as plain rows: the detail
        pane asks for one at every step through the list."""
        with self._db.reading() as session:
            return exports.contact_details(session, contact_id)

    def referrer(self, contact_id: uuid.UUID) -> tuple[uuid.UUID, str] | None:
        with self._db.reading() as session:
            return contacts.referrer_of(session, contact_id)

    # Changing contacts
    def validate(self, draft: ContactDraft) -> ContactDraft:
        return contact_values.validate(draft)

    def create(self, draft: ContactDraft) -> uuid.UUID:
        with self._db.transaction() as session:
            return contacts.create_contact(session, draft)

    def update(self, contact_id: uuid.UUID, draft: ContactDraft) -> None:
        with self._db.transaction() as session:
            contacts.update_contact(session, contact_id, draft)

    def trash(self, contact_ids: Sequence[uuid.UUID]) -> int:
        with self._db.transaction() as session:
            return contacts.trash_contacts(session, contact_ids)

    def restore(self, contact_ids: Sequence[uuid.UUID]) -> int:
        with self._db.transaction() as session:
            return contacts.restore_contacts(session, contact_ids)

    # Companies
    def companies(self) -> list[CompanyRow]:
        with self._db.reading() as session:
            return companies.list_companies(session)

    def company_overview(self) -> list[CompanyOverview]:
        with self._db.reading() as session:
            return companies.company_overview(session)

    def company_names(self, limit: int = 5000) -> list[str]:
        return [row.name for row in self.companies()[:limit]]

    def company(self, company_id: uuid.UUID) -> CompanyDetails:
        with self._db.reading() as session:
            return companies.get_company(session, company_id)

    def check_company(
        self, draft: CompanyDraft, company_id: uuid.UUID | None = None
    ) -> CompanyDraft:
        with self._db.reading() as session:
            return companies.validate_company(session, draft, company_id)

    def create_company(self, draft: CompanyDraft) -> uuid.UUID:
        with self._db.transaction() as session:
            return companies.create_company(session, draft)

    def update_company(self, company_id: uuid.UUID, draft: CompanyDraft) -> None:
        with self._db.transaction() as session:
            companies.update_company(session, company_id, draft)

    def trash_company(self, company_id: uuid.UUID) -> None:
        with self._db.transaction() as session:
            companies.trash_company(session, company_id)

    def restore_company(self, company_id: uuid.UUID) -> None:
        with self._db.transaction() as session:
            companies.restore_company(session, company_id)

    # Groups
    def groups(self) -> list[GroupRow]:
        with self._db.reading() as session:
            return groups.list_groups(session)

    def navigation_counts(self) -> NavigationCounts:
        """Contacts, Trash and group sizes for the navigation pane (slow at a million)."""
        with self._db.reading() as session:
            return NavigationCounts(
                contacts.count_contacts(session, ListQuery()),
                trash.count_trash(session),
                groups.member_counts(session),
                tasks.count_tasks(session, TaskQuery(Bucket.OVERDUE), self.clock.moment()),
            )

    def create_group(self, name: str) -> uuid.UUID:
        with self._db.transaction() as session:
            return groups.create_group(session, name)

    def rename_group(self, group_id: uuid.UUID, name: str) -> None:
        with self._db.transaction() as session:
            groups.rename_group(session, group_id, name)

    def trash_group(self, group_id: uuid.UUID) -> None:
        with self._db.transaction() as session:
            groups.trash_group(session, group_id)

    def restore_group(self, group_id: uuid.UUID) -> None:
        with self._db.transaction() as session:
            groups.restore_group(session, group_id)

    def add_to_group(
        self, group_id: uuid.UUID, contact_ids: Sequence[uuid.UUID]
    ) -> list[uuid.UUID]:
        with self._db.transaction() as session:
            return groups.add_to_group(session, group_id, contact_ids)

    def remove_from_group(
        self, group_id: uuid.UUID, contact_ids: Sequence[uuid.UUID]
    ) -> list[uuid.UUID]:
        with self._db.transaction() as session:
            return groups.remove_from_group(session, group_id, contact_ids)

    # Notes and history
    def notes(self, contact_id: uuid.UUID) -> list[NoteRow]:
        with self._db.reading() as session:
            return notes.notes_for(session, contact_id)

    def add_note(self, contact_id: uuid.UUID, body: str, pinned: bool = False) -> uuid.UUID:
        with self._db.transaction() as session:
            return notes.add_note(session, contact_id, body, pinned)

    def edit_note(self, note_id: uuid.UUID, body: str, pinned: bool | None = None) -> None:
        with self._db.transaction() as session:
            notes.edit_note(session, note_id, body, pinned)

    def trash_note(self, note_id: uuid.UUID) -> None:
        with self._db.transaction() as session:
            notes.trash_note(session, note_id)

    def restore_note(self, note_id: uuid.UUID) -> None:
        with self._db.transaction() as session:
            notes.restore_note(session, note_id)

    def history(self, contact_id: uuid.UUID) -> list[HistoryRow]:
        with self._db.reading() as session:
            return history.history_for(session, contact_id)

    def record_history(
        self,
        contact_ids: Sequence[uuid.UUID],
        *,
        kind: str,
        occurred_at: datetime,
        regarding: str = "",
        outcome: str = "completed",
        duration_minutes: int = 0,
        notes: str | None = None,
    ) -> uuid.UUID:
        with self._db.transaction() as session:
            return history.record_history(
                session,
                contact_ids,
                kind=kind,
                occurred_at=occurred_at,
                regarding=regarding,
                outcome=outcome,
                duration_minutes=duration_minutes,
                notes=notes,
            )

    def history_entry(self, history_id: uuid.UUID) -> HistoryDetails:
        with self._db.reading() as session:
            return history.get_entry(session, history_id)

    def update_history(self, history_id: uuid.UUID, draft: HistoryDraft) -> None:
        with self._db.transaction() as session:
            history.update(session, history_id, draft)

    def set_history_trashed(self, history_id: uuid.UUID, trashed: bool) -> None:
        with self._db.transaction() as session:
            history.set_trashed(session, history_id, trashed)

    # Follow-ups
    def validate_activity(self, draft: ActivityDraft) -> None:
        activities.validate(draft)

    def schedule(self, draft: ActivityDraft) -> uuid.UUID:
        with self._db.transaction() as session:
            return activities.schedule(session, draft)

    def update_activity(self, activity_id: uuid.UUID, draft: ActivityDraft) -> None:
        with self._db.transaction() as session:
            activities.update(session, activity_id, draft)

    def activity(self, activity_id: uuid.UUID) -> ActivityDetails:
        with self._db.reading() as session:
            return activities.get(session, activity_id)

    def reschedule(self, activity_id: uuid.UUID, starts_at: datetime) -> None:
        with self._db.transaction() as session:
            activities.reschedule(session, activity_id, starts_at)

    def clear_activity(
        self,
        activity_id: uuid.UUID,
        outcome: str,
        notes: str = "",
        *,
        occurred_at: datetime | None = None,
        duration_minutes: int | None = None,
    ) -> ClearResult:
        with self._db.transaction() as session:
            return activities.clear(
                session,
                activity_id,
                outcome,
                notes,
                occurred_at=occurred_at,
                duration_minutes=duration_minutes,
            )

    def reopen_activity(self, activity_id: uuid.UUID, history_id: uuid.UUID, due: datetime) -> None:
        with self._db.transaction() as session:
            activities.reopen(session, activity_id, history_id, due)

    def trash_activities(self, activity_ids: Sequence[uuid.UUID]) -> int:
        with self._db.transaction() as session:
            return activities.trash(session, activity_ids)

    def restore_activities(self, activity_ids: Sequence[uuid.UUID]) -> int:
        with self._db.transaction() as session:
            return activities.restore(session, activity_ids)

    def open_activities_of(self, contact_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
        with self._db.reading() as session:
            return activities.open_for_contacts(session, contact_ids)

    def tasks(self, query: TaskQuery, moment: Moment, offset: int, limit: int) -> list[TaskRow]:
        with self._db.reading() as session:
            return tasks.list_tasks(session, query, moment, offset, limit)

    def task_count(self, query: TaskQuery, moment: Moment) -> int:
        with self._db.reading() as session:
            return tasks.count_tasks(session, query, moment)

    def first_busy_bucket(self, moment: Moment) -> Bucket:
        with self._db.reading() as session:
            return tasks.first_busy_bucket(session, moment)

    def bucket_counts(self, moment: Moment) -> dict[Bucket, int]:
        with self._db.reading() as session:
            return tasks.bucket_counts(session, moment)

    def calendar_days(
        self, first: date, days: int, moment: Moment, per_day: int = 200
    ) -> list[CalendarDay]:
        with self._db.reading() as session:
            return calendar.calendar_days(session, first, days, moment, per_day)

    # Reminders
    def due_alarms(self, now: datetime) -> list[AlarmRow]:
        with self._db.reading() as session:
            return activities.due_alarms(session, now)

    def next_alarm_at(self) -> datetime | None:
        with self._db.reading() as session:
            return activities.next_alarm_at(session)

    def snooze(self, activity_ids: Sequence[uuid.UUID], until: datetime) -> None:
        with self._db.transaction() as session:
            activities.snooze(session, activity_ids, until)

    def dismiss(self, activity_ids: Sequence[uuid.UUID]) -> None:
        with self._db.transaction() as session:
            activities.dismiss(session, activity_ids)

    # Social profiles
    def profiles(self, contact_id: uuid.UUID) -> list[ProfileRow]:
        with self._db.reading() as session:
            return social_profiles.profiles_for(session, contact_id)

    def add_profile(self, contact_id: uuid.UUID, network: str, handle: str, url: str) -> uuid.UUID:
        with self._db.transaction() as session:
            return social_profiles.add_profile(session, contact_id, network, handle, url)

    def set_profile_trashed(self, profile_id: uuid.UUID, trashed: bool) -> None:
        with self._db.transaction() as session:
            social_profiles.set_trashed(session, profile_id, trashed)

    def store_snapshot(self, profile_id: uuid.UUID, **snapshot: Any) -> None:
        with self._db.transaction() as session:
            social_profiles.store_snapshot(session, profile_id, **snapshot)

    def store_profile_error(
        self, profile_id: uuid.UUID, message: str, gone_at: datetime | None = None
    ) -> None:
        with self._db.transaction() as session:
            social_profiles.store_error(session, profile_id, message, gone_at=gone_at)

    # Imports, exports, duplicates and merges
    def import_preview(self, plan: ImportPlan, on_duplicate: OnDuplicate) -> Preview:
        from desktop.interop import importer

        with self._db.reading() as session:
            return importer.preview(session, plan, on_duplicate)

    def calendar_plan(self, data: bytes) -> CalendarPlan:
        from desktop.interop import ical

        with self._db.reading() as session:
            return ical.plan_calendar(session, data)

    def import_contacts(
        self,
        preview: Preview,
        source: str,
        format: str,
        progress: Callable[[int, int], object] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Outcome:
        """Do what `preview` says, in chunks, as one import batch (see `importer.run`)."""
        from desktop.interop import importer

        with self._db.jobs.held("an import"):
            self.back_up("before-import")
            return importer.run(self._db, preview, source, format, progress, cancelled)

    def import_calendar(self, plan: CalendarPlan, source: str) -> uuid.UUID | None:
        """Add the follow-ups and history `plan` holds as one import batch."""
        from desktop.interop import ical

        with self._db.jobs.held("an import"):
            self.back_up("before-import")
            return ical.import_calendar(self._db, plan, source)

    def import_batches(self) -> list[BatchRow]:
        with self._db.reading() as session:
            return imports.batches(session)

    def undo_import(self, batch_id: uuid.UUID) -> int:
        with self._db.jobs.held("an import being taken back"), self._db.transaction() as session:
            return imports.undo_batch(session, batch_id)

    def seed(
        self,
        count: int,
        *,
        seed: int | None = None,
        progress: Callable[[int, int], bool] | None = None,
        on_wait: OnWait | None = None,
    ) -> int:
        """Add `count` demo contacts (see `desktop.demo.seed`); returns how many.
        `on_wait` hears when another process's job on the book holds it up."""
        from desktop import demo

        with self._db.jobs.held("demo data being added", on_wait):
            return demo.seed(self._db, count, seed=seed, progress=progress)

    def group_named(self, name: str) -> uuid.UUID | None:
        """The group called `name` (case aside), if there is one."""
        wanted = name.strip().casefold()
        return next((g.id for g in self.groups() if g.name.casefold() == wanted), None)

    def agenda(
        self, moment: Moment, days: int, *, overdue_only: bool = False, limit: int = 100
    ) -> Agenda:
        """Open follow-ups due within `days` of `moment` (overdue ones first), at most
        `limit`, with how many there are."""
        with self._db.reading() as session:
            execute = plain_sql.through(session.connection())
            return agenda_query.agenda(execute, moment, days, overdue_only, limit)

    def export_ids(self, group_id: uuid.UUID | None = None, text: str = "") -> Sequence[uuid.UUID]:
        with self._db.reading() as session:
            return exports.export_ids(session, group_id, text)

    def export(
        self,
        ids: Sequence[uuid.UUID],
        format: str,
        out: Path,
        vcard_version: str = "4.0",
        progress: Callable[[int, int], object] | None = None,
    ) -> int:
        from desktop.interop.export import write_export

        with self._db.reading() as session:
            return write_export(session, ids, format, out, vcard_version, progress)

    def duplicate_groups(self) -> list[DuplicateGroup]:
        from db import duplicates

        with self._db.reading() as session:
            return duplicates.find_groups(session)

    def photos(self, contact_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, bytes]:
        """The photos these contacts carry (from imports), by contact."""
        with self._db.reading() as session:
            return contacts.photos_of(session, contact_ids)

    def merge(
        self,
        survivor_id: uuid.UUID,
        others: Sequence[uuid.UUID],
        draft: ContactDraft,
        photo_from: uuid.UUID | None = None,
    ) -> uuid.UUID:
        from db import merge

        with self._db.transaction() as session:
            return merge.merge_contacts(session, survivor_id, others, draft, photo_from)

    def undo_merge(self, merge_id: uuid.UUID) -> list[uuid.UUID]:
        from db import merge

        with self._db.transaction() as session:
            return merge.undo_merge(session, merge_id)

    # The Trash
    def trash_items(self) -> list[TrashItem]:
        with self._db.reading() as session:
            return trash.list_trash(session)

    def trash_count(self) -> int:
        with self._db.reading() as session:
            return trash.count_trash(session)

    def restore_items(self, items: list[TrashItem]) -> None:
        with self._db.transaction() as session:
            trash.restore(session, items)

    def purge_items(self, items: list[TrashItem]) -> None:
        with self._db.transaction() as session:
            trash.purge(session, items)

    # Backups
    def back_up(self, reason: str = "manual") -> Path:
        """An automatic backup now (`db.backups.REASONS`), kept in rotation."""
        return restoring.take_backup(self._db, self.backups, reason)

    def back_up_to(self, target: Path) -> Path:
        """A backup written to the file `target`, outside the rotation."""
        return restoring.backup_to(self._db, target)

    def back_up_daily(self) -> Path | None:
        """The day's backup, unless one was taken in the last 24 hours (by the book's
        clock); returns it, or None."""
        newest = backups.newest_taken_at(self.backups.folder)
        if newest is not None and self.clock.now() - newest < DAILY:
            return None
        return self.back_up("daily")

    def backup_list(self) -> list[BackupFile]:
        """The backups a restore can choose from, newest first."""
        return backups.all_backups(self.backups.folder, self._db.path.parent)

    def check_backup(self, path: Path) -> BackupSummary:
        """What the backup at `path` holds; a `DatabaseError` says why it cannot be used."""
        return restoring.check_backup(path)

    def restore_backup(self, path: Path) -> tuple[BackupSummary, Path]:
        """Put the book back as the backup at `path` holds it (see `db.restore.restore`)."""
        return restoring.restore(self._db, path, self.backups)

    # Sync
    def sync_accounts(self) -> list[AccountRow]:
        with self._db.reading() as session:
            return sync_state.accounts(session)

    def sync_account(self, name_or_id: str | uuid.UUID) -> AccountRow:
        """The account of this name or id; NotFoundError when there is none."""
        with self._db.reading() as session:
            return sync_state.account(session, name_or_id)

    def add_sync_account(
        self,
        name: str,
        server_url: str,
        username: str,
        contacts_url: str,
        tasks_url: str | None = None,
        history_syncs: bool = False,
        vcard_version: str = "4.0",
        tls_certificate: str | None = None,
        contacts_group: str | None = None,
    ) -> AccountRow:
        """A new account syncing contacts (as vCard `vcard_version`) with `contacts_url`
        and, when given, follow-ups (and with `history_syncs`, history) with the task
        list `tasks_url`; `tls_certificate` is the one the user pinned, if any; with
        `contacts_group`, only that group's members (and their follow-ups) travel."""
        with self._db.transaction() as session:
            account_id = sync_state.add_account(
                session, name, server_url, username, contacts_url, vcard_version,
                tls_certificate, contacts_group,
            )  # fmt: skip
            if tasks_url:
                sync_state.set_task_list(session, account_id, tasks_url, history_syncs)
            return sync_state.account(session, account_id)

    def set_sync_task_list(
        self, account_id: uuid.UUID, tasks_url: str | None, history_syncs: bool = False
    ) -> AccountRow:
        """Sync the account's follow-ups with `tasks_url` (None: keep them here)."""
        with self._db.transaction() as session:
            sync_state.set_task_list(session, account_id, tasks_url, history_syncs)
            return sync_state.account(session, account_id)

    def remove_sync_account(self, account_id: uuid.UUID) -> None:
        """Forget the account and what sync kept for it; the contacts stay (the journal
        goes with the last account)."""
        with self._db.transaction() as session:
            sync_state.remove_account(session, account_id)
            session.flush()
            journal_upkeep.compact(session.connection())

    def sync_pending(self, account_id: uuid.UUID, keep_trashed: bool = False) -> int:
        """How many records (contacts, follow-ups, history) wait to be sent to the
        account's server."""
        with self._db.reading() as session:
            account = sync_state.account(session, account_id)
            return sync_state.pending_count(session, account, keep_trashed)

    def sync_with(
        self,
        account: AccountRow,
        http: httpx.Client,
        region: str,
        *,
        progress: SyncProgress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        dry_run: bool = False,
        on_wait: OnWait | None = None,
        keep_trashed: bool = False,
    ) -> SyncReport:
        """One sync run of the account's address book, then its task list (see
        `desktop.sync.engine`); the book is backed up first when the account has never
        synced. A `SyncError` is noted on the account (its status says it) and raised."""
        from desktop.sync.dav import SyncError
        from desktop.sync.engine import Report, contact_sync, task_sync

        with self.job(f"Syncing with {account.name}", on_wait):
            if account.last_synced_at is None and not dry_run:
                self.back_up("before-sync")
            try:
                options = (progress, cancelled, keep_trashed)
                runs = []
                if account.contacts_url:
                    runs.append(contact_sync(self._db, account, http, region, *options))
                if account.tasks_url:
                    runs.append(task_sync(self._db, account, http, *options))
                report = Report(account.name, dry_run=dry_run)
                for run in runs:
                    if not report.stopped:
                        report = report.joined(run.run(dry_run))
            except SyncError as error:
                if not dry_run:
                    self._finish_sync(account.id, str(error), synced=False)
                raise
            if not dry_run:
                problems = "; ".join(report.problems[:3]) or None
                self._finish_sync(account.id, problems, synced=not report.stopped)
                if report.pulled + report.trashed >= statistics.BULK_CHANGES:
                    self._db.after_bulk_write()
            return report

    def _finish_sync(self, account_id: uuid.UUID, error: str | None, synced: bool) -> None:
        with self._db.transaction() as session:
            sync_state.finish_run(session, account_id, error, synced)

    def conflicts(self, include_restored: bool = False) -> list[ConflictRow]:
        """The sync conflict log, newest first."""
        with self._db.reading() as session:
            return sync_state.conflicts(session, include_restored)

    def restore_conflict(self, conflict_id: uuid.UUID, region: str) -> str:
        """Put back the value that lost a conflict; returns the contact's name."""
        from desktop.sync.conflicts import restore_value

        return restore_value(self._db, conflict_id, region)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ContactBook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _found_rows(session: Session, text: str, limit: int) -> list[ContactRow]:
    hits = LOOKUP.lookup(session, text, limit)
    rows = {row.id: row for row in contacts.rows_for(session, [hit.id for hit in hits])}
    return [rows[hit.id] for hit in hits if hit.id in rows]
