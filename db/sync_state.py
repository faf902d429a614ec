"""What sync remembers between runs: the accounts, where each record lives on each
account's server and the version both last agreed on, and the conflict log.

A contact needs pushing when it has no place on the server yet or its `rev` moved
since the two last agreed (`synced_rev`): the journal bumps `rev` in the same
transaction as every edit, so nothing edited offline is missed, however long ago.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, true, update
from sqlalchemy.orm import Session

from db.clock import session_now
from db.errors import NotFoundError, ValidationError
from db.models import (
    Activity,
    Contact,
    Group,
    HistoryEntry,
    Note,
    SyncAccount,
    SyncConflict,
    SyncItem,
    activity_contacts,
    group_members,
    history_contacts,
)

CONTACT, ACTIVITY, HISTORY, NOTE = "contact", "activity", "history", "note"
Synced = type[Contact] | type[Activity] | type[HistoryEntry] | type[Note]
MODELS: dict[str, Synced] = {
    CONTACT: Contact,
    ACTIVITY: Activity,
    HISTORY: HistoryEntry,
    NOTE: Note,
}
TOKENS = {"contacts": "contacts_token", "tasks": "tasks_token"}  # a collection's token column


@dataclass(frozen=True)
class AccountRow:
    id: uuid.UUID
    name: str
    server_url: str
    username: str
    contacts_url: str | None
    contacts_token: str | None
    vcard_version: str
    tasks_url: str | None
    tasks_token: str | None
    history_syncs: bool
    tls_certificate: str | None
    contacts_group: str | None
    last_synced_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class ItemRow:
    record_type: str
    record_id: uuid.UUID
    href: str
    etag: str | None
    synced_rev: int
    base: str


@dataclass(frozen=True)
class Pending:
    """A record to send: `rev` is None when the record is gone (purged)."""

    record_id: uuid.UUID
    rev: int | None
    trashed: bool
    item: ItemRow | None


@dataclass(frozen=True)
class ConflictRow:
    id: uuid.UUID
    account: str
    record_id: uuid.UUID
    record_name: str
    field: str
    kept: Any
    chosen: Any
    detected_at: datetime
    restored_at: datetime | None
    record_type: str = CONTACT


# Accounts


def add_account(
    session: Session,
    name: str,
    server_url: str,
    username: str,
    contacts_url: str | None,
    vcard_version: str = "4.0",
    tls_certificate: str | None = None,
    contacts_group: str | None = None,
) -> uuid.UUID:
    """A new account; its name must be new to this book. `tls_certificate`: the one the
    user pinned for a server no authority vouches for; `contacts_group`: the only group
    whose members (and their follow-ups and history) travel to it."""
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError({"name": "An account needs a name."})
    if session.scalar(select(SyncAccount.id).where(func.lower(SyncAccount.name) == clean.lower())):
        raise ValidationError({"name": f"There is already an account called “{clean}”."})
    account = SyncAccount(
        name=clean,
        server_url=server_url,
        username=username,
        contacts_url=contacts_url,
        vcard_version=vcard_version,
        tls_certificate=tls_certificate,
        contacts_group=contacts_group,
        created_at=session_now(session),
    )
    session.add(account)
    session.flush()
    return account.id


def accounts(session: Session) -> list[AccountRow]:
    return [
        _account_row(a) for a in session.scalars(select(SyncAccount).order_by(SyncAccount.name))
    ]


def account(session: Session, name_or_id: str | uuid.UUID) -> AccountRow:
    """The account with this id or name (case aside)."""
    found = (
        session.get(SyncAccount, name_or_id)
        if isinstance(name_or_id, uuid.UUID)
        else session.scalar(
            select(SyncAccount).where(func.lower(SyncAccount.name) == name_or_id.strip().lower())
        )
    )
    if found is None:
        raise NotFoundError(f"There is no sync account called “{name_or_id}”.")
    return _account_row(found)


def remove_account(session: Session, account_id: uuid.UUID) -> None:
    """Forget an account and everything sync kept for it (the contacts stay)."""
    for table in (SyncItem, SyncConflict):
        session.execute(delete(table).where(table.account_id == account_id))
    session.execute(delete(SyncAccount).where(SyncAccount.id == account_id))


def finish_run(session: Session, account_id: uuid.UUID, error: str | None, synced: bool) -> None:
    """Note how a run ended: `synced` stamps the time, `error` says what went wrong."""
    values: dict[str, Any] = {"last_error": error}
    if synced:
        values["last_synced_at"] = session_now(session)
    session.execute(update(SyncAccount).where(SyncAccount.id == account_id).values(**values))


def token(session: Session, account_id: uuid.UUID, collection: str) -> str | None:
    """The sync token of the account's "contacts" or "tasks" collection."""
    column = getattr(SyncAccount, TOKENS[collection])
    return session.scalar(select(column).where(SyncAccount.id == account_id))


