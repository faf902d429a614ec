"""From a planned file to contacts: what each record will do (create, update, merge,
skip, and why), then doing it in committed chunks with progress and Cancel.

Duplicates are looked for in the book and among the file's own earlier records: the
same UID is the same record (updated from the file); the same email, phone, profile,
or a similar name at the same company is the same person (merged, skipped or added
as the user chose).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from operator import attrgetter

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import contact_values, imports, tallies
from db.bulk import IMPORT_TABLES, indexes_deferred
from db.contact_values import (
    ContactDraft,
    ExportedContact,
    ImportedContact,
    ProfileLink,
    compose_display_name,
)
from db.duplicates import DuplicateIndex, keys_of
from db.engine import Database
from db.errors import NotFoundError
from db.exports import load_contacts
from db.gc_pause import cyclic_gc_paused
from db.groups import MAX_GROUP_NAME
from db.ids import new_id
from db.imports import ContactWriter
from db.merge import combined_draft
from db.models import Contact
from desktop.interop.plan import ImportPlan, PlannedRow, RowProblem
from desktop.social.profiles import recognise

log = logging.getLogger(__name__)
BULK_THRESHOLD = 20_000
CHUNK = 5000  # records per transaction: fewer commits, and a killed import loses one


class OnDuplicate(StrEnum):
    SKIP = "skip"
    MERGE = "merge"
    ADD = "add"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    MERGE = "merge"
    SKIP = "skip"


@dataclass
class Step:
    """What one record of the file will do."""

    row: int
    action: Action
    record: ImportedContact
    reason: str = ""
    unit: str = "row"
    referred_by: uuid.UUID | None = None
    within_file: bool = False  # merged into an earlier record of the same file

    @property
    def writes(self) -> bool:
        return self.action is not Action.SKIP and not self.within_file

    @property
    def name(self) -> str:
        return compose_display_name(self.record.draft)

    def describe(self) -> str:
        return f"{self.unit} {self.row}: {self.action.value} {self.name}" + (
            f" ({self.reason})" if self.reason else ""
        )


@dataclass
class Preview:
    steps: list[Step] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rejected: int = 0
    unmapped: tuple[str, ...] = ()  # columns with values that are not imported

    def counts(self) -> Counter[Action]:
        return Counter(step.action for step in self.steps)

    def summary(self) -> str:
        counts = self.counts()
        parts = [
            f"{counts[Action.CREATE]:,} to create",
            f"{counts[Action.UPDATE]:,} to update",
            f"{counts[Action.MERGE]:,} to merge",
            f"{counts[Action.SKIP]:,} to skip",
            f"{self.rejected:,} with problems",
        ]
        return ", ".join(parts)


@dataclass(frozen=True)
class Outcome:
    batch_id: uuid.UUID | None
    created: int
    changed: int
    cancelled: bool = False


def preview(session: Session, plan: ImportPlan, on_duplicate: OnDuplicate) -> Preview:
    """What importing `plan` would do now, without writing anything."""
    with cyclic_gc_paused():
        return _preview(session, plan, on_duplicate)


def _preview(session: Session, plan: ImportPlan, on_duplicate: OnDuplicate) -> Preview:
    result = Preview(problems=plan.problems, rejected=plan.rejected, unmapped=plan.unmapped)
    taken = _ids_in_use(session, [row.uid for row in plan.ready if row.uid])
    live = {cid for cid, trashed in taken.items() if not trashed}
    if on_duplicate is not OnDuplicate.ADD and all(row.uid in live for row in plan.ready):
        # Every row is a contact of the book by its own UID (a file of ours imported
        # again), which decides before any other key: the book's keys are not needed.
        index = DuplicateIndex(ids=live)
    else:
        index = DuplicateIndex.of_database(session)
    by_uid: dict[uuid.UUID, uuid.UUID] = {}
    planned: dict[uuid.UUID, Step] = {}
    prepared = []
    against: list[tuple[int, PlannedRow, ImportedContact, uuid.UUID, str]] = []
    for row in plan.ready:
        assert row.draft is not None
        profiles, profile_problems = _profiles(row)
        labels, label_problems = _labels(row)
        result.problems += profile_problems + label_problems
        cid = row.uid if row.uid and (row.uid not in taken or row.uid in index.ids) else new_id()
        if row.uid:
            by_uid[row.uid] = cid
        record = ImportedContact(cid, row.draft, labels, profiles, row.photo, row.vcard_extra)
        prepared.append((row, record, keys_of(cid, row.draft, [p.url for p in profiles])))
    index.count(keys for _, _, keys in prepared)
    for row, record, keys in prepared:
        cid = record.id
        match = index.match(keys) if on_duplicate is not OnDuplicate.ADD else None
        if match is None:
            step = Step(row.row, Action.CREATE, record, unit=row.unit)
            planned[cid] = step
            index.add_keys(keys)
        elif match.contact_id in planned:
            earlier = planned[match.contact_id]
            if on_duplicate is OnDuplicate.MERGE:
                earlier.record = _combined(earlier.record, record)
                step = Step(
                    row.row, Action.MERGE, record,
                    f"into {earlier.unit} {earlier.row}: {match.reason}", row.unit,
                    within_file=True,
                )  # fmt: skip
            else:
                step = Step(
                    row.row, Action.SKIP, record,
                    f"{earlier.unit} {earlier.row} has {match.reason}", row.unit,
                )  # fmt: skip
        else:  # decided below, with the existing contacts read in one go
            against.append((len(result.steps), row, record, match.contact_id, match.reason))
            step = Step(row.row, Action.SKIP, record, unit=row.unit)
        step.referred_by = row.referred_by_uid
        result.steps.append(step)
    existing = {
        found.details.id: found
        for found in load_contacts(session, list(dict.fromkeys(a[3] for a in against)))
    }
    for position, row, record, existing_id, reason in against:
        step = _against_existing(row, record, existing[existing_id], reason, on_duplicate)
        step.referred_by = row.referred_by_uid
        result.steps[position] = step
    for step in result.steps:
        if step.referred_by is not None:
            step.referred_by = by_uid.get(step.referred_by, step.referred_by)
    return result


def _against_existing(
    row: PlannedRow,
    record: ImportedContact,
    found: ExportedContact,
    reason: str,
    on_duplicate: OnDuplicate,
) -> Step:
    existing, existing_id = found.details, found.details.id
    name = existing.display_name
    if on_duplicate is OnDuplicate.SKIP:
        return Step(row.row, Action.SKIP, record, f"{name} has {reason}", row.unit)
    current = existing.to_draft()
    current_extra = found.vcard_extra

    def holds_nothing_new(wanted: ContactDraft, extra: tuple[str, ...]) -> bool:
        return (
            _same(wanted, current)
            and set(record.groups) <= {g.name for g in existing.groups}
            and extra == current_extra
            and (record.photo is None or record.photo == found.photo)
            and row.referred_by_uid in (None, current.referred_by_id)
        )

    skipped = f"{name} already has all of it"
    if record.id == existing_id:  # its own UID: the file's values win
        # A table carries no vCard lines: the ones kept from an earlier vCard stay.
        extra = record.vcard_extra if row.unit == "card" else current_extra
        if holds_nothing_new(record.draft, extra):  # (its groups are compared by name)
            return Step(row.row, Action.SKIP, record, skipped, row.unit)
        wanted = replace(record.draft, group_ids=current.group_ids)
        action, why = Action.UPDATE, "the same record"
    else:
        wanted = combined_draft([current, record.draft])
        action, why = Action.MERGE, f"into {name}: {reason}"
        extra = tuple(dict.fromkeys(current_extra + record.vcard_extra))
    target = replace(record, id=existing_id, draft=wanted, vcard_extra=extra)
    if holds_nothing_new(wanted, extra):
        return Step(row.row, Action.SKIP, target, skipped, row.unit)
    return Step(row.row, action, target, why, row.unit)


# What `_same` compares of two drafts: not the region phones were read in, the groups
# (compared by name apart), the referrer (a file names it apart from the draft), nor the
# display name as entered (compared as `custom_display_name`).
_COMPARED = attrgetter(
    *(
        f.name
        for f in fields(ContactDraft)
        if f.name not in {"default_region", "group_ids", "referred_by_id", "display_name"}
    )
)


def _same(draft: ContactDraft, current: ContactDraft) -> bool:
    """Whether a draft holds the values of `current` (a contact's own, from `to_draft`,
    whose display name is already its custom one, if any): a display name that repeats
    the name parts is the same as none (a file of another app, or our own export,
    writes it)."""
    return (
        _COMPARED(draft) == _COMPARED(current)
        and contact_values.custom_display_name(draft) == current.display_name
    )


def _combined(first: ImportedContact, second: ImportedContact) -> ImportedContact:
    return replace(
        first,
        draft=combined_draft([first.draft, second.draft]),
        groups=tuple(dict.fromkeys(first.groups + second.groups)),
        profiles=tuple(dict.fromkeys(first.profiles + second.profiles)),
        photo=first.photo or second.photo,
        vcard_extra=tuple(dict.fromkeys(first.vcard_extra + second.vcard_extra)),
    )


def _profiles(row: PlannedRow) -> tuple[tuple[ProfileLink, ...], list[RowProblem]]:
    links, problems = [], []
    for text in row.profiles:
        try:
            ref = recognise(text)
        except ValueError as error:
            problems.append(RowProblem(row.row, "profile", f"{error} It is left out.", row.unit))
            continue
        links.append(ProfileLink(ref.network, ref.handle, ref.url))
    return tuple(dict.fromkeys(links)), problems


def _labels(row: PlannedRow) -> tuple[tuple[str, ...], list[RowProblem]]:
    """The row's group names, without those no group can be called."""
    kept = tuple(name for name in row.groups if len(" ".join(name.split())) <= MAX_GROUP_NAME)
    problems = [
        RowProblem(
            row.row,
            "labels",
            f"the label “{name[:40]}…” is longer than {MAX_GROUP_NAME} characters; it is left out.",
            row.unit,
        )
        for name in row.groups
        if name not in kept
    ]
    return kept, problems


