"""Callsheet benchmarks. Each prints its figures and a reference measured in the same run.

    python -m tests.bench lookup --contacts 1000000
    python -m tests.bench seed --contacts 100000
    python -m tests.bench startup --contacts 100000
    python -m tests.bench scroll --contacts 1000000
    python -m tests.bench memory --contacts 1000000
    python -m tests.bench follow-ups --contacts 1000000
    python -m tests.bench interop --contacts 100000    (import, export, duplicate scan)
    python -m tests.bench duplicates --contacts 100000 (precision on planted duplicates)
    python -m tests.bench ui-stall --contacts 100000   (the UI thread during an import)
    python -m tests.bench migrations --contacts 1000000 (each upgrade step, at N/4 and N)
    python -m tests.bench sync --contacts 10000        (against Radicale on loopback)
    python -m tests.bench sync-steady --contacts 100000  (a book in step: no-op, one change)
    python -m tests.bench packaged            (after bash .ci/build)
    python -m tests.bench instant --contacts 1000000  (issue 17's figures, see instant.py)
    python -m tests.bench upgrade-check --contacts 1000000 (nothing lost by an upgrade)
    python -m tests.bench all --contacts 1000000      (startup uses 100,000)

Seeded databases are cached in ~/.cache/callsheet-bench (CALLSHEET_BENCH_DIR).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench import (
    duplicates,
    follow_ups,
    instant,
    interop,
    lookup,
    migrations,
    sync,
    sync_steady,
    ui_stall,
    upgrade_check,
)
from tests.bench.databases import seeded
from tests.bench.instant import timed

PROBE = [sys.executable, "-m", "tests.bench.app_probe"]


def bench_lookup(contacts: int) -> None:
    figures = lookup.run(seeded(contacts))
    print(
        f"lookup over {contacts:,} contacts, {figures['queries']} queries: "
        f"p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms; raw FTS5 MATCH "
        f"LIMIT 50: p50 {figures['raw_p50_ms']:.2f} ms, p95 {figures['raw_p95_ms']:.2f} ms"
    )
    print(
        f"lookup p50_ms={figures['p50_ms']:.2f} p95_ms={figures['p95_ms']:.2f} "
        f"raw_p95_ms={figures['raw_p95_ms']:.2f} ratio={figures['ratio']:.1f}"
    )


def bench_seed(contacts: int) -> None:
    from db.engine import open_database
    from desktop.demo import seed

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder))
        started = time.perf_counter()
        seed(db, contacts, seed=1)
        elapsed = time.perf_counter() - started
        with db.engine.connect() as conn:
            rows = sum(  # a lookup document per contact counted as a row
                conn.exec_driver_sql(sql).scalar_one()
                for sql in (
                    *(
                        f"SELECT count(*) FROM {table}"
                        for table in (
                            "contacts",
                            "contact_emails",
                            "contact_phones",
                            "contact_addresses",
                            "change_journal",
                        )
                    ),
                    "SELECT count(*) FROM contacts WHERE lookup_rowid IS NOT NULL",
                )
            )
        db.close()
    print(
        f"seed contacts={contacts} seconds={elapsed:.1f} contacts_per_s={contacts / elapsed:.0f} "
        f"rows_per_s={rows / elapsed:.0f}"
    )


def bench_startup(contacts: int, runs: int = 5) -> None:
    folder = seeded(contacts)
    instant.compile_bytecode()
    with tempfile.TemporaryDirectory() as config:
        os.environ["CALLSHEET_CONFIG_DIR"] = config
        app = [timed([*PROBE, "paint", str(folder)], "painted") for _ in range(runs)]
        qt = [timed([*PROBE, "bare"], "painted") for _ in range(runs)]
    print(
        f"startup contacts={contacts} painted_s={statistics.median(app):.3f} "
        f"bare_window_s={statistics.median(qt):.3f} "
        f"ratio={statistics.median(app) / statistics.median(qt):.1f}"
    )


def bench_scroll(contacts: int) -> None:
    folder = seeded(contacts)
    row = int(contacts * 0.9)
    with tempfile.TemporaryDirectory() as config:
        os.environ["CALLSHEET_CONFIG_DIR"] = config
        deep = [
            float(
                subprocess.check_output(
                    [*PROBE, "scroll", str(folder), str(row)], text=True
                ).split()[-1]
            )
            for _ in range(3)
        ]
        near = [
            float(
                subprocess.check_output([*PROBE, "scroll", str(folder), "300"], text=True).split()[
                    -1
                ]
            )
            for _ in range(3)
        ]
    print(
        f"scroll contacts={contacts} to_row={row} seconds={statistics.median(deep):.3f} "
        f"to_row_300_seconds={statistics.median(near):.3f}"
    )


def bench_memory(contacts: int) -> None:
    folder = seeded(contacts)
    small = seeded(1000)
    with tempfile.TemporaryDirectory() as config:
        os.environ["CALLSHEET_CONFIG_DIR"] = config
        big = float(subprocess.check_output([*PROBE, "memory", str(folder)], text=True).split()[-1])
        ref = float(subprocess.check_output([*PROBE, "memory", str(small)], text=True).split()[-1])
    print(
        f"memory contacts={contacts} peak_rss_mb={big:.0f} "
        f"peak_rss_mb_at_1000={ref:.0f} ratio={big / ref:.2f}"
    )


def bench_follow_ups(contacts: int) -> None:
    f = follow_ups.run(seeded(contacts))
    print(
        f"follow-ups over {contacts:,} contacts, {f['activities']:,.0f} activities "
        f"({f['open']:,.0f} open):"
    )
    for bucket in ("overdue", "today", "upcoming", "open", "done"):
        print(
            f"  task list {bucket}: {f[f'tasks_{bucket}_ms']:.1f} ms "
            f"({f[f'tasks_{bucket}_rows']:,.0f} rows)"
        )
    print(f"  task list opened (rows and the five tab counts): {f['tasks_full_ms']:.1f} ms")
    for mode in ("month", "week", "day"):
        print(f"  calendar {mode}: {f[f'calendar_{mode}_ms']:.1f} ms")
    buckets = ("overdue", "today", "upcoming", "open", "done")
    worst_tasks = max([f[f"tasks_{b}_ms"] for b in buckets] + [f["tasks_full_ms"]])
    print(
        f"follow_ups tasks_worst_ms={worst_tasks:.1f} month_ms={f['calendar_month_ms']:.1f} "
        f"week_ms={f['calendar_week_ms']:.1f} contact_list_ms={f['contact_list_ms']:.1f} "
        f"ratio={max(worst_tasks, f['calendar_month_ms']) / f['contact_list_ms']:.1f}"
    )


def bench_packaged(_contacts: int, runs: int = 5) -> None:
    """The packaged app's cold start (selftest: window, add, find, close) against the
    same from source, on fresh data folders."""
    binary = Path("dist/Callsheet/callsheet")
    if not binary.exists():
        raise SystemExit("build the bundle first: bash .ci/build")
    files = Path("dist/Callsheet").rglob("*")
    size = sum(f.stat().st_size for f in files if f.is_file() and not f.is_symlink())
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CALLSHEET_CONFIG_DIR"] = folder

        def selftest(command: list[str], n: int) -> float:
            return timed([*command, "--data-dir", f"{folder}/data{n}", "selftest"])

        packaged = [selftest([str(binary)], n) for n in range(runs)]
        source = [selftest([sys.executable, "-m", "desktop"], runs + n) for n in range(runs)]
    print(
        f"packaged bundle_mb={size / 1e6:.0f} selftest_s={statistics.median(packaged):.2f} "
        f"source_selftest_s={statistics.median(source):.2f} "
        f"ratio={statistics.median(packaged) / statistics.median(source):.2f}"
    )


def bench_instant(contacts: int) -> None:
    """Every figure issue 17 sets a target for: the book's at `contacts`, then the CSV
    import's at 100,000 rows (the size its target names)."""
    instant.report(instant.run(contacts))
    bench_interop(100_000)


