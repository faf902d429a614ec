"""The detail pane reads a contact as plain rows (`db.exports.contact_details`): the
same details the ORM gives, for a full contact, a bare one, and one in the Trash."""

from __future__ import annotations

import uuid

import pytest

from db import contacts, exports
from db.contact_values import ContactDraft
from db.engine import Database
from db.errors import NotFoundError
from desktop.contact_book import ContactBook
from tests.db.test_contact_rows import rich_draft


def both(db: Database, contact_id: uuid.UUID) -> tuple[object, object]:
    with db.reading() as session:
        return contacts.get_contact(session, contact_id), exports.contact_details(
            session, contact_id
        )


def test_the_plain_read_gives_what_the_orm_gives(db: Database, book: ContactBook) -> None:
    group = book.create_group("Key accounts")
    gone = book.create_group("Old list")
    referrer = book.create(ContactDraft(given_name="Ola", family_name="Nordmann"))
    full = book.create(rich_draft(group, referrer))
    book.add_to_group(gone, [full])
    book.trash_group(gone)
    bare = book.create(ContactDraft(display_name="Reception"))
    book.trash([bare])
    for contact_id in (full, bare, referrer):
        by_orm, plain = both(db, contact_id)
        assert plain == by_orm
    details = book.contact(full)
    assert [g.name for g in details.groups] == ["Key accounts"]
    assert details.birthday is not None and details.custom_fields == {
        "Account": "A-17",
        "Tier": "gold",
    }
    assert book.contact(bare).deleted_at is not None


def test_a_purged_contact_is_not_found(db: Database, book: ContactBook) -> None:
    with pytest.raises(NotFoundError):
        book.contact(uuid.uuid4())
