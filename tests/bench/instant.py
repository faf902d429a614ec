"""Issue 17's figures: is a big book instant? Each figure comes with its reference,
measured in the same run on the same machine.

- select the next contact: the Down key, the detail pane filled, both panes painted
  (p50, p95), walking 200 rows from the middle of the list
- start-up to the list painted with rows, against a bare Qt window painting
- `callsheet find` and `callsheet agenda` as whole processes, against a Python that
  only imports sqlite3
- lookup over a mixed query set, against raw FTS5 (tests/bench/lookup.py)
- export of the whole book to CSV and to vCard, seconds and peak memory, against plain
  sqlite3 + csv writing the same contacts (tests/bench/export_probe.py)
- bytes per contact in the database file, against the CSV export's
- peak memory of the app after scrolling the whole list and a few lookups
- the walkthrough's interactive steps (find, a contact, the call sheet, the task list,
  the calendar, delete and undo, a group as a call list, logging, merging, a group's
  members changed), each until on screen (tests/bench/app_probe.py walk)

`python -m tests.bench instant` also runs the CSV import's figures at 100,000 rows
(tests/bench/interop.py): every target of issue 17 from one command.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench import lookup
from tests.bench.databases import seeded
from tests.locations import ROOT

PROBE = [sys.executable, "-m", "tests.bench.app_probe"]
CLI = [sys.executable, "-m", "desktop"]
RUNS = 5


def compile_bytecode() -> None:
    """Compile the project's modules, as installing it does (pip, and the packaged app,
    ship bytecode): this machine sets PYTHONDONTWRITEBYTECODE, so a source checkout
    would otherwise compile every module of ours at every start (about 150 ms)."""
    for package in ("db", "desktop", "tests"):
        compileall.compile_dir(ROOT / package, quiet=1)


def run(contacts: int) -> dict[str, float]:
    """Every figure for a book of `contacts` (seeded once, then cached)."""
    folder = seeded(contacts)
    compile_bytecode()
    figures: dict[str, float] = {"contacts": contacts}
    with tempfile.TemporaryDirectory() as config:
        os.environ["CALLSHEET_CONFIG_DIR"] = config
        figures.update(_select(folder, contacts))
        figures.update(_startup(folder))
        figures.update(_cli(folder))
        figures.update(_lookup(folder))
        figures.update(_export(folder, contacts))
        figures.update(_memory(folder))
        figures.update(_walk(folder))
    return figures


def _select(folder: Path, contacts: int) -> dict[str, float]:
    output = subprocess.check_output(
        [*PROBE, "select", str(folder), str(contacts // 2)], text=True, env=offscreen_env()
    )
    times = [float(t) for t in output.split()]
    return {
        "select_p50_ms": statistics.median(times),
        "select_p95_ms": lookup.percentile(times, 0.95),
        "select_max_ms": max(times),
    }


def _startup(folder: Path) -> dict[str, float]:
    starts = [
        timed_lines([*PROBE, "paint", str(folder)], ("painted", "ready")) for _ in range(RUNS)
    ]
    bare = statistics.median(timed([*PROBE, "bare"], "painted") for _ in range(RUNS))
    return {
        "startup_s": statistics.median(s["painted"] for s in starts),
        "startup_ready_s": statistics.median(s["ready"] for s in starts),
        "bare_window_s": bare,
    }


def _cli(folder: Path) -> dict[str, float]:
    data = ["--data-dir", str(folder)]
    figures = {
        "find_s": statistics.median(timed([*CLI, *data, "find", "maya"]) for _ in range(RUNS)),
        "agenda_s": statistics.median(timed([*CLI, *data, "agenda"]) for _ in range(RUNS)),
        "python_sqlite3_s": statistics.median(
            timed([sys.executable, "-c", "import sqlite3"]) for _ in range(RUNS)
        ),
    }
    return figures


def _lookup(folder: Path) -> dict[str, float]:
    found = lookup.run(folder)
    return {"lookup_p95_ms": found["p95_ms"], "lookup_raw_p95_ms": found["raw_p95_ms"]}


def _export(folder: Path, contacts: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as work:
        for what in ("csv", "vcf", "floor", "floor-full"):
            out = Path(work) / f"book.{what}"
            seconds, rss, _count = subprocess.check_output(
                [sys.executable, "-m", "tests.bench.export_probe", str(folder), what, str(out)],
                text=True,
            ).split()
            figures[f"export_{what}_s"] = float(seconds)
            figures[f"export_{what}_rss_mb"] = float(rss)
            if what == "csv":
                figures["csv_bytes_per_contact"] = out.stat().st_size / contacts
            out.unlink()
    database = folder / "callsheet.db"
    figures["db_bytes_per_contact"] = database.stat().st_size / contacts
    return figures


def _walk(folder: Path) -> dict[str, float]:
    """The walkthrough's interactive steps, each until on screen (see app_probe.walk)."""
    with tempfile.TemporaryDirectory() as shots:
        command = [*PROBE, "walk", str(folder), shots]
        output = subprocess.check_output(command, text=True, env=offscreen_env())
    steps = (line.rsplit(": ", 1) for line in output.splitlines() if line.endswith(" ms"))
    return {f"walk: {name}": float(ms.split()[0]) for name, ms in steps}


