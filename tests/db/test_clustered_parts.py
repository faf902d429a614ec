"""A contact's values keyed by (contact, position) and the link tables keyed by their two
ids, all laid out by that key (migration 0017): what the app writes keeps positions
0, 1, 2... and the upgrade renumbers and keeps everything an older book held. The
list's primary email and phone are read from those values in place (0018)."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

from alembic import command

from db import contacts, migrations
from db.activities import schedule
from db.activity_values import ActivityDraft
from db.contact_values import ContactDraft, EmailValue, PhoneValue
from db.contacts import ListQuery, SortColumn
from db.engine import Database, open_database
from db.groups import create_group
from db.search import LOOKUP
from tests.factories import add_contact

PARTS = ("contact_emails", "contact_phones", "contact_addresses", "contact_urls")
LINKS = ("group_members", "activity_contacts", "history_contacts")


def layout(db: Database, table: str) -> tuple[bool, list[str], list[str]]:
    """Whether `table` has rowids, its key columns in key order, and its other indexes."""
    with sqlite3.connect(db.path) as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        key = sorted((row[5], row[1]) for row in conn.execute(f"PRAGMA table_info({table})"))
        indexes = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND name NOT LIKE 'sqlite_autoindex%'",
            (table,),
        ).fetchall()
    with_rowid = not sql[0].rstrip().upper().endswith("WITHOUT ROWID")
    return with_rowid, [name for n, name in key if n], [name for (name,) in indexes]


def stored_emails(db: Database, contact_id: uuid.UUID) -> list[tuple[int, str]]:
    with sqlite3.connect(db.path) as conn:
        return conn.execute(
            "SELECT position, address FROM contact_emails e JOIN contacts c "
            "ON c.num = e.contact_num WHERE c.id = ? ORDER BY position",
            (contact_id.bytes,),
        ).fetchall()


def emails(*addresses: str) -> ContactDraft:
    return ContactDraft(
        given_name="Maya", family_name="Lund", emails=tuple(EmailValue(a) for a in addresses)
    )


def test_values_and_links_are_laid_out_by_their_key(db: Database) -> None:
    for table in PARTS:
        assert layout(db, table) == (False, ["contact_num", "position"], [])
    assert layout(db, "contacts")[:2] == (True, ["num"])
    assert layout(db, "group_members") == (
        False, ["group_id", "contact_id"], ["ix_group_members_contact"]
    )  # fmt: skip
    assert layout(db, "activity_contacts")[:2] == (False, ["activity_id", "contact_id"])
    assert layout(db, "history_contacts")[:2] == (False, ["history_id", "contact_id"])


def test_edits_keep_positions_in_order_from_zero(db: Database) -> None:
    maya = add_contact(db, "Maya", "Lund", emails=("a@x.no", "b@x.no", "c@x.no"))
    with db.transaction() as session:
        contacts.update_contact(session, maya, emails("b@x.no", "c@x.no"))
    assert stored_emails(db, maya) == [(0, "b@x.no"), (1, "c@x.no")]
    with db.transaction() as session:  # shrink and grow again before one flush
        contacts.update_contact(session, maya, emails("d@x.no"))
        contacts.update_contact(session, maya, emails("d@x.no", "e@x.no", "f@x.no"))
    assert stored_emails(db, maya) == [(0, "d@x.no"), (1, "e@x.no"), (2, "f@x.no")]
    with db.reading() as session:
        shown = contacts.get_contact(session, maya).emails
    assert [e.address for e in shown] == ["d@x.no", "e@x.no", "f@x.no"]


def test_a_purged_contact_takes_its_values_and_links_along(db: Database) -> None:
    maya = add_contact(db, "Maya", "Lund", emails=("a@x.no",), phones=("+47 55 12 34 56",))
    ola = add_contact(db, "Ola", "Berg", emails=("ola@x.no",))
    with db.transaction() as session:
        schedule(session, ActivityDraft(start=datetime(2026, 12, 1, 9), contact_ids=(maya, ola)))
        contacts.trash_contacts(session, [maya])
        contacts.purge_contacts(session, [maya])
    with sqlite3.connect(db.path) as conn:
        left = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("contact_emails", "contact_phones", "activity_contacts")
        }
    assert left == {"contact_emails": 1, "contact_phones": 0, "activity_contacts": 1}
    assert stored_emails(db, ola) == [(0, "ola@x.no")]


def test_the_upgrade_renumbers_positions_and_keeps_every_value_and_link(
    data_dir: Path,
) -> None:
    db = open_database(data_dir)
    with db.transaction() as session:
        team = create_group(session, "Key accounts")
    maya = add_contact(
        db, "Maya", "Lund", emails=("a@x.no", "b@x.no"), phones=("+47 55 12 34 56",),
        city="Bergen", group_ids=(team,),
    )  # fmt: skip
    ola = add_contact(db, "Ola", "Berg", emails=("ola@x.no",))
    with db.transaction() as session:
        schedule(session, ActivityDraft(start=datetime(2026, 12, 1, 9), contact_ids=(maya,)))
    command.downgrade(migrations.alembic_config(db.engine), "0016")
    for table in PARTS:  # as 0016 had them
        assert layout(db, table) == (True, ["id"], [f"ix_{table}_contact_id"])
    for table in LINKS:
        assert layout(db, table)[0]
    with sqlite3.connect(db.path) as conn:  # gaps and a tie, as older code could leave
        conn.execute(
            "UPDATE contact_emails SET position = CASE address WHEN 'a@x.no' THEN 7 "
            "WHEN 'b@x.no' THEN 3 ELSE 3 END"
        )
        conn.execute(
            "INSERT INTO contact_emails (contact_id, address, label, is_primary, position) "
            "VALUES (?, 'c@x.no', 'home', 0, 3)",
            (maya.bytes,),
        )
    migrations.upgrade(db.engine)
    assert stored_emails(db, maya) == [(0, "b@x.no"), (1, "c@x.no"), (2, "a@x.no")]
    assert stored_emails(db, ola) == [(0, "ola@x.no")]
    with db.reading() as session:
        details = contacts.get_contact(session, maya)
    assert [p.number for p in details.phones] == ["+47 55 12 34 56"]
    assert [a.city for a in details.addresses] == ["Bergen"]
    assert [g.id for g in details.groups] == [team]
    with sqlite3.connect(db.path) as conn:
        linked = conn.execute("SELECT contact_id FROM activity_contacts").fetchall()
    assert linked == [(maya.bytes,)]
    for table in PARTS:
        assert layout(db, table) == (False, ["contact_num", "position"], [])
    db.close()


def test_a_phone_added_after_the_upgrade_goes_after_the_others(db: Database) -> None:
    maya = add_contact(db, "Maya", "Lund", phones=("+47 55 12 34 56",))
    with db.transaction() as session:
        contacts.update_contact(
            session,
            maya,
            ContactDraft(
                given_name="Maya",
                phones=(PhoneValue("+47 55 12 34 56"), PhoneValue("+47 99 88 77 66")),
            ),
        )
    with db.reading() as session:
        numbers = [p.number for p in contacts.get_contact(session, maya).phones]
    assert numbers == ["+47 55 12 34 56", "+47 99 88 77 66"]


def test_the_list_shows_and_sorts_by_the_primary_email_and_phone_read_in_place(
    db: Database,
) -> None:
    maya = add_contact(db, "Maya", "Lund", emails=("maya@b.no",), phones=("+47 55 12 34 56",))
    ola = add_contact(db, "Ola", "Berg", emails=("ola@a.no", "ola@z.no"))
    with db.transaction() as session:  # the second email becomes the primary one
        contacts.update_contact(
            session,
            ola,
            ContactDraft(
                given_name="Ola",
                family_name="Berg",
                emails=(EmailValue("ola@a.no"), EmailValue("ola@z.no", is_primary=True)),
            ),
        )
    with db.reading() as session:
        rows = contacts.list_contacts(session, ListQuery(SortColumn.EMAIL), 0, 10)
        by_phone = contacts.list_contacts(session, ListQuery(SortColumn.PHONE), 0, 10)
        found = {hit.id: hit for hit in LOOKUP.lookup(session, "lund")}
    assert [(r.id, r.email, r.phone) for r in rows] == [
        (maya, "maya@b.no", "+47 55 12 34 56"),
        (ola, "ola@z.no", None),
    ]
    assert [r.id for r in by_phone] == [ola, maya]  # no phone sorts first
    assert (found[maya].email, found[maya].phone) == ("maya@b.no", "+47 55 12 34 56")


def test_the_downgrade_below_0018_fills_the_primary_copies_again(data_dir: Path) -> None:
    db = open_database(data_dir)
    maya = add_contact(db, "Maya", "Lund", emails=("maya@b.no",), phones=("+47 55 12 34 56",))
    ola = add_contact(db, "Ola", "Berg")
    command.downgrade(migrations.alembic_config(db.engine), "0017")
    with sqlite3.connect(db.path) as conn:
        copies = dict(
            (row[0], row[1:])
            for row in conn.execute("SELECT id, primary_email, primary_phone FROM contacts")
        )
    assert copies == {maya.bytes: ("maya@b.no", "+47 55 12 34 56"), ola.bytes: (None, None)}
    migrations.upgrade(db.engine)
    with sqlite3.connect(db.path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(contacts)")}
    assert not columns & {"primary_email", "primary_phone"}
    db.close()