def _ids_in_use(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, bool]:
    """Which of `ids` some contact already has, each with whether it is in the Trash."""
    used: dict[uuid.UUID, bool] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found = session.execute(
            select(Contact.id, Contact.deleted_at.is_not(None)).where(Contact.id.in_(chunk))
        )
        used.update(found.tuples().all())
    return used


Progress = Callable[[int, int], object]


def run(
    db: Database,
    result: Preview,
    source: str,
    format: str,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Outcome:
    """Do what `result` says, `CHUNK` records per transaction, as one import batch."""
    creates = sum(1 for step in result.steps if step.action is Action.CREATE)
    with db.reading() as session:
        kept = tallies.contact_counts(session)
    existing = kept.live + kept.trashed
    # A book filled by its first big import: indexes built once at the end are cheaper
    # than kept sorted through every insert (`open_database` rebuilds them after a crash).
    bulk = creates >= BULK_THRESHOLD and creates >= existing
    deferred = indexes_deferred(db.writing, IMPORT_TABLES) if bulk else contextlib.nullcontext()
    with cyclic_gc_paused(), deferred:
        outcome = _run(db, result, source, format, progress, cancelled)
    db.after_bulk_write()
    return outcome


def _run(
    db: Database,
    result: Preview,
    source: str,
    format: str,
    progress: Progress | None,
    cancelled: Callable[[], bool],
) -> Outcome:
    steps = [s for s in result.steps if s.writes]
    if not steps:
        return Outcome(None, 0, 0)
    with db.transaction(origin="import") as session:
        batch = imports.start_batch(session, source, format)
    try:
        return _write(db, steps, batch, progress, cancelled)
    except BaseException:
        # The failure itself is what gets reported, not one in tidying up after it.
        with contextlib.suppress(Exception), db.transaction(origin="import") as session:
            imports.drop_if_empty(session, batch)
        raise


def _write(
    db: Database,
    steps: list[Step],
    batch: uuid.UUID,
    progress: Progress | None,
    cancelled: Callable[[], bool],
) -> Outcome:
    writer = ContactWriter()
    created = changed = done = 0
    stopped = False
    for start in range(0, len(steps), CHUNK):
        if cancelled():
            stopped = True
            break
        chunk = steps[start : start + CHUNK]
        with db.transaction(origin="import") as session:
            new = [s.record for s in chunk if s.action is Action.CREATE]
            created += writer.create(session, batch, new) if new else 0
            changing = [s.record.id for s in chunk if s.action is not Action.CREATE]
            held = writer.hold(session, batch, changing) if changing else []
            for step in chunk:
                if step.action is not Action.CREATE:
                    try:
                        writer.change(session, batch, step.record, f"{step.action.value}d")
                        changed += 1
                    except NotFoundError:
                        log.warning("import: %s vanished meanwhile", step.record.id)
            del held
        done += len(chunk)
        if progress is not None:
            progress(done, len(steps))
    referrals = [(s.record.id, s.referred_by) for s in steps if s.referred_by is not None]
    with db.transaction(origin="import") as session:
        if referrals:
            imports.link_referrals(session, referrals)
        imports.finish_batch(session, batch, "cancelled" if stopped else "done")
    return Outcome(batch, created, changed, stopped)
