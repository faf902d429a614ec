"""Demo data is varied, consistent with the lookup index and journaled."""

from __future__ import annotations

import uuid

from db import follow_up
from db.engine import Database
from db.phones import parse_phone, parsing_region
from db.search import LOOKUP
from desktop.demo import seed
from tests.factories import indexed_words, make_syncing


def test_seeded_contacts_are_varied_and_found(db: Database) -> None:
    make_syncing(db)  # so the seed journals what it adds
    assert seed(db, 2000, seed=5) == 2000
    with db.engine.connect() as conn:

        def one(sql: str) -> int:
            return conn.exec_driver_sql(sql).scalar_one()

        assert one("SELECT count(*) FROM contacts") == 2000
        assert one("SELECT count(DISTINCT country) FROM contact_addresses") >= 15
        assert one("SELECT count(*) FROM contacts WHERE display_name GLOB '*[^ -~]*'") > 50
        assert len(indexed_words(conn)) == 2000
        assert one("SELECT count(*) FROM contact_emails") > 2000
        assert (
            one("SELECT count(DISTINCT substr(address, instr(address, '@'))) FROM contact_emails")
            > 500
        )
        assert one("SELECT count(*) FROM contact_phones WHERE e164 LIKE '+%'") > 2000
        # Strangers do not share addresses or numbers, whatever script their names use.
        shared_addresses = one(
            "SELECT count(*) FROM (SELECT lower(address) FROM contact_emails "
            "GROUP BY lower(address) HAVING count(*) > 1)"
        )
        shared_numbers = one(
            "SELECT count(*) FROM (SELECT e164 FROM contact_phones GROUP BY e164 "
            "HAVING count(*) > 1)"
        )
        assert shared_addresses <= 2 and shared_numbers <= 2
        assert one("SELECT count(*) FROM contact_emails WHERE address LIKE 'contact@%'") == 0
        assert one("SELECT count(*) FROM social_profiles") > 0
        assert one("SELECT count(*) FROM history_entries") > 0
        assert one("SELECT count(*) FROM activities") > 0
        assert one("SELECT count(*) FROM group_members") > 0
        # each contact's latest change (the seed keeps no superseded rows)
        assert (
            one(
                "SELECT count(DISTINCT record_id) FROM change_journal WHERE record_type = 'contact'"
            )
            == 2000
        )
        name, phone = conn.exec_driver_sql(
            "SELECT family_name, number FROM contacts c "
            "JOIN contact_phones p ON p.contact_num = c.num LIMIT 1"
        ).one()
    with db.reading() as session:
        assert any(h.display_name.endswith(name) for h in LOOKUP.lookup(session, name, 200))
        assert LOOKUP.lookup(session, phone, 200)


def test_seeded_values_are_what_the_contact_form_would_store(db: Database) -> None:
    """Phones carry the E.164 form phonenumbers gives (Italy's leading zero kept),
    streets no stray spaces: a re-import of the demo book finds nothing to change."""
    seed(db, 600, seed=7)
    with db.engine.connect() as conn:
        phones = conn.exec_driver_sql("SELECT number, e164 FROM contact_phones").all()
        streets = [s for (s,) in conn.exec_driver_sql("SELECT street FROM contact_addresses")]
    assert any(e164.startswith("+390") for _, e164 in phones)
    for number, e164 in phones:
        assert parse_phone(number, parsing_region(e164) or "US").e164 == e164
    assert all(street == street.strip() for street in streets)


def test_seeded_follow_ups_agree_with_the_follow_up_state(db: Database) -> None:
    seed(db, 3000, seed=11)
    with db.engine.connect() as conn:

        def one(sql: str) -> int:
            return conn.exec_driver_sql(sql).scalar_one()

        open_count = one("SELECT count(*) FROM activities WHERE status = 'open'")
        assert 400 < open_count < 800  # about a fifth of the contacts have a next step
        assert one("SELECT count(*) FROM activities WHERE status = 'done'") > 30
        assert one("SELECT count(*) FROM history_entries WHERE activity_id IS NOT NULL") > 30
        assert one("SELECT count(*) FROM activities WHERE timeless OR all_day") > 50
        snapshot = conn.exec_driver_sql(
            "SELECT id, last_contacted_at, next_step_at FROM contacts ORDER BY id"
        ).all()
    with db.transaction() as session:
        follow_up.refresh(session, [uuid.UUID(bytes=row[0]) for row in snapshot])
    with db.engine.connect() as conn:
        recomputed = conn.exec_driver_sql(
            "SELECT id, last_contacted_at, next_step_at FROM contacts ORDER BY id"
        ).all()
    assert recomputed == snapshot


