"""Contacts: validate, create, edit, read, page through, trash, restore and purge.

Values cross in and out as frozen dataclasses, never ORM objects, so callers on
other threads (the UI, workers, the CLI) never hold a session's state.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import LargeBinary, Select, func, inspect, select, type_coerce
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.util import identity_key

from db import plain_sql, tallies
from db.bulk import chunks
from db.clock import session_now
from db.companies import company_for_name
from db.contact_values import (
    AddressValue,
    ContactDetails,
    ContactDraft,
    EmailValue,
    GroupRef,
    PhoneValue,
    UrlValue,
    compose_display_name,
    file_as,
    name_for_sorting,
    validate,
)
from db.errors import NotFoundError
from db.ids import PackedIds
from db.list_query import (  # noqa: F401 (the list's values, importable without SQLAlchemy)
    INDEXED_SORTS,
    UNINDEXED_SORT_LIMIT,
    ContactRow,
    FollowUpFilter,
    ListQuery,
    SortColumn,
)
from db.models import (
    Contact,
    ContactAddress,
    ContactEmail,
    ContactPhone,
    ContactUrl,
    Group,
    group_members,
)
from db.text import sort_key


def _primary(part: type[ContactEmail | ContactPhone], value: Any) -> Any:
    """A list row's primary value, read from the contact's values (they share a page)."""
    return (
        select(value)
        .where(part.contact_num == Contact.num, part.is_primary)
        .order_by(part.position)
        .limit(1)
        .correlate(Contact)
        .scalar_subquery()
    )


PRIMARY_EMAIL = _primary(ContactEmail, ContactEmail.address).label(SortColumn.EMAIL.value)
PRIMARY_PHONE = _primary(ContactPhone, ContactPhone.number).label(SortColumn.PHONE.value)
_READ_IN_PLACE = {SortColumn.EMAIL: PRIMARY_EMAIL, SortColumn.PHONE: PRIMARY_PHONE}
_BY_NAME = (SortColumn.NAME, SortColumn.FILE_AS)


def create_contact(
    session: Session, draft: ContactDraft, contact_id: uuid.UUID | None = None
) -> uuid.UUID:
    """Validate and add a contact (with `contact_id`, as sync makes one a server named);
    returns its id."""
    clean = validate(draft)
    contact = Contact(id=contact_id, display_name="", sort_name="", file_as="")
    session.add(contact)
    _apply(session, contact, clean)
    session.flush()
    return contact.id


def update_contact(
    session: Session, contact_id: uuid.UUID, draft: ContactDraft, *, flush: bool = True
) -> None:
    """Validate and save new values for an existing contact (written at once, or with
    `flush=False` at the session's next flush: one for many contacts is cheaper)."""
    clean = validate(draft)
    contact = _load(session, contact_id)
    _apply(session, contact, clean)
    if flush:
        session.flush()


# What the detail view needs of a contact, loaded in one query per relationship.
DETAIL_LOADS = (
    selectinload(Contact.emails),
    selectinload(Contact.phones),
    selectinload(Contact.addresses),
    selectinload(Contact.urls),
    selectinload(Contact.groups),
)


_DETAIL_NAMES = {"emails", "phones", "addresses", "urls", "groups"}


def get_contact(session: Session, contact_id: uuid.UUID) -> ContactDetails:
    """The contact's full details (also for a contact in the Trash)."""
    return details_of(_load(session, contact_id))


def details_of(contact: Contact) -> ContactDetails:
    """A loaded contact's full details."""
    groups = [GroupRef(g.id, g.name) for g in contact.groups if g.deleted_at is None]
    return details_from(
        contact, contact.emails, contact.phones, contact.addresses, contact.urls, groups
    )


def details_from(
    row: Any,
    emails: Iterable[Any],
    phones: Iterable[Any],
    addresses: Iterable[Any],
    urls: Iterable[Any],
    groups: Iterable[GroupRef],
) -> ContactDetails:
    """Details from a contact's row and its value rows, in their order (ORM objects or
    plain query rows: only the column names matter)."""
    return ContactDetails(
        id=row.id,
        display_name=row.display_name,
        given_name=row.given_name or "",
        family_name=row.family_name or "",
        middle_name=row.middle_name or "",
        prefix=row.prefix or "",
        suffix=row.suffix or "",
        nickname=row.nickname or "",
        title=row.title or "",
        department=row.department or "",
        company=row.company_name or "",
        company_id=row.company_id,
        birthday=row.birthday,
        background=row.background or "",
        owner=row.owner or "",
        emails=tuple(EmailValue(e.address, e.label, bool(e.is_primary)) for e in emails),
        phones=tuple(PhoneValue(p.number, p.label, bool(p.is_primary), p.e164) for p in phones),
        addresses=tuple(
            AddressValue(
                a.street or "",
                a.city or "",
                a.region or "",
                a.postal_code or "",
                a.country or "",
                a.label,
                bool(a.is_primary),
            )
            for a in addresses
        ),
        urls=tuple(UrlValue(u.url, u.label) for u in urls),
        groups=tuple(sorted(groups, key=lambda g: sort_key(g.name))),
        custom_fields=dict(row.custom_fields or {}),
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        rev=row.rev,
        referred_by_id=row.referred_by_id,
    )


def trash_contacts(session: Session, contact_ids: Iterable[uuid.UUID]) -> int:
    """Move contacts to the Trash; returns how many were moved."""
    now = session_now(session)
    moved = 0
    for contact in _live(session, contact_ids):
        contact.deleted_at = now
        moved += 1
    session.flush()
    return moved


def restore_contacts(session: Session, contact_ids: Iterable[uuid.UUID]) -> int:
    """Bring contacts back from the Trash; returns how many were restored."""
    restored = 0
    for contact in session.scalars(select(Contact).where(Contact.id.in_(list(contact_ids)))):
        if contact.deleted_at is not None:
            contact.deleted_at = None
            restored += 1
    session.flush()
    return restored


def purge_contacts(session: Session, contact_ids: Iterable[uuid.UUID]) -> int:
    """Delete contacts in the Trash for good; contacts not in the Trash are left alone."""
    purged = 0
    for contact in session.scalars(
        select(Contact).where(Contact.id.in_(list(contact_ids)), Contact.deleted_at.is_not(None))
    ):
        session.delete(contact)
        purged += 1
    session.flush()
    return purged


def count_contacts(session: Session, query: ListQuery = ListQuery()) -> int:
    """How many live contacts `query` shows: the whole book, a group, or with or
    without a next step are read from the kept tallies; other filters are counted."""
    if query.company_id is None:
        if query.group_id is not None and query.follow_up is None:
            return tallies.live_members(session, query.group_id)
        if query.group_id is None and query.follow_up is not FollowUpFilter.OVERDUE:
            counts = tallies.contact_counts(session)
            if query.follow_up is FollowUpFilter.HAS_NEXT_STEP:
                return counts.with_next_step
            if query.follow_up is FollowUpFilter.NO_NEXT_STEP:
                return counts.live - counts.with_next_step
            return counts.live
    statement = _filtered(session, select(func.count()).select_from(Contact), query)
    return session.scalar(statement) or 0


def list_contacts(session: Session, query: ListQuery, offset: int, limit: int) -> list[ContactRow]:
    """One page of the contact list, ordered by `query.sort` then name (see `_page`)."""
    return [ContactRow(*row) for row in _page(session, query, offset, limit, _ROW_COLUMNS)]


def ids_on_page(session: Session, query: ListQuery, offset: int, limit: int) -> list[uuid.UUID]:
    """The ids `list_contacts` would give, without the rest of the rows (a call list of
    5,000 from a group of 30,000 at a million)."""
    return [row[0] for row in _page(session, query, offset, limit, (Contact.id,))]


def _page(
    session: Session, query: ListQuery, offset: int, limit: int, columns: Sequence[Any]
) -> list[Sequence[Any]]:
    """Rows of `columns` for one page, ordered by `query.sort` then name.

    By next step, contacts with one come first (soonest first) and those without
    one after them, read as two index ranges so paging stays instant.
    """
    if query.sort is SortColumn.NEXT_STEP and query.follow_up is None:
        return _next_step_page(session, query, offset, limit, columns)
    column: Any = _READ_IN_PLACE.get(query.sort)
    if column is None:
        column = getattr(Contact, query.sort.value)
    # Ties: by name; namesakes in the order they were added (the name indexes' order),
    # so that both ways of reading a group below give its pages the same rows.
    ties = [Contact.num] if query.sort in _BY_NAME else [Contact.sort_name]
    order = [c.desc() if query.descending else c.asc() for c in (column, *ties)]
    by_name = _walk_names(session, query, offset + limit)
    statement = _filtered(session, select(*columns), query, walk_names=by_name).order_by(*order)
    return list(session.execute(statement.offset(offset).limit(limit)))


def _walk_names(session: Session, query: ListQuery, rows: int) -> bool:
    """Whether the first `rows` of a group in name order are read sooner by walking the
    book's names and keeping the members (about 3 µs a name walked) than by reading
    every member and sorting them (about 2 µs a member): the first pages of a group of
    30,000 at a million take 20 ms rather than 60-120, deeper pages and small groups
    are read from the members."""
    if query.group_id is None or query.sort not in _BY_NAME:
        return False
    if query.company_id is not None or query.follow_up is not None:
        return False
    members = tallies.live_members(session, query.group_id)
    walked = rows * tallies.contact_counts(session).live / max(members, 1)
    return 3 * walked < 2 * members


def _next_step_page(
    session: Session, query: ListQuery, offset: int, limit: int, columns: Sequence[Any]
) -> list[Sequence[Any]]:
    parts = [FollowUpFilter.HAS_NEXT_STEP, FollowUpFilter.NO_NEXT_STEP]
    if query.descending:
        parts.reverse()
    first = replace(query, follow_up=parts[0])
    first_count = count_contacts(session, first)
    rows: list[Sequence[Any]] = []
    if offset < first_count:
        rows = _page(session, first, offset, limit, columns)
    if len(rows) < limit:
        rest = replace(query, follow_up=parts[1])
        start = max(offset - first_count, 0)
        rows += _page(session, rest, start, limit - len(rows), columns)
    return rows


def position_in_list(session: Session, query: ListQuery, contact_id: uuid.UUID) -> int | None:
    """The row at which `list_contacts` shows this contact, or None if it does not.

    Exact for the name orders (it counts the names before it, then looks among the
    namesakes); other orders return None and the caller keeps its scroll position.
    """
    if query.sort not in (SortColumn.NAME, SortColumn.FILE_AS):
        return None
    contact = session.get(Contact, contact_id)
    if contact is None or contact.deleted_at is not None:
        return None
    column = getattr(Contact, query.sort.value)
    key = getattr(contact, query.sort.value)
    before_or_after = column > key if query.descending else column < key
    start = (
        session.scalar(
            _filtered(session, select(func.count()).select_from(Contact), query).where(
                before_or_after
            )
        )
        or 0
    )
    namesakes = list_contacts(session, query, start, 1000)
    for offset, row in enumerate(namesakes):
        if row.id == contact_id:
            return start + offset
    return None


def rows_for(session: Session, contact_ids: Sequence[uuid.UUID]) -> list[ContactRow]:
    """List rows for these live contacts, in the given order (trashed or missing ones
    left out)."""
    wanted = list(contact_ids)
    rows: dict[uuid.UUID, ContactRow] = {}
    for start in range(0, len(wanted), 10_000):  # SQLite takes so many values at a time
        chunk = wanted[start : start + 10_000]
        for r in session.execute(
            select(*_ROW_COLUMNS).where(Contact.id.in_(chunk), Contact.deleted_at.is_(None))
        ):
            rows[r[0]] = ContactRow(*r)
    return [rows[i] for i in wanted if i in rows]


def photos_of(session: Session, contact_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, bytes]:
    """The photos these contacts carry, by contact (those without one left out)."""
    return {
        cid: photo
        for cid, photo in session.execute(
            select(Contact.id, Contact.photo).where(
                Contact.id.in_(list(contact_ids)), Contact.photo.is_not(None)
            )
        )
    }


_ROW_COLUMNS = (
    Contact.id,
    Contact.display_name,
    Contact.company_name,
    Contact.title,
    PRIMARY_EMAIL,
    PRIMARY_PHONE,
    Contact.city,
    Contact.updated_at,
    Contact.last_contacted_at,
    Contact.next_step_at,
)


def ids_in_list(session: Session, query: ListQuery) -> PackedIds:
    """Every contact the list shows for `query`, by name (packed: a whole book's ids
    are held for an export)."""
    as_stored = type_coerce(Contact.id, LargeBinary)  # the 16 bytes, not a UUID per row
    statement = _filtered(session, select(as_stored), query).order_by(Contact.sort_name)
    packed = bytearray()  # grown as rows come: a list of a million rows first cost 160 MB
    for (stored,) in plain_sql.raw_rows(session.connection().execute(statement)):
        packed += stored
    return PackedIds(bytes(packed))


def _filtered(
    session: Session, statement: Select[Any], query: ListQuery, walk_names: bool = False
) -> Select[Any]:
    """`statement` narrowed to the live contacts `query` shows; a group's members are
    read from the group (joined), or, with `walk_names`, kept as the names are walked."""
    statement = statement.where(Contact.deleted_at.is_(None))
    if query.group_id is not None and walk_names:
        member = select(group_members.c.contact_id).where(
            group_members.c.group_id == query.group_id,
            group_members.c.contact_id == Contact.id,
        )
        statement = statement.where(member.exists())
    elif query.group_id is not None:
        statement = statement.join(group_members, group_members.c.contact_id == Contact.id).where(
            group_members.c.group_id == query.group_id
        )
    if query.company_id is not None:
        statement = statement.where(Contact.company_id == query.company_id)
    if query.follow_up is FollowUpFilter.NO_NEXT_STEP:
        statement = statement.where(Contact.next_step_at.is_(None))
    elif query.follow_up is FollowUpFilter.HAS_NEXT_STEP:
        statement = statement.where(Contact.next_step_at.is_not(None))
    elif query.follow_up is FollowUpFilter.OVERDUE:
        statement = statement.where(Contact.next_step_at < (query.now or session_now(session)))
    return statement


def preload(session: Session, contact_ids: Sequence[uuid.UUID]) -> list[Contact]:
    """Read these contacts with their details in a few queries, so the session's
    `get_contact` and `update_contact` of each need none. Keep the list while they
    work: the session holds its objects only as long as something else does."""
    loaded: list[Contact] = []
    for chunk in chunks(contact_ids):
        loaded += session.scalars(
            select(Contact).where(Contact.id.in_(list(chunk))).options(*DETAIL_LOADS)
        )
    return loaded


def _load(session: Session, contact_id: uuid.UUID) -> Contact:
    known = session.identity_map.get(identity_key(Contact, contact_id))
    if isinstance(known, Contact):
        state = inspect(known)
        if not (state.deleted or state.was_deleted or state.unloaded & _DETAIL_NAMES):
            return known
    contact = session.scalar(select(Contact).where(Contact.id == contact_id).options(*DETAIL_LOADS))
    if contact is None:
        raise NotFoundError("That contact no longer exists (it may have been purged).")
    return contact


def _live(session: Session, contact_ids: Iterable[uuid.UUID]) -> Iterable[Contact]:
    return session.scalars(
        select(Contact).where(Contact.id.in_(list(contact_ids)), Contact.deleted_at.is_(None))
    )


def _apply(session: Session, contact: Contact, draft: ContactDraft) -> None:
    with session.no_autoflush:
        _apply_values(session, contact, draft)


def _apply_values(session: Session, contact: Contact, draft: ContactDraft) -> None:
    contact.given_name = draft.given_name or None
    contact.family_name = draft.family_name or None
    contact.middle_name = draft.middle_name or None
    contact.prefix = draft.prefix or None
    contact.suffix = draft.suffix or None
    contact.nickname = draft.nickname or None
    contact.title = draft.title or None
    contact.department = draft.department or None
    contact.birthday = draft.birthday
    contact.background = draft.background or None
    contact.owner = draft.owner or None
    contact.custom_fields = dict(draft.custom_fields)
    if draft.referred_by_id != contact.id:  # nobody refers themselves
        contact.referred_by_id = draft.referred_by_id
    contact.display_name = compose_display_name(draft)
    contact.sort_name = sort_key(name_for_sorting(draft))
    contact.file_as = sort_key(file_as(draft))
    company = company_for_name(session, draft.company) if draft.company else None
    contact.company = company
    contact.company_name = company.name if company else None

    _replace_parts(
        contact.emails,
        [
            ContactEmail(address=e.address, label=e.label, is_primary=e.is_primary, position=n)
            for n, e in enumerate(draft.emails)
        ],
        ("address", "label", "is_primary"),
    )
    _replace_parts(
        contact.phones,
        [
            ContactPhone(
                number=p.number, e164=p.e164, label=p.label, is_primary=p.is_primary, position=n
            )
            for n, p in enumerate(draft.phones)
        ],
        ("number", "e164", "label", "is_primary"),
    )
    _replace_parts(
        contact.addresses,
        [
            ContactAddress(
                street=a.street or None,
                city=a.city or None,
                region=a.region or None,
                postal_code=a.postal_code or None,
                country=a.country or None,
                label=a.label,
                is_primary=a.is_primary,
                position=n,
            )
            for n, a in enumerate(draft.addresses)
        ],
        ("street", "city", "region", "postal_code", "country", "label", "is_primary"),
    )
    _replace_parts(
        contact.urls,
        [ContactUrl(url=u.url, label=u.label, position=n) for n, u in enumerate(draft.urls)],
        ("url", "label"),
    )

    contact.city = next((a.city or None for a in draft.addresses if a.is_primary), None)

    wanted = set(draft.group_ids)
    if {g.id for g in contact.groups} != wanted:
        groups = session.scalars(select(Group).where(Group.id.in_(wanted))).all() if wanted else []
        contact.groups = list(groups)


def _replace_parts(current: list[Any], wanted: list[Any], fields: tuple[str, ...]) -> None:
    """Make `current` hold `wanted`, editing rows in place so unchanged rows stay unchanged."""
    for n, new in enumerate(wanted):
        if n < len(current):
            row = current[n]
            for name in (*fields, "position"):
                if getattr(row, name) != getattr(new, name):
                    setattr(row, name, getattr(new, name))
        else:
            current.append(new)
    del current[len(wanted) :]


def referrer_of(session: Session, contact_id: uuid.UUID) -> tuple[uuid.UUID, str] | None:
    """Who referred this contact (a live contact), if anyone."""
    referred_by = session.scalar(select(Contact.referred_by_id).where(Contact.id == contact_id))
    if referred_by is None:
        return None
    row = session.execute(
        select(Contact.id, Contact.display_name).where(
            Contact.id == referred_by, Contact.deleted_at.is_(None)
        )
    ).first()
    return (row[0], row[1]) if row else None
