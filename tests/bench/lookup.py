"""Lookup latency through db/search.py against the raw FTS5 query, same queries, same run."""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from db.engine import open_database
from db.lookup_query import match_expression
from db.search import LOOKUP


def realistic_queries(folder: Path, count: int = 60) -> list[str]:
    """What reps type: name starts, whole names, companies, cities, phone and email bits."""
    db = open_database(folder)
    rng = random.Random(7)
    with db.engine.connect() as conn:
        top = conn.exec_driver_sql("SELECT max(rowid) FROM contacts").scalar_one()
        rows = []
        while len(rows) < count:
            row = conn.exec_driver_sql(
                "SELECT given_name, family_name, company_name, city, "
                "(SELECT number FROM contact_phones WHERE contact_num = c.num AND is_primary), "
                "(SELECT address FROM contact_emails WHERE contact_num = c.num AND is_primary) "
                "FROM contacts c WHERE rowid = ?",
                (rng.randint(1, top),),
            ).first()
            if row is not None:
                rows.append(row)
    db.close()
    queries = []
    for n, (given, family, company, city, phone, email) in enumerate(rows):
        kind = n % 6
        if kind == 0:
            queries.append(given[:2])
        elif kind == 1:
            queries.append(f"{given} {family[:3]}")
        elif kind == 2:
            queries.append((company or "x").split()[0][:5])
        elif kind == 3:
            queries.append(f"{(company or 'x').split()[0][:4]} {(city or 'x')[:3]}")
        elif kind == 4:
            digits = "".join(ch for ch in phone or "" if ch.isdigit())
            queries.append(f"{digits[:3]} {digits[3:5]}")
        else:
            queries.append((email or "x@y").split("@")[0][:6])
    return queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(folder: Path, rounds: int = 5, limit: int = 50) -> dict[str, float]:
    queries = realistic_queries(folder)
    db = open_database(folder)
    ours: list[float] = []
    raw: list[float] = []
    with db.reading() as session:
        conn = session.connection()
        for query in queries:  # warm the page cache the same way for both
            LOOKUP.lookup(session, query, limit)
        for _ in range(rounds):
            for query in queries:
                started = time.perf_counter()
                LOOKUP.lookup(session, query, limit)
                ours.append((time.perf_counter() - started) * 1000)
                expression = match_expression(query)
                started = time.perf_counter()
                conn.exec_driver_sql(
                    "SELECT rowid FROM contact_lookup WHERE contact_lookup MATCH ? LIMIT ?",
                    (expression, limit),
                ).all()
                raw.append((time.perf_counter() - started) * 1000)
    db.close()
    p50, p95 = statistics.median(ours), percentile(ours, 0.95)
    raw_p95 = percentile(raw, 0.95)
    return {
        "p50_ms": p50,
        "p95_ms": p95,
        "raw_p50_ms": statistics.median(raw),
        "raw_p95_ms": raw_p95,
        "ratio": p95 / raw_p95 if raw_p95 else float("inf"),
        "queries": len(queries) * rounds,
    }
