"""Groups: create, rename, trash, and put contacts in or take them out."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from db import tallies
from db.bulk import chunks
from db.clock import session_now
from db.errors import NotFoundError, ValidationError
from db.journal import book_syncs, changed_contact_ids, origin_of
from db.models import ChangeJournal, Contact, Group, group_members
from db.text import sort_key


@dataclass(frozen=True)
class GroupRow:
    id: uuid.UUID
    name: str


def list_groups(session: Session) -> list[GroupRow]:
    """Live groups by name."""
    rows = session.execute(
        select(Group.id, Group.name).where(Group.deleted_at.is_(None)).order_by(Group.sort_name)
    )
    return [GroupRow(gid, name) for gid, name in rows]


def member_counts(session: Session) -> dict[uuid.UUID, int]:
    """How many live contacts each live group holds (groups with none left out)."""
    return tallies.live_group_sizes(session)


MAX_GROUP_NAME = 200


def create_group(session: Session, name: str) -> uuid.UUID:
    """Add a group; names are unique among live groups, ignoring case and accents."""
    clean = _checked_name(session, name, None)
    group = Group(name=clean, sort_name=sort_key(clean))
    session.add(group)
    session.flush()
    return group.id


def rename_group(session: Session, group_id: uuid.UUID, name: str) -> None:
    group = _get(session, group_id)
    group.name = _checked_name(session, name, group_id)
    group.sort_name = sort_key(group.name)
    _members_changed(session, group_id)
    session.flush()


def trash_group(session: Session, group_id: uuid.UUID) -> None:
    """Move a group to the Trash; its contacts stay, and come back in it on restore."""
    _get(session, group_id).deleted_at = session_now(session)
    _members_changed(session, group_id)
    session.flush()


def restore_group(session: Session, group_id: uuid.UUID) -> None:
    group = _get(session, group_id)
    group.deleted_at = None
    group.name = _checked_name(session, group.name, group_id, renaming_on_clash=True)
    group.sort_name = sort_key(group.name)
    _members_changed(session, group_id)
    session.flush()


def add_to_group(
    session: Session, group_id: uuid.UUID, contact_ids: Iterable[uuid.UUID]
) -> list[uuid.UUID]:
    """Put contacts in a group; returns those that were not in it already."""
    return _set_membership(session, group_id, contact_ids, member=True)


def remove_from_group(
    session: Session, group_id: uuid.UUID, contact_ids: Iterable[uuid.UUID]
) -> list[uuid.UUID]:
    """Take contacts out of a group; returns those that were in it."""
    return _set_membership(session, group_id, contact_ids, member=False)


def _set_membership(
    session: Session, group_id: uuid.UUID, contact_ids: Iterable[uuid.UUID], *, member: bool
) -> list[uuid.UUID]:
    group = _get(session, group_id)
    changed = []
    contacts = session.scalars(
        select(Contact)
        .where(Contact.id.in_(list(contact_ids)))
        .options(selectinload(Contact.groups))
    )
    for contact in contacts:
        if (group in contact.groups) != member:
            if member:
                contact.groups.append(group)
            else:
                contact.groups.remove(group)
            changed.append(contact.id)
    session.flush()
    return changed


def _get(session: Session, group_id: uuid.UUID) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFoundError("That group no longer exists.")
    return group


def _checked_name(
    session: Session, name: str, own_id: uuid.UUID | None, *, renaming_on_clash: bool = False
) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError({"name": "Enter a name for the group."})
    if len(clean) > MAX_GROUP_NAME:
        raise ValidationError({"name": f"Keep the group's name under {MAX_GROUP_NAME} characters."})
    candidate, n = clean, 1
    while _name_taken(session, candidate, own_id):
        if not renaming_on_clash:
            raise ValidationError({"name": f"There is already a group called “{clean}”."})
        n += 1
        candidate = f"{clean} ({n})"
    return candidate


def group_called(session: Session, name: str) -> uuid.UUID | None:
    """The live group whose name is `name`, case and accents aside."""
    return _group_called(session, name, None)


def _group_called(session: Session, name: str, own_id: uuid.UUID | None) -> uuid.UUID | None:
    statement = select(Group.id).where(
        Group.sort_name == sort_key(name), Group.deleted_at.is_(None)
    )
    if own_id is not None:
        statement = statement.where(Group.id != own_id)
    return session.scalar(statement.limit(1))


def _name_taken(session: Session, name: str, own_id: uuid.UUID | None) -> bool:
    return _group_called(session, name, own_id) is not None


def _members_changed(session: Session, group_id: uuid.UUID) -> None:
    """A group's name is each member's vCard CATEGORIES and lookup tag: every live
    member gets a new `rev` and a journal row (sync sends its card again) and its index
    row is redone. Written in bulk: a group may hold thousands."""
    now, origin = session_now(session), origin_of(session)
    members = list(
        session.scalars(
            select(group_members.c.contact_id).where(group_members.c.group_id == group_id)
        )
    )
    changed_contact_ids(session).update(members)
    session.flush()  # the group's change, and with it the members' index rows
    syncing = book_syncs(session.connection())
    for chunk in chunks(members):
        live = (Contact.id.in_(chunk), Contact.deleted_at.is_(None))
        session.execute(
            update(Contact).where(*live).values(rev=Contact.rev + 1, updated_at=now),
            execution_options={"synchronize_session": "fetch"},
        )
        if not syncing:  # a journal only for sync to read
            continue
        journal = [
            {"record_type": "contact", "record_id": cid, "rev": rev, "op": "update",
             "changed_at": now, "origin": origin}
            for cid, rev in session.execute(select(Contact.id, Contact.rev).where(*live))
        ]  # fmt: skip
        if journal:
            session.execute(insert(ChangeJournal), journal)
