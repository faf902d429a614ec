"""Runs inside a child process: one export, with its seconds and peak memory.

python -m tests.bench.export_probe DATA_DIR csv|vcf OUT -> "SECONDS PEAK_RSS_MB"
python -m tests.bench.export_probe DATA_DIR floor OUT   -> the same for the reference:
    plain sqlite3 reading every live contact with its emails, phones and addresses,
    written by Python's csv module as it is read
python -m tests.bench.export_probe DATA_DIR floor-full OUT -> the same for a reference
    reading every field the export writes (every column of the CSV export, all six
    kinds of values and links, one cell per kind), in rowid order
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

_ALL_VALUES = """
       (SELECT group_concat(coalesce(label, '') || ' ' || address, ' ') FROM contact_emails
         WHERE contact_num = c.num),
       (SELECT group_concat(label || ' ' || number || ' ' || coalesce(e164, ''), ' ')
          FROM contact_phones WHERE contact_num = c.num),
       (SELECT group_concat(label || ' ' || coalesce(street, '') || ' ' || coalesce(city, '')
               || ' ' || coalesce(region, '') || ' ' || coalesce(postal_code, '') || ' '
               || coalesce(country, ''), ' ')
          FROM contact_addresses WHERE contact_num = c.num),
       (SELECT group_concat(label || ' ' || url, ' ') FROM contact_urls
         WHERE contact_num = c.num),
       (SELECT group_concat(g.name, ' ') FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.contact_id = c.id),
       (SELECT group_concat(url, ' ') FROM social_profiles WHERE contact_id = c.id)
"""
_FULL_FLOOR_QUERY = f"""
SELECT hex(c.id), c.display_name, c.prefix, c.given_name, c.middle_name, c.family_name,
       c.suffix, c.nickname, c.company_name, c.title, c.department, c.birthday,
       c.background, c.owner, hex(c.referred_by_id), c.custom_fields, {_ALL_VALUES}
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


def floor(data_dir: Path, out: Path, query: str) -> int:
    connection = sqlite3.connect(data_dir / "callsheet.db")
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in connection.execute(query):
            writer.writerow(row)
            count += 1
    connection.close()
    return count


FLOORS = {"floor": _FLOOR_QUERY, "floor-full": _FULL_FLOOR_QUERY}

if __name__ == "__main__":
    folder, what, target = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    started = time.perf_counter()
    if what in FLOORS:
        written = floor(folder, target, FLOORS[what])
    else:
        written = export(folder, what, target)
    print(f"{time.perf_counter() - started:.3f} {peak_rss_mb():.1f} {written}", flush=True)