def _memory(folder: Path) -> dict[str, float]:
    output = subprocess.check_output(
        [*PROBE, "memory", str(folder)], text=True, env=offscreen_env()
    )
    return {"scrolled_rss_mb": float(output.split()[-1])}


def offscreen_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def timed(command: list[str], expect: str | None = None) -> float:
    """Seconds from starting `command` to its line `expect` (or to its end)."""
    if expect is not None:
        return timed_lines(command, (expect,))[expect]
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, env=offscreen_env(), check=False)
    return time.perf_counter() - started


def timed_lines(command: list[str], expect: tuple[str, ...]) -> dict[str, float]:
    """Seconds from starting `command` to each of its lines `expect`, in order."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=offscreen_env())
    assert process.stdout is not None
    seen: dict[str, float] = {}
    with process.stdout:
        for line in process.stdout:  # to the end: a pipe closed early breaks its writes
            if line.strip() in expect and line.strip() not in seen:
                seen[line.strip()] = time.perf_counter() - started
    process.wait(timeout=120)
    return seen


def report(f: dict[str, float]) -> None:
    n = int(f["contacts"])
    print(f"instant at {n:,} contacts")
    print(
        f"  select the next contact: p50 {f['select_p50_ms']:.1f} ms, p95 "
        f"{f['select_p95_ms']:.1f} ms, worst {f['select_max_ms']:.1f} ms (target p95 <= 30)"
    )
    print(
        f"  start-up to the list painted: {f['startup_s']:.2f} s (the book open behind it: "
        f"{f['startup_ready_s']:.2f} s); a bare Qt window "
        f"{f['bare_window_s']:.2f} s; ratio {f['startup_s'] / f['bare_window_s']:.1f}"
    )
    print(
        f"  callsheet find: {f['find_s']:.2f} s, agenda: {f['agenda_s']:.2f} s; python "
        f"importing sqlite3 {f['python_sqlite3_s']:.2f} s; find ratio "
        f"{f['find_s'] / f['python_sqlite3_s']:.1f}"
    )
    print(
        f"  lookup p95 {f['lookup_p95_ms']:.2f} ms; raw FTS5 p95 {f['lookup_raw_p95_ms']:.2f} ms;"
        f" ratio {f['lookup_p95_ms'] / f['lookup_raw_p95_ms']:.1f}"
    )
    for what in ("csv", "vcf"):
        print(
            f"  export {what}: {f[f'export_{what}_s']:.1f} s, peak RSS "
            f"{f[f'export_{what}_rss_mb']:.0f} MB; sqlite3 + csv floor "
            f"{f['export_floor_s']:.1f} s, {f['export_floor_rss_mb']:.0f} MB; ratio "
            f"{f[f'export_{what}_s'] / f['export_floor_s']:.1f}; the floor reading every "
            f"field written {f['export_floor-full_s']:.1f} s, ratio "
            f"{f[f'export_{what}_s'] / f['export_floor-full_s']:.1f}"
        )
    print(
        f"  database: {f['db_bytes_per_contact']:,.0f} bytes per contact; its CSV export "
        f"{f['csv_bytes_per_contact']:,.0f}"
    )
    print(f"  app peak RSS after scrolling the whole list: {f['scrolled_rss_mb']:.0f} MB")
    walked = ", ".join(f"{k[6:]} {v:.0f} ms" for k, v in f.items() if k.startswith("walk: "))
    print(f"  the walkthrough's steps, each until painted: {walked}")