def bench_upgrade_check(contacts: int) -> None:
    upgrade_check.report(upgrade_check.run(contacts))


def bench_interop(contacts: int) -> None:
    interop.report(interop.run(seeded(contacts), contacts))


def bench_duplicates(contacts: int) -> None:
    duplicates.report(duplicates.run(contacts))


def bench_ui_stall(contacts: int) -> None:
    ui_stall.report(ui_stall.run(seeded(contacts)))


def bench_migrations(contacts: int) -> None:
    figures = migrations.run(contacts)
    small, full = figures["small"], figures["contacts"]
    for revision, seconds in figures["at_full"].items():  # type: ignore[attr-defined]
        before = figures["at_small"][revision]  # type: ignore[index]
        print(
            f"upgrade to {revision}: {before:.2f} s at {small:,}, {seconds:.2f} s at {full:,} "
            f"(x{seconds / max(before, 1e-3):.1f} for x{full / small:.0f} the contacts)"
        )


def bench_sync(contacts: int) -> None:
    f = sync.run(contacts)
    print(
        f"sync of {contacts:,} contacts with Radicale on loopback: first sync "
        f"{f['first_s']:.1f} s against the server's floor (a plain PUT loop of the same "
        f"cards) {f['floor_s']:.1f} s, ratio {f['first_ratio']:.2f}; peak RSS "
        f"{f['first_rss_mb']:.0f} MB; no-op sync {f['noop_s']:.2f} s "
        f"({f['noop_sent']:.0f} sent); one change pushed {f['push_one_s']:.2f} s, pulled "
        f"on another computer {f['pull_one_s']:.2f} s ({f['pushed']:.0f}/{f['pulled']:.0f})"
    )


