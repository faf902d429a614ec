"""The kept counts (migration 0011's triggers) agree with the rows after every kind of
change: adding, trashing, restoring and purging contacts, groups and their members,
next steps set and cleared, merging, importing, seeding, and an upgrade of a book
written before the counts existed."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from db import migrations
from db.activity_values import ActivityDraft
from db.contact_values import ContactDraft
from db.engine import Database, open_database
from desktop.contact_book import ContactBook
from desktop.interop.files import plan_contacts
from desktop.interop.importer import OnDuplicate
from tests.conftest import TEST_NOW

COUNTED = {
    "live": "SELECT count(*) FROM contacts WHERE deleted_at IS NULL",
    "trashed": "SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL",
    "with_next_step": "SELECT count(*) FROM contacts "
    "WHERE deleted_at IS NULL AND next_step_at IS NOT NULL",
}
GROUPS_COUNTED = (
    "SELECT g.id, (SELECT count(*) FROM group_members m JOIN contacts c ON c.id = m.contact_id "
    "WHERE m.group_id = g.id AND c.deleted_at IS NULL) FROM groups g ORDER BY g.id"
)


def assert_counts_kept(path: str | Path) -> dict[str, int]:
    """The kept counts equal the counted ones; returns them."""
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT live, trashed, with_next_step FROM contact_tallies").fetchone()
        kept = dict(zip(COUNTED, row, strict=True))
        counted = {name: conn.execute(sql).fetchone()[0] for name, sql in COUNTED.items()}
        sizes = conn.execute(
            "SELECT g.id, s.live_members FROM groups g "
            "LEFT JOIN group_sizes s ON s.group_id = g.id ORDER BY g.id"
        ).fetchall()
        members = conn.execute(GROUPS_COUNTED).fetchall()
    assert kept == counted
    assert sizes == members
    return kept


def test_every_change_to_contacts_and_groups_keeps_the_counts(book: ContactBook) -> None:
    path = book.path
    maya = book.create(ContactDraft(given_name="Maya", family_name="Lund"))
    ola = book.create(ContactDraft(given_name="Ola", family_name="Berg"))
    kim = book.create(ContactDraft(given_name="Kim", family_name="Ny"))
    buyers = book.create_group("Buyers")
    book.add_to_group(buyers, [maya, ola, kim])
    assert assert_counts_kept(path)["live"] == 3
    assert book.navigation_counts().groups == {buyers: 3}

    book.trash([ola])
    assert assert_counts_kept(path) == {"live": 2, "trashed": 1, "with_next_step": 0}
    assert book.count() == 2
    assert book.trash_count() == 1
    book.restore([ola])
    book.remove_from_group(buyers, [kim])
    assert_counts_kept(path)

    start = TEST_NOW.replace(tzinfo=None) + timedelta(days=1)
    call = book.schedule(ActivityDraft(regarding="Prices", start=start, contact_ids=(maya,)))
    assert assert_counts_kept(path)["with_next_step"] == 1
    book.trash([maya])
    assert assert_counts_kept(path)["with_next_step"] == 0
    book.restore([maya])
    book.clear_activity(call, "completed")
    assert assert_counts_kept(path)["with_next_step"] == 0

    twin = ContactDraft(given_name="Maya", family_name="Lund", title="Buyer")
    book.merge(maya, [ola], twin)
    assert assert_counts_kept(path)["live"] == 2

    book.trash([kim])
    book.purge_items([item for item in book.trash_items() if item.id in (kim, ola)])
    assert assert_counts_kept(path) == {"live": 1, "trashed": 0, "with_next_step": 0}

    book.trash_group(buyers)
    assert book.navigation_counts().groups == {}
    book.purge_items(book.trash_items())
    assert_counts_kept(path)


def test_a_live_contact_deleted_outright_leaves_its_groups(db: Database) -> None:
    """Sync and undo of an import delete rows without the Trash: the group shrinks once."""
    book = ContactBook(db)
    maya = book.create(ContactDraft(given_name="Maya", family_name="Lund"))
    buyers = book.create_group("Buyers")
    book.add_to_group(buyers, [maya])
    with db.writing() as conn:
        conn.exec_driver_sql("DELETE FROM contacts WHERE id = ?", (maya.bytes,))
    assert assert_counts_kept(book.path) == {"live": 0, "trashed": 0, "with_next_step": 0}


def test_imports_and_seeds_keep_the_counts(book: ContactBook, tmp_path: Path) -> None:
    book.seed(400, seed=3)
    assert assert_counts_kept(book.path)["with_next_step"] > 0
    sheet = tmp_path / "people.csv"
    sheet.write_text("First Name,Last Name,Categories\nAnna,Holm,Buyers\nPer,Dahl,Buyers\n")
    plan, _ = plan_contacts(sheet, "csv", None, "NO")
    outcome = book.import_contacts(book.import_preview(plan, OnDuplicate.MERGE), str(sheet), "csv")
    assert outcome.created == 2
    assert assert_counts_kept(book.path)["live"] == 402
    book.undo_import(book.import_batches()[0].id)
    assert assert_counts_kept(book.path)["live"] == 400


def test_an_upgrade_counts_what_the_book_already_holds(data_dir: Path) -> None:
    from alembic import command

    book = ContactBook.open(data_dir)
    book.seed(120, seed=5)
    book.trash(book.export_ids()[:7])
    book.close()
    db = open_database(data_dir)
    command.downgrade(migrations.alembic_config(db.engine), "0010")
    with sqlite3.connect(db.path) as conn:
        counted = {name: conn.execute(sql).fetchone()[0] for name, sql in COUNTED.items()}
    migrations.upgrade(db.engine)
    assert assert_counts_kept(db.path) == counted
    assert counted["live"] == 113 and counted["trashed"] == 7 and counted["with_next_step"]
    db.close()
