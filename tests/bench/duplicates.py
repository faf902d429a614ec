"""Duplicate precision and recall at size.

A book is seeded fresh (so the figures are the current generator's), scanned, then
given planted duplicates and planted look-alikes (tests.duplicate_plants) and scanned
again. The reference, measured in the same run, is reading the same columns the scan
reads with plain sqlite3: what any scan must at least spend.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from db.duplicates import find_groups
from db.engine import database_path, open_database
from desktop.demo import seed
from tests.duplicate_plants import plant, score

PLANTED = 500


def run(contacts: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder))
        seed(db, contacts, seed=20261206)
        started = time.perf_counter()
        with db.reading() as session:
            background = {frozenset(g.contact_ids) for g in find_groups(session)}
        scan_s = time.perf_counter() - started
        plants = plant(db, PLANTED)
        with db.reading() as session:
            found = [frozenset(g.contact_ids) for g in find_groups(session)]
        result = score(found, background, plants)
        reference_s = _reference(database_path(Path(folder)))
        db.close()
    return {
        "contacts": contacts,
        "scan_s": scan_s,
        "reference_s": reference_s,
        "background_groups": len(background),
        "recall": result.recall,
        "precision": result.precision,
        "look_alikes_grouped": result.look_alikes_grouped,
        "planted": PLANTED,
    }


def _reference(path: Path) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    for sql in (
        "SELECT contact_num, address FROM contact_emails",
        "SELECT contact_num, e164 FROM contact_phones",
        "SELECT contact_id, url FROM social_profiles",
        "SELECT id, display_name, company_name FROM contacts WHERE deleted_at IS NULL",
    ):
        connection.execute(sql).fetchall()
    connection.close()
    return time.perf_counter() - started


def report(f: dict[str, float]) -> None:
    print(
        f"duplicates contacts={int(f['contacts'])} scan_s={f['scan_s']:.2f} "
        f"reference_s={f['reference_s']:.2f} ratio={f['scan_s'] / f['reference_s']:.1f} "
        f"seeded_groups={int(f['background_groups'])} planted={int(f['planted'])} pairs each: "
        f"recall={f['recall']:.3f} precision={f['precision']:.3f} "
        f"look_alikes_grouped={int(f['look_alikes_grouped'])}"
    )