def store_token(
    session: Session, account_id: uuid.UUID, token: str | None, collection: str = "contacts"
) -> None:
    session.execute(
        update(SyncAccount).where(SyncAccount.id == account_id).values({TOKENS[collection]: token})
    )


def set_task_list(
    session: Session, account_id: uuid.UUID, tasks_url: str | None, history_syncs: bool
) -> None:
    """Give the account a task list (None: follow-ups stay on this computer); what
    was agreed with a list it had before is forgotten (all is sent to the new one)."""
    session.execute(
        delete(SyncItem).where(
            SyncItem.account_id == account_id, SyncItem.record_type.in_([ACTIVITY, HISTORY, NOTE])
        )
    )
    session.execute(
        update(SyncAccount)
        .where(SyncAccount.id == account_id)
        .values(tasks_url=tasks_url, tasks_token=None, history_syncs=history_syncs)
    )


def _account_row(a: SyncAccount) -> AccountRow:
    return AccountRow(
        a.id,
        a.name,
        a.server_url,
        a.username,
        a.contacts_url,
        a.contacts_token,
        a.vcard_version,
        a.tasks_url,
        a.tasks_token,
        a.history_syncs,
        a.tls_certificate,
        a.contacts_group,
        a.last_synced_at,
        a.last_error,
    )


# Items


def record_types(account: AccountRow) -> tuple[str, ...]:
    """What travels to this account: contacts, follow-ups, history and contacts' notes
    (as it has room: the last two need a task list that takes journals)."""
    types: tuple[str, ...] = (CONTACT,) if account.contacts_url else ()
    if account.tasks_url:
        types += (ACTIVITY, HISTORY, NOTE) if account.history_syncs else (ACTIVITY,)
    return types


def pending(
    session: Session, account: AccountRow, record_type: str, keep_trashed: bool = False
) -> list[Pending]:
    """Records whose version the server has not seen: new, edited, trashed or purged
    since the last agreement (a trashed record the server never had is not sent).
    With `keep_trashed`, a record in the Trash waits there until it is purged. For an
    account that carries one group, a record that no longer belongs to it (a contact
    out of the group, a follow-up naming no member) is sent as deleted. A company's notes
    stay on this computer."""
    model = MODELS[record_type]
    changed, gone = _pending(account, record_type, keep_trashed)
    shared = _shared(model, account.contacts_group)
    found = [
        Pending(
            record_id, rev, deleted_at is not None or not belongs, _item_row(item) if item else None
        )
        for record_id, rev, deleted_at, belongs, item in session.execute(
            changed.add_columns(model.rev, model.deleted_at, shared, SyncItem)
        )
    ]
    found += [Pending(i.record_id, None, True, _item_row(i)) for i in session.scalars(gone)]
    return found


def pending_count(session: Session, account: AccountRow, keep_trashed: bool = False) -> int:
    """How many records `pending` would send to `account` (without loading them)."""
    return sum(
        session.scalar(select(func.count()).select_from(query.subquery())) or 0
        for record_type in record_types(account)
        for query in _pending(account, record_type, keep_trashed)
    )


def _pending(
    account: AccountRow, record_type: str, keep_trashed: bool
) -> tuple[Select[Any], Select[Any]]:
    """The records changed since the last agreement (their ids), and the items whose
    record is gone (purged)."""
    model = MODELS[record_type]
    shared = _shared(model, account.contacts_group)
    changed = (
        select(model.id)
        .where(Note.company_id.is_(None) if model is Note else true())
        .outerjoin(
            SyncItem,
            (SyncItem.account_id == account.id)
            & (SyncItem.record_type == record_type)
            & (SyncItem.record_id == model.id),
        )
        .where(
            or_(
                SyncItem.record_id.is_(None) & model.deleted_at.is_(None) & shared,
                (SyncItem.synced_rev != model.rev)
                & (model.deleted_at.is_(None) if keep_trashed else true()),
            )
        )
    )
    gone = select(SyncItem).where(
        SyncItem.account_id == account.id,
        SyncItem.record_type == record_type,
        ~select(model.id).where(model.id == SyncItem.record_id).exists(),
    )
    return changed, gone


def _shared(model: Synced, group: str | None) -> Any:
    """Whether a record travels to an account that carries only `group` (None: all)."""
    if group is None:
        return true()
    members = (
        select(group_members.c.contact_id)
        .join(Group, Group.id == group_members.c.group_id)
        .where(func.lower(Group.name) == group.lower(), Group.deleted_at.is_(None))
    )
    if model is Contact:
        return Contact.id.in_(members)
    if model is Note:
        return Note.contact_id.in_(members)
    links = activity_contacts if model is Activity else history_contacts
    key = links.c.activity_id if model is Activity else links.c.history_id
    return (
        select(links.c.contact_id).where(key == model.id, links.c.contact_id.in_(members)).exists()
    )


