"""An import is one batch: it lands in committed chunks, and Undo takes it all back."""

from __future__ import annotations

from pathlib import Path

from db import groups, imports
from db.contacts import count_contacts
from db.engine import Database
from desktop.interop.mapping import plan_rows
from desktop.interop.presets import guess_mapping
from desktop.interop.table import read_table

SAMPLES = Path(__file__).parents[1] / "fixtures" / "import"


def test_import_then_undo_in_one_step(db: Database) -> None:
    table = read_table(SAMPLES / "google_contacts.csv")
    plan = plan_rows(table, guess_mapping(table.headers, "google"), "NO")
    ready = [(row.draft, row.groups) for row in plan.ready if row.draft is not None]
    with db.transaction() as session:
        batch = imports.start_batch(session, "google_contacts.csv", "csv")
    for chunk in (ready[:1], ready[1:]):  # committed chunk by chunk
        with db.transaction() as session:
            imports.import_drafts(session, batch, chunk)
    with db.transaction() as session:
        imports.finish_batch(session, batch)
    with db.reading() as session:
        assert count_contacts(session) == 2
        assert [g.name for g in groups.list_groups(session)] == ["Bergen distributors"]
        [row] = imports.batches(session)
        assert (row.status, row.created_count, row.source) == ("done", 2, "google_contacts.csv")
    with db.transaction() as session:
        assert imports.undo_batch(session, batch) == 2
    with db.reading() as session:
        assert count_contacts(session) == 0
        assert imports.batches(session)[0].status == "undone"


def test_a_killed_import_keeps_whole_chunks_and_undo_still_works(db: Database) -> None:
    table = read_table(SAMPLES / "google_contacts.csv")
    plan = plan_rows(table, guess_mapping(table.headers, "google"), "NO")
    ready = [(row.draft, row.groups) for row in plan.ready if row.draft is not None]
    with db.transaction() as session:
        batch = imports.start_batch(session, "google_contacts.csv", "csv")
    with db.transaction() as session:
        imports.import_drafts(session, batch, ready[:1])
    try:  # the second chunk dies half-way: its transaction rolls back as a whole
        with db.transaction() as session:
            imports.import_drafts(session, batch, ready[1:])
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    with db.reading() as session:
        assert count_contacts(session) == 1
        assert imports.batches(session)[0].created_count == 1
    with db.transaction() as session:
        assert imports.undo_batch(session, batch) == 1
