"""Every change bumps `rev` and, while the book syncs, lands in the change journal, in
the same transaction; the journal keeps only what sync needs."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from db import contact_values, contacts, groups, notes
from db.contact_values import EmailValue
from db.engine import Database, open_database
from db.models import ChangeJournal, Contact
from desktop.contact_book import ContactBook
from tests.factories import add_contact, make_syncing


@pytest.fixture(autouse=True)
def syncing(request: pytest.FixtureRequest) -> None:
    """The book has a sync account (its changes are journaled) unless a test says not."""
    if "not_syncing" not in request.keywords:
        make_syncing(request.getfixturevalue("db"))


def journal(db: Database) -> list[tuple[str, int, str]]:
    with db.reading() as session:
        rows = session.execute(
            select(ChangeJournal.record_type, ChangeJournal.rev, ChangeJournal.op).order_by(
                ChangeJournal.seq
            )
        )
        return [tuple(row) for row in rows]


def test_a_new_contact_and_its_company_are_journaled_as_created(db: Database) -> None:
    add_contact(db, "Maya", "Lund", company="Fjordline")
    assert sorted(journal(db)) == [("company", 1, "create"), ("contact", 1, "create")]


def test_editing_an_email_is_a_change_to_its_contact(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund", emails=("maya@old.example",))
    with db.transaction() as session:
        draft = contacts.get_contact(session, cid).to_draft()
        contacts.update_contact(
            session, cid, dataclasses.replace(draft, emails=(EmailValue("maya@new.example"),))
        )
    assert journal(db)[-1] == ("contact", 2, "update")
    with db.reading() as session:
        contact = session.get(Contact, cid)
        assert contact is not None and contact.rev == 2
        assert contact.updated_at >= contact.created_at


def test_saving_unchanged_values_changes_nothing(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund", emails=("maya@x.example",), phones=("+4790000000",))
    with db.transaction() as session:
        contacts.update_contact(session, cid, contacts.get_contact(session, cid).to_draft("NO"))
    assert journal(db) == [("contact", 1, "create")]


def test_trash_restore_and_purge_are_journaled(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        contacts.trash_contacts(session, [cid])
    with db.transaction() as session:
        contacts.restore_contacts(session, [cid])
    with db.transaction() as session:
        contacts.trash_contacts(session, [cid])
    with db.transaction() as session:
        contacts.purge_contacts(session, [cid])
    assert [op for _, _, op in journal(db)] == ["create", "delete", "restore", "delete", "purge"]
    assert [rev for _, rev, _ in journal(db)] == [1, 2, 3, 4, 4]


def test_a_rolled_back_change_leaves_no_journal_row(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as session:
        contacts.create_contact(session, contact_values.ContactDraft(given_name="Ghost"))
        raise RuntimeError("crash before commit")
    assert journal(db) == []


def test_group_membership_and_notes_are_journaled(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        gid = groups.create_group(session, "Key accounts")
        groups.add_to_group(session, gid, [cid])
        notes.add_note(session, cid, "Prefers calls after 10")
    assert journal(db)[1:] == [
        ("group", 1, "create"),
        ("contact", 2, "update"),
        ("note", 1, "create"),
    ]


def test_renaming_trashing_and_restoring_a_group_journals_its_live_members(
    db: Database, book: ContactBook
) -> None:
    """Their CATEGORIES change with the group: sync must send those cards again."""
    maya, ola, gone = (add_contact(book, name) for name in ("Maya", "Ola", "Kari"))
    gid = book.create_group("Key accounts")
    book.add_to_group(gid, [maya, ola, gone])
    book.trash([gone])
    before = len(journal(db))
    book.rename_group(gid, "Top accounts")
    book.trash_group(gid)
    book.restore_group(gid)
    members_journaled = [
        (rid, rev, op)
        for (kind, rid, rev, op) in journal_with_ids(db)[before:]
        if kind == "contact"
    ]
    assert sorted(members_journaled) == sorted(
        (cid, rev, "update") for cid in (maya, ola) for rev in (3, 4, 5)
    )
    assert book.contact(maya).display_name == "Maya"
    assert book.lookup_rows("top accounts")[0].id in {maya, ola}  # the index followed


def test_the_journal_says_where_each_change_came_from(db: Database, book: ContactBook) -> None:
    maya = add_contact(book, "Maya", "Lund")
    with db.transaction(origin="remote") as session:
        contacts.update_contact(
            session,
            maya,
            dataclasses.replace(
                contacts.get_contact(session, maya).to_draft(), family_name="Lund-Berg"
            ),
        )
    with db.transaction(origin="import") as session:
        notes.add_note(session, maya, "From the trade-show list")
    with db.reading() as session:
        origins = list(session.scalars(select(ChangeJournal.origin).order_by(ChangeJournal.seq)))
    assert origins == ["local", "remote", "import"]
    with pytest.raises(ValueError, match="unknown origin"), db.transaction(origin="phone"):
        pass


def journal_with_ids(db: Database) -> list[tuple[str, uuid.UUID, int, str]]:
    with db.reading() as session:
        rows = session.execute(
            select(
                ChangeJournal.record_type,
                ChangeJournal.record_id,
                ChangeJournal.rev,
                ChangeJournal.op,
            ).order_by(ChangeJournal.seq)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.mark.not_syncing
def test_a_book_that_syncs_with_nobody_bumps_rev_and_keeps_no_journal(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        contacts.trash_contacts(session, [cid])
    with db.reading() as session:
        assert session.get(Contact, cid).rev == 2
    assert journal(db) == []


def test_the_journal_goes_with_the_last_account(db: Database, book: ContactBook) -> None:
    add_contact(db, "Maya", "Lund")
    [account] = book.sync_accounts()
    assert journal(db)
    book.remove_sync_account(account.id)
    assert journal(db) == []


@pytest.mark.not_syncing
def test_a_book_left_with_journal_rows_and_no_account_drops_them_on_close(
    data_dir: Path,
) -> None:
    """As a book upgraded from before the rule, or whose account went by other means."""
    db = open_database(data_dir)
    make_syncing(db)
    add_contact(db, "Maya", "Lund")
    with db.writing() as conn:
        conn.exec_driver_sql("DELETE FROM sync_accounts")
    assert journal(db)
    db.close()
    db = open_database(data_dir)
    assert journal(db) == []
    db.close()


def test_a_bulk_write_keeps_each_records_latest_row(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund")
    for title in ("Buyer", "Head buyer"):
        with db.transaction() as session:
            draft = contacts.get_contact(session, cid).to_draft()
            contacts.update_contact(session, cid, dataclasses.replace(draft, title=title))
    assert [r for r in journal(db) if r[0] == "contact"] == [
        ("contact", 1, "create"), ("contact", 2, "update"), ("contact", 3, "update"),
    ]  # fmt: skip
    db.after_bulk_write()
    assert journal(db) == [("contact", 3, "update")]