def rev_of(session: Session, record_type: str, record_id: uuid.UUID) -> int | None:
    """The record's `rev` (None when there is no such record)."""
    model = MODELS[record_type]
    return session.scalar(select(model.rev).where(model.id == record_id))


def item_by_href(session: Session, account_id: uuid.UUID, href: str) -> ItemRow | None:
    found = session.scalar(
        select(SyncItem).where(SyncItem.account_id == account_id, SyncItem.href == href)
    )
    return _item_row(found) if found else None


def item_of(
    session: Session, account_id: uuid.UUID, record_type: str, record_id: uuid.UUID
) -> ItemRow | None:
    found = session.get(SyncItem, (account_id, record_type, record_id))
    return _item_row(found) if found else None


def etags(
    session: Session, account_id: uuid.UUID, record_types: Iterable[str]
) -> dict[str, str | None]:
    """Every href this account's records of these types have on the server, with its ETag."""
    rows = session.execute(
        select(SyncItem.href, SyncItem.etag).where(
            SyncItem.account_id == account_id, SyncItem.record_type.in_(list(record_types))
        )
    )
    return {href: etag for href, etag in rows}


def put_item(
    session: Session,
    account_id: uuid.UUID,
    record_type: str,
    record_id: uuid.UUID,
    href: str,
    etag: str | None,
    synced_rev: int,
    base: str,
) -> None:
    """Remember that the server holds `base` at `href` (as `etag`), agreed at `synced_rev`."""
    item = session.get(SyncItem, (account_id, record_type, record_id))
    if item is None:
        session.execute(
            delete(SyncItem).where(SyncItem.account_id == account_id, SyncItem.href == href)
        )
        session.add(
            SyncItem(
                account_id=account_id,
                record_type=record_type,
                record_id=record_id,
                href=href,
                etag=etag,
                synced_rev=synced_rev,
                base=base,
            )
        )
    else:
        item.href, item.etag, item.synced_rev, item.base = href, etag, synced_rev, base
    session.flush()


def forget_items(
    session: Session, account_id: uuid.UUID, record_type: str, record_ids: Iterable[uuid.UUID]
) -> None:
    ids = list(record_ids)
    if ids:
        session.execute(
            delete(SyncItem).where(
                SyncItem.account_id == account_id,
                SyncItem.record_type == record_type,
                SyncItem.record_id.in_(ids),
            )
        )


def _item_row(item: SyncItem) -> ItemRow:
    return ItemRow(
        item.record_type, item.record_id, item.href, item.etag, item.synced_rev, item.base
    )


# The conflict log


def log_conflict(
    session: Session,
    account_id: uuid.UUID,
    record_type: str,
    record_id: uuid.UUID,
    record_name: str,
    field: str,
    kept: Any,
    chosen: Any,
) -> None:
    session.add(
        SyncConflict(
            account_id=account_id,
            record_type=record_type,
            record_id=record_id,
            record_name=record_name[:300],
            field=field,
            kept=kept,
            chosen=chosen,
            detected_at=session_now(session),
        )
    )


def conflicts(session: Session, include_restored: bool = False) -> list[ConflictRow]:
    """The conflict log, newest first."""
    statement = (
        select(SyncConflict, SyncAccount.name)
        .join(SyncAccount, SyncAccount.id == SyncConflict.account_id)
        .order_by(SyncConflict.detected_at.desc(), SyncConflict.field)
    )
    if not include_restored:
        statement = statement.where(SyncConflict.restored_at.is_(None))
    return [_conflict_row(c, name) for c, name in session.execute(statement)]


def conflict(session: Session, conflict_id: uuid.UUID) -> ConflictRow:
    found = session.get(SyncConflict, conflict_id)
    if found is None:
        raise NotFoundError("That conflict is no longer in the log.")
    return _conflict_row(found, account(session, found.account_id).name)


def _conflict_row(c: SyncConflict, account_name: str) -> ConflictRow:
    return ConflictRow(
        c.id, account_name, c.record_id, c.record_name, c.field, c.kept, c.chosen,
        c.detected_at, c.restored_at, c.record_type,
    )  # fmt: skip


def mark_restored(session: Session, conflict_id: uuid.UUID) -> None:
    session.execute(
        update(SyncConflict)
        .where(SyncConflict.id == conflict_id)
        .values(restored_at=session_now(session))
    )
