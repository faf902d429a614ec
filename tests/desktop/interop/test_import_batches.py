"""An import is one batch: it lands in committed chunks, and Undo takes it all back,
including what it merged into contacts that were already there."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import groups, imports
from db.contacts import count_contacts, get_contact
from db.engine import Database
from db.search import LOOKUP
from desktop.interop import importer
from desktop.interop.files import plan_contacts
from desktop.interop.importer import Action, OnDuplicate
from tests.factories import add_contact, indexed_words, make_syncing
from tests.locations import FIXTURES

SAMPLES = FIXTURES / "import"
GOOGLE = SAMPLES / "google_contacts.csv"


def _preview(db: Database, on_duplicate: OnDuplicate = OnDuplicate.MERGE) -> importer.Preview:
    plan, _ = plan_contacts(GOOGLE, "csv", None, "NO")
    with db.reading() as session:
        return importer.preview(session, plan, on_duplicate)


def test_import_then_undo_in_one_step(db: Database) -> None:
    outcome = importer.run(db, _preview(db), "google_contacts.csv", "csv")
    assert (outcome.created, outcome.changed) == (3, 0)  # "Bad Email" without the bad email
    with db.reading() as session:
        assert count_contacts(session) == 3
        assert [g.name for g in groups.list_groups(session)] == ["Bergen distributors"]
        [row] = imports.batches(session)
        assert (row.status, row.created_count, row.source) == ("done", 3, "google_contacts.csv")
    with db.transaction() as session:
        assert imports.undo_batch(session, outcome.batch_id) == 3
    with db.reading() as session:
        assert count_contacts(session) == 0
        assert imports.batches(session)[0].status == "undone"


def test_reimport_skips_or_merges_and_undo_restores_what_it_changed(db: Database) -> None:
    maya = add_contact(db, "Maya", "Lund", emails=("MAYA.LUND@fjordline.example",))
    skipping = _preview(db, OnDuplicate.SKIP)
    assert [s.action for s in skipping.steps] == [Action.SKIP, Action.CREATE, Action.CREATE]
    assert "the same email maya.lund@fjordline.example" in skipping.steps[0].reason
    merging = _preview(db)
    assert [s.action for s in merging.steps] == [Action.MERGE, Action.CREATE, Action.CREATE]
    outcome = importer.run(db, merging, "google_contacts.csv", "csv")
    with db.reading() as session:
        merged = get_contact(session, maya)
        assert merged.company == "Fjordline Logistics"
        assert len(merged.phones) == 2
        assert count_contacts(session) == 3
    assert [s.action for s in _preview(db).steps] == [Action.SKIP] * 3
    with db.transaction() as session:
        imports.undo_batch(session, outcome.batch_id)
    with db.reading() as session:
        restored = get_contact(session, maya)
        assert (restored.company, restored.phones) == ("", ())
        assert count_contacts(session) == 1


def test_contacts_an_import_changes_are_journaled_and_found_by_their_new_values(
    db: Database,
) -> None:
    """Changed contacts are written together at the chunk's end: each still gets its
    journal row (in a syncing book, which after the import keeps each record's latest),
    and the lookup finds it by the company the file gave it."""
    make_syncing(db)
    maya = add_contact(db, "Maya", "Lund", emails=("MAYA.LUND@fjordline.example",))
    with db.reading() as session:
        assert [h.company for h in LOOKUP.lookup(session, "Fjordline", 10)] == [None]
    importer.run(db, _preview(db), "google_contacts.csv", "csv")
    with db.reading() as session:
        hits = LOOKUP.lookup(session, "Fjordline Logistics", 10)
        assert (maya, "Fjordline Logistics") in {(h.id, h.company) for h in hits}
        revs = session.connection().exec_driver_sql(
            "SELECT rev FROM change_journal WHERE record_id = ? ORDER BY rev", (maya.bytes,)
        )
        assert [rev for (rev,) in revs] == [2]


def test_duplicates_within_one_file_become_one_contact(db: Database, tmp_path: Path) -> None:
    sheet = tmp_path / "twice.csv"
    sheet.write_text(
        "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value\n"
        "Ana,López,ana@example.com,\n"
        "Ana,Lopez,ANA@example.com,+34 600 123 456\n",
        encoding="utf-8",
    )
    plan, _ = plan_contacts(sheet, "csv", None, "ES")
    with db.reading() as session:
        preview = importer.preview(session, plan, OnDuplicate.MERGE)
    assert [s.action for s in preview.steps] == [Action.CREATE, Action.MERGE]
    assert preview.steps[1].reason.startswith("into row 2")
    importer.run(db, preview, str(sheet), "csv")
    with db.reading() as session:
        assert count_contacts(session) == 1


def test_a_killed_import_keeps_whole_chunks_and_undo_still_works(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "CHUNK", 1)
    calls = []

    def die_on_second_chunk(done: int, total: int) -> None:
        calls.append(done)
        raise KeyboardInterrupt  # the process is killed after the first chunk committed

    with pytest.raises(KeyboardInterrupt):
        importer.run(db, _preview(db), "google_contacts.csv", "csv", die_on_second_chunk)
    with db.reading() as session:
        assert count_contacts(session) == 1
        [batch] = imports.batches(session)
        assert (batch.status, batch.created_count) == ("running", 1)
    with db.transaction() as session:
        assert imports.undo_batch(session, batch.id) == 1
    with db.reading() as session:
        assert count_contacts(session) == 0


def test_cancel_stops_between_chunks(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "CHUNK", 1)
    done: list[int] = []
    outcome = importer.run(
        db, _preview(db), "g.csv", "csv", lambda n, _t: done.append(n), lambda: bool(done)
    )
    assert outcome.cancelled and outcome.created == 1
    with db.reading() as session:
        assert imports.batches(session)[0].status == "cancelled"


def test_imported_contacts_are_indexed_as_a_full_rebuild_would_index_them(db: Database) -> None:
    """The import writes lookup rows straight from the file; they must be the rows the
    index would build from the database (names, companies, phone forms, places, groups)."""
    add_contact(db, "Maya", "Lund", company="FJORDLINE LOGISTICS")  # the import reuses its company
    importer.run(db, _preview(db, OnDuplicate.ADD), "google_contacts.csv", "csv")
    with db.reading() as session:
        written = indexed_words(session.connection())
    with db.transaction() as session:
        LOOKUP.rebuild(session.connection())
    with db.reading() as session:
        rebuilt = indexed_words(session.connection())
    assert written == rebuilt
    assert any(words.get("tags") == ["bergen", "distributors"] for words in written.values())
    assert any(
        {"4791234567", "91234567"} <= set(words.get("phones", ())) for words in written.values()
    )


def test_a_first_big_import_builds_the_indexes_once_at_the_end(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into an empty book, a big import drops the secondary indexes and rebuilds them
    after; they are all there again, and a cancelled one rebuilds them too."""
    from db.bulk import missing_indexes

    monkeypatch.setattr(importer, "BULK_THRESHOLD", 1)
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        with db.engine.connect() as conn:
            seen.append(len(missing_indexes(conn)))

    importer.run(db, _preview(db), "google_contacts.csv", "csv", progress)
    assert seen and seen[0] > 0  # while it ran, the indexes were gone
    with db.engine.connect() as conn:
        assert missing_indexes(conn) == []
    with db.reading() as session:
        assert count_contacts(session) == 3


def _everything(db: Database) -> dict[str, list[str]]:
    """Every contact (in the Trash or not), group and company the database holds."""
    with db.reading() as session:
        conn = session.connection()

        def names(sql: str) -> list[str]:
            return sorted(str(row[0]) for row in conn.exec_driver_sql(sql))

        return {
            "contacts": names("SELECT display_name FROM contacts"),
            "groups": names("SELECT name FROM groups"),
            "companies": names("SELECT name FROM companies"),
        }


def test_undo_takes_an_import_back_as_if_it_had_not_happened(db: Database) -> None:
    """Nothing the file brought stays behind: not its contacts (not even in the Trash),
    not the group or the companies it made. What was there before stays."""
    add_contact(db, "Ola", "Nordmann", company="Nordkjøl AS")
    with db.transaction() as session:
        groups.create_group(session, "Key accounts")
    before = _everything(db)
    outcome = importer.run(db, _preview(db, OnDuplicate.ADD), "google_contacts.csv", "csv")
    assert _everything(db) != before
    with db.transaction() as session:
        imports.undo_batch(session, outcome.batch_id)
    assert _everything(db) == before


def test_undo_keeps_in_the_trash_what_was_worked_on_since_the_import(db: Database) -> None:
    from db import notes

    outcome = importer.run(db, _preview(db), "google_contacts.csv", "csv")
    with db.reading() as session:
        maya = next(h.id for h in LOOKUP.lookup(session, "Maya Lund", 5))
    with db.transaction() as session:
        notes.add_note(session, maya, "Called about the pilot")
    with db.transaction() as session:
        imports.undo_batch(session, outcome.batch_id)
    left = _everything(db)
    assert left["contacts"] == ["Maya Lund"]  # in the Trash, with the note typed on her
    assert left["groups"] == ["Bergen distributors"]  # she is still in it
    assert left["companies"] == ["Fjordline Logistics"]
    with db.reading() as session:
        assert count_contacts(session) == 0