def test_seeding_twice_keeps_index_rows_distinct(db: Database) -> None:
    seed(db, 300, seed=1)
    seed(db, 300, seed=2)
    with db.engine.connect() as conn:
        assert (
            conn.exec_driver_sql("SELECT count(DISTINCT lookup_rowid) FROM contacts").scalar_one()
            == 600
        )
        assert conn.exec_driver_sql("SELECT count(*) FROM groups").scalar_one() == 10


def test_stopping_early_keeps_whole_batches(db: Database) -> None:
    calls: list[int] = []

    def stop_after_first(done: int, total: int) -> bool:
        calls.append(done)
        return False

    added = seed(db, 25_000, seed=3, progress=stop_after_first)
    assert calls == [added] and 0 < added < 25_000
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM contacts").scalar_one() == added


def test_companies_are_shared_across_batches_and_runs(db: Database) -> None:
    seed(db, 25_000, seed=9)
    seed(db, 500, seed=10)
    with db.engine.connect() as conn:
        companies = conn.exec_driver_sql("SELECT count(*) FROM companies").scalar_one()
        names = conn.exec_driver_sql("SELECT count(DISTINCT sort_name) FROM companies").scalar_one()
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM contacts c LEFT JOIN companies k ON k.id = c.company_id "
            "WHERE k.id IS NULL"
        ).scalar_one()
    assert companies == names
    assert orphans == 0


def test_a_bulk_seed_rebuilds_every_index(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.bulk import missing_indexes
    from desktop import demo

    monkeypatch.setattr(demo, "BULK_THRESHOLD", 100)
    seen_during: list[int] = []

    def watch(done: int, total: int) -> bool:
        with db.engine.connect() as conn:
            seen_during.append(len(missing_indexes(conn)))
        return True

    demo.seed(db, 300, seed=12, progress=watch)
    assert seen_during and seen_during[0] > 5  # the load ran without them
    with db.engine.connect() as conn:
        assert missing_indexes(conn) == []


def test_opening_rebuilds_indexes_a_killed_bulk_load_left_out(data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.bulk import declared_indexes, missing_indexes
    from db.engine import open_database

    db = open_database(data_dir)
    with db.engine.begin() as conn:
        for index in declared_indexes(["contacts"]):
            index.drop(conn)
        assert missing_indexes(conn)
    db.close()
    db = open_database(data_dir)
    with db.engine.connect() as conn:
        assert missing_indexes(conn) == []
    db.close()


def test_a_killed_seed_leaves_no_helper_processes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 15.8: a SIGKILLed `seed` left its generator processes running (~133 MB)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    def children(pid: int) -> set[int]:
        found = set()
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in text:
                found.add(int(status.parent.name))
        return found

    def running(pid: int) -> bool:
        """Alive and not a zombie (a container's init may never reap what it adopts)."""
        try:
            return "(zombie)" not in Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return False

    seed = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), "seed", "--count", "300000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    helpers: set[int] = set()
    while not helpers and time.monotonic() < deadline:
        time.sleep(0.2)
        helpers = children(seed.pid)
    assert helpers, "the seed never started its generator"
    time.sleep(1.0)
    helpers |= children(seed.pid)
    os.kill(seed.pid, signal.SIGKILL)
    seed.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(running(p) for p in helpers):
        time.sleep(0.3)
    assert [p for p in helpers if running(p)] == []


def test_a_seed_into_a_book_that_syncs_with_nobody_journals_nothing(db: Database) -> None:
    assert seed(db, 300, seed=5) == 300
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM change_journal").scalar_one() == 0
