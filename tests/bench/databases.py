"""Seeded benchmark databases, made once per size and kept in a cache folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

from db.engine import open_database
from desktop.demo import seed

SEED = 20261123


def bench_root() -> Path:
    return Path(os.environ.get("CALLSHEET_BENCH_DIR", Path.home() / ".cache" / "callsheet-bench"))


def seeded(contacts: int) -> Path:
    """The data folder of a database with `contacts` demo contacts (seeded if missing)."""
    # The suffix names the generator: a changed generator seeds a new book.
    folder = bench_root() / f"contacts-{contacts}-g2"
    marker = folder / "complete"
    if not marker.exists():
        for stale in folder.glob("callsheet.db*"):
            stale.unlink()
        db = open_database(folder)
        started = time.perf_counter()
        seed(db, contacts, seed=SEED)
        elapsed = time.perf_counter() - started
        db.close()
        marker.write_text(f"{elapsed:.3f}\n")
        print(
            f"seeded {contacts:,} contacts in {elapsed:.1f} s "
            f"({contacts / elapsed:,.0f} contacts/s)",
            flush=True,
        )
    return folder
