"""The contentless lookup index (migration 0014): a changed contact's old row stays in
the index but is never found, the rows left behind are counted, and a rebuild clears
them when they outnumber the live contacts; the upgrade keeps every document."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from db import contacts, migrations, search
from db.contact_values import ContactDraft, EmailValue, PhoneValue
from db.engine import Database, open_database
from db.search import LOOKUP
from tests.factories import add_contact, indexed_words


def names(db: Database, query: str) -> list[str]:
    with db.reading() as session:
        return [hit.display_name for hit in LOOKUP.lookup(session, query)]


def stale(db: Database) -> int:
    with db.reading() as session:
        return LOOKUP.stale_rows(session.connection())


def rename(db: Database, contact_id: uuid.UUID, given: str, family: str) -> None:
    with db.transaction() as session:
        contacts.update_contact(
            session,
            contact_id,
            ContactDraft(given_name=given, family_name=family, emails=(EmailValue("x@y.no"),)),
        )


def test_a_changed_contact_is_found_by_its_new_text_only(db: Database) -> None:
    maya = add_contact(db, "Maya", "Lund", company="Fjordline")
    rename(db, maya, "Mia", "Strand")
    assert names(db, "maya") == []
    assert names(db, "fjordline") == []
    assert names(db, "mia str") == ["Mia Strand"]
    assert stale(db) == 1
    with db.reading() as session:
        assert indexed_words(session.connection())[maya]["name"] == ["mia", "strand"]


def test_trash_and_purge_let_go_of_the_row_and_restore_takes_a_new_one(db: Database) -> None:
    ola = add_contact(db, "Ola", "Berg")
    with db.transaction() as session:
        contacts.trash_contacts(session, [ola])
    assert names(db, "ola") == []
    assert stale(db) == 1
    with db.transaction() as session:
        contacts.restore_contacts(session, [ola])
    assert names(db, "ola") == ["Ola Berg"]
    with db.transaction() as session:
        contacts.trash_contacts(session, [ola])
        contacts.purge_contacts(session, [ola])
    assert stale(db) == 2


def test_rows_left_behind_are_cleared_on_close_once_they_outnumber_the_live(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "COMPACT_FROM", 3)
    db = open_database(data_dir)
    maya = add_contact(db, "Maya", "Lund")
    add_contact(db, "Ola", "Berg")
    rename(db, maya, "Mia", "Lund")
    rename(db, maya, "Maya", "Lund")
    db.close()
    db = open_database(data_dir)
    assert stale(db) == 2  # not more than the two live contacts: kept
    rename(db, maya, "Mai", "Lund")
    db.close()
    db = open_database(data_dir)
    assert stale(db) == 0
    assert names(db, "lund") == ["Mai Lund"]
    with db.reading() as session:
        assert len(indexed_words(session.connection())) == 2
    with db.transaction() as session:  # the rebuild left nothing behind to find twice
        assert (
            session.connection()
            .exec_driver_sql(
                "SELECT count(*) FROM contact_lookup WHERE contact_lookup MATCH 'lund'"
            )
            .scalar_one()
            == 1
        )
    db.close()


def test_a_big_book_is_rebuilt_after_a_bulk_write_not_on_close(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "COMPACT_FROM", 2)
    monkeypatch.setattr("db.upkeep.REBUILD_ON_CLOSE_UP_TO", 0)
    maya = add_contact(db, "Maya", "Lund")
    for given in ("Mia", "Mai", "Maya"):
        rename(db, maya, given, "Lund")
    with db.engine.connect() as conn:
        from db import upkeep

        upkeep.on_close(conn)
    assert stale(db) == 3
    db.after_bulk_write()
    assert stale(db) == 0
    assert names(db, "maya") == ["Maya Lund"]


def test_the_upgrade_keeps_every_document_and_the_downgrade_gives_them_back(
    data_dir: Path,
) -> None:
    from alembic import command

    db = open_database(data_dir)
    maya = add_contact(db, "Maya", "Lund", company="Fjordline", phones=("+47 55 12 34 56",))
    add_contact(db, "Øyvind", "Berg", city="Bergen", country="NO")
    with db.transaction() as session:  # a row left behind must not come back
        contacts.update_contact(
            session,
            maya,
            ContactDraft(
                given_name="Maya", family_name="Lunde", phones=(PhoneValue("+47 55 12 34 56"),)
            ),
        )
    with db.reading() as session:
        before = indexed_words(session.connection())
    command.downgrade(migrations.alembic_config(db.engine), "0013")
    with sqlite3.connect(db.path) as conn:
        documents = conn.execute("SELECT contact_id, name, phones FROM contact_lookup")
        by_contact = {row[0]: row[1:] for row in documents}
    assert by_contact[maya.hex] == ("lunde maya", "4755123456 55123456")
    assert sorted(by_contact.values())[0] == ("berg øyvind", "")
    assert len(by_contact) == 2
    migrations.upgrade(db.engine)
    with db.reading() as session:
        assert indexed_words(session.connection()) == before
    assert names(db, "+47 55") == ["Maya Lunde"]
    assert names(db, "berg") == ["Øyvind Berg"]
    assert stale(db) == 0
    db.close()
