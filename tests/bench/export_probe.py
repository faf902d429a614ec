"""Runs inside a child process: one export, with its seconds and peak memory.

python -m tests.bench.export_probe DATA_DIR csv|vcf OUT -> "SECONDS PEAK_RSS_MB"
python -m tests.bench.export_probe DATA_DIR floor OUT   -> the same for the reference:
    plain sqlite3 reading every live contact with its emails, phones and addresses,
    written by Python's csv module as it is read
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import time
from pathlib import Path

from tests.bench.app_probe import peak_rss_mb

_FLOOR_QUERY = """
SELECT c.display_name, c.given_name, c.family_name, c.company_name, c.title, c.city,
       (SELECT group_concat(address, ' ') FROM contact_emails WHERE contact_num = c.num),
       (SELECT group_concat(number, ' ') FROM contact_phones WHERE contact_num = c.num),
       (SELECT group_concat(street || ' ' || city, ' ') FROM contact_addresses
         WHERE contact_num = c.num)
  FROM contacts c WHERE c.deleted_at IS NULL
"""


def export(data_dir: Path, format: str, out: Path) -> int:
    from db.engine import open_database
    from db.exports import export_ids
    from desktop.interop.export import write_export

    db = open_database(data_dir)
    with db.reading() as session:
        count = write_export(session, export_ids(session), format, out)
    db.close()
    return count


def floor(data_dir: Path, out: Path) -> int:
    connection = sqlite3.connect(data_dir / "callsheet.db")
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in connection.execute(_FLOOR_QUERY):
            writer.writerow(row)
            count += 1
    connection.close()
    return count


if __name__ == "__main__":
    folder, what, target = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    started = time.perf_counter()
    written = floor(folder, target) if what == "floor" else export(folder, what, target)
    print(f"{time.perf_counter() - started:.3f} {peak_rss_mb():.1f} {written}", flush=True)
