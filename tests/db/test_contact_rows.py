"""The one contact builder writes the same rows as the ORM path that saves one contact
at a time: list columns, values, group links, journal and lookup document."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date

from db import moments
from db.clock import FixedClock
from db.contact_rows import PART_COLUMNS, ContactRows, NewContact
from db.contact_values import AddressValue, ContactDraft, EmailValue, PhoneValue, UrlValue, validate
from db.engine import Database, database_path
from db.ids import id_bytes
from desktop.contact_book import ContactBook
from tests.factories import indexed_words, make_syncing

# Columns that differ by nature between two contacts: ids and the lookup row number.
UNLIKE = {"id", "num", "contact_id", "contact_num", "lookup_rowid", "rowid", "record_id"}


def rich_draft(group_id: uuid.UUID, referrer: uuid.UUID) -> ContactDraft:
    return ContactDraft(
        prefix="Dr.",
        given_name="Åse",
        middle_name="Marie",
        family_name="Nordahl-Berg",
        suffix="Jr.",
        nickname="Åsa",
        title="Head of Purchasing",
        department="Procurement",
        company="Fjordline  Logistics",
        birthday=date(1984, 2, 29),
        background="Met at Nor-Shipping.",
        owner="kari",
        emails=(
            EmailValue("ase@fjordline.example", "work", True),
            EmailValue("ase.private@example.org", "home"),
        ),
        phones=(PhoneValue("+47 55 12 34 56", "work", True), PhoneValue("912 34 567", "mobile")),
        addresses=(
            AddressValue("Bryggen 1", "Bergen", "Vestland", "5003", "NO", "work", True),
            AddressValue(city="Oslo", country="NO", label="home"),
        ),
        urls=(UrlValue("https://fjordline.example"),),
        group_ids=(group_id,),
        custom_fields={"Account": "A-17", "Tier": "gold"},
        referred_by_id=referrer,
        default_region="NO",
    )


def rows_of(db: Database, contact_id: uuid.UUID) -> dict[str, list[dict[str, object]]]:
    """Every row the contact has, table by table, without the columns that must differ."""
    queries = {
        "contacts": "SELECT * FROM contacts WHERE id = ?",
        **{
            table: f"SELECT p.* FROM {table} p JOIN contacts c ON c.num = p.contact_num "
            "WHERE c.id = ? ORDER BY position"
            for table in PART_COLUMNS
        },
        "group_members": "SELECT * FROM group_members WHERE contact_id = ?",
        "change_journal": "SELECT * FROM change_journal WHERE record_id = ? ORDER BY seq",
    }
    conn = sqlite3.connect(database_path(db.path.parent))
    conn.row_factory = sqlite3.Row
    try:
        rows = {
            table: [
                {k: v for k, v in dict(row).items() if k not in UNLIKE and k != "seq"}
                for row in conn.execute(sql, (contact_id.bytes,))
            ]
            for table, sql in queries.items()
        }
        rows["contact_lookup"] = [indexed_words(conn)[contact_id]]
        return rows
    finally:
        conn.close()


def test_the_builder_and_the_orm_path_write_the_same_rows(
    db: Database, book: ContactBook, clock: FixedClock
) -> None:
    make_syncing(db)  # both journal what they write
    group_id = book.create_group("Key accounts")
    referrer = book.create(ContactDraft(given_name="Ola", family_name="Nordmann"))
    draft = rich_draft(group_id, referrer)
    by_orm = book.create(draft)
    company_id = book.contact(by_orm).company_id
    assert company_id is not None

    by_builder = uuid.uuid4()
    built = ContactRows(moments.stored(clock.now()))
    built.add(
        NewContact(
            by_builder,
            validate(draft),
            company=(company_id.bytes, "Fjordline Logistics"),
            groups=[(group_id.bytes, "Key accounts")],
        ),
        id_bytes(),
    )
    with db.writing() as conn:
        built.write(conn)

    orm_rows, builder_rows = rows_of(db, by_orm), rows_of(db, by_builder)
    assert orm_rows == builder_rows
    # ...and the comparison saw everything a contact has, filled in
    assert all(orm_rows[table] for table in orm_rows), orm_rows
    assert orm_rows["contacts"][0]["company_name"] == "Fjordline Logistics"
    assert len(orm_rows["contact_phones"]) == 2 and orm_rows["contact_phones"][1]["e164"]
    assert book.lookup_rows("nordahl key accounts")[0].id in {by_orm, by_builder}
    assert {hit.id for hit in book.lookup("+47 55 12")} >= {by_orm, by_builder}
