"""What SQLite plans to do for the statements a piece of code runs: each statement is
captured as it is sent, with its parameters, and asked again under `EXPLAIN QUERY PLAN`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event

# A full pass over a table, or over all of one of its indexes.
_SCAN = re.compile(
    r"^SCAN (?P<table>\w+)(?: AS \w+)?(?: USING (?:COVERING )?INDEX (?P<index>\w+))?$"
)


@dataclass(frozen=True)
class Plan:
    statement: str
    steps: tuple[str, ...]

    def scans(self) -> list[tuple[str, str | None]]:
        """(table, index or None) of every step that reads a whole table or index."""
        found = []
        for step in self.steps:
            match = _SCAN.match(step)
            if match:
                found.append((match["table"], match["index"]))
        return found

    def __str__(self) -> str:
        return self.statement.strip() + "\n" + "\n".join(f"  {s}" for s in self.steps)


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent through `engine` inside the block, with its parameters."""
    sent: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("EXPLAIN", "PRAGMA", "BEGIN")):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def plans_of(engine: Engine, action: Callable[[], object]) -> list[Plan]:
    """The plan of every statement `action` runs."""
    with statements(engine) as sent:
        action()
    plans = []
    with engine.connect() as conn:
        for statement, parameters in sent:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            plans.append(Plan(statement, tuple(str(row[3]) for row in rows)))
    return plans


def as_if_grown(engine: Engine, factor: float) -> None:
    """Give the planner the statistics of a book `factor` times this one's size: ANALYZE
    it, then scale each index's row count, and its rows per key where the key has few
    values (a status, a kind: a bigger book has more rows per value, not more values).
    Connections opened afterwards read them."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
        rows = conn.exec_driver_sql("SELECT tbl, idx, stat FROM sqlite_stat1").all()
        for table, index, stat in rows:
            numbers = [int(t) for t in stat.split() if t.isdigit()]
            words = [t for t in stat.split() if not t.isdigit()]  # "unordered" and such
            total, *per_key = numbers
            grown = [round(n * factor) if n * 100 > total else n for n in per_key]
            figures = " ".join([str(round(total * factor)), *map(str, grown), *words])
            conn.exec_driver_sql(
                "UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?",
                (figures, table, index),
            )