def bench_sync_steady(contacts: int) -> None:
    f = sync_steady.run(contacts)
    print(
        f"sync of {contacts:,} contacts already in step with Radicale on loopback (set up "
        f"in {f['setup_s']:.0f} s): no-op sync {f['noop_s']:.2f} s ({f['noop_sent']:.0f} "
        f"sent) against the server's own answer to the same question {f['floor_s']:.2f} s, "
        f"ratio {f['noop_ratio']:.1f}; one change pushed {f['push_one_s']:.2f} s, pulled on "
        f"another computer {f['pull_one_s']:.2f} s ({f['pushed']:.0f}/{f['pulled']:.0f}), "
        f"against one plain PUT {f['put_floor_s']:.2f} s + that REPORT "
        f"= {f['one_floor_s']:.2f} s; no-op there afterwards {f['noop_after_s']:.2f} s; the "
        f"collection's sync token alone (PROPFIND Depth 0) {f['token_s']:.2f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "what",
        choices=[
            "lookup",
            "seed",
            "startup",
            "scroll",
            "memory",
            "follow-ups",
            "interop",
            "duplicates",
            "ui-stall",
            "migrations",
            "sync",
            "sync-steady",
            "packaged",
            "instant",
            "upgrade-check",
            "all",
        ],
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    jobs = {
        "lookup": bench_lookup,
        "seed": bench_seed,
        "startup": bench_startup,
        "scroll": bench_scroll,
        "memory": bench_memory,
        "follow-ups": bench_follow_ups,
        "interop": bench_interop,
        "duplicates": bench_duplicates,
        "ui-stall": bench_ui_stall,
        "migrations": bench_migrations,
        "sync": bench_sync,
        "sync-steady": bench_sync_steady,
        "packaged": bench_packaged,
        "instant": bench_instant,
        "upgrade-check": bench_upgrade_check,
    }
    if args.what == "all":
        bench_seed(min(args.contacts, 200_000))
        bench_startup(100_000)
        bench_scroll(args.contacts)
        bench_memory(args.contacts)
        bench_lookup(args.contacts)
        bench_follow_ups(args.contacts)
        bench_interop(100_000)
        bench_duplicates(100_000)
        bench_ui_stall(100_000)
    else:
        jobs[args.what](args.contacts)


if __name__ == "__main__":
    main()
