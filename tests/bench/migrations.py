"""How long each schema upgrade takes, at two sizes: a step is linear when its time
grows with the book (four times the contacts, about four times the time), not faster.

A copy of a seeded book is taken back to the first schema (as the oldest Callsheet
left it) and brought up again one revision at a time.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from alembic import command

from db import migrations
from db.engine import database_path, make_engine
from tests.bench.databases import seeded

FIRST = "0001"


def revisions() -> list[str]:
    """Every revision after the first, oldest first."""
    return sorted(migrations.known_revisions() - {FIRST})


def upgrade_times(data_dir: Path) -> dict[str, float]:
    """Seconds per upgrade step of a copy of the book in `data_dir`, taken back to 0001."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "callsheet.db"
        shutil.copyfile(database_path(data_dir), copy)
        engine = make_engine(copy)
        try:
            config = migrations.alembic_config(engine)
            command.downgrade(config, FIRST)
            times = {}
            for revision in revisions():
                started = time.perf_counter()
                command.upgrade(config, revision)
                times[revision] = time.perf_counter() - started
        finally:
            engine.dispose()
    return times


def run(contacts: int) -> dict[str, object]:
    small = max(contacts // 4, 1000)
    at_small = upgrade_times(seeded(small))
    at_full = upgrade_times(seeded(contacts))
    return {"small": small, "contacts": contacts, "at_small": at_small, "at_full": at_full}
