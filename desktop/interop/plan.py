"""What an import file holds, record by record, before anything is written: each
record as a validated draft with what a contact carries beside it (groups, profiles,
photo, kept vCard lines), or the problems that keep it out (row, column, why)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from db.contact_values import ContactDraft

STANDARD_LABELS = {"work", "home", "mobile", "other", "fax", "pager", "main", "cell"}


def normal_label(text: str) -> str:
    """A label as Callsheet keeps it: the standard ones in lower case ("Work" -> "work"),
    any other as the user wrote it."""
    text = text.strip()
    return text.lower() if text.lower() in STANDARD_LABELS else text


def record_id(text: str) -> uuid.UUID | None:
    """The contact id a UID (or "referred by") value names: Callsheet's own UUIDs as
    they are, another app's UID as a stable uuid5 of it, so importing the file again
    finds the same contact."""
    text = text.strip()
    if not text:
        return None
    try:
        return uuid.UUID(text.removeprefix("urn:uuid:"))
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, text)


def is_foreign_uid(text: str) -> bool:
    """Whether a UID is another app's (not a UUID Callsheet would write)."""
    try:
        uuid.UUID(text.strip().removeprefix("urn:uuid:"))
    except ValueError:
        return True
    return False


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str
    unit: str = "row"  # "row" of a table, "card" of a vCard file, "item" of a calendar

    def __str__(self) -> str:
        where = f"{self.unit} {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PlannedRow:
    """One record of the file. `row` is the spreadsheet row or the vCard's number.
    `problems` may hold warnings on a row that still imports (a photo left out)."""

    row: int
    draft: ContactDraft | None
    groups: tuple[str, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    profiles: tuple[str, ...] = ()  # profile URLs or handles, as social.profiles reads them
    photo: bytes | None = None
    vcard_extra: tuple[str, ...] = ()
    uid: uuid.UUID | None = None
    referred_by_uid: uuid.UUID | None = None
    unit: str = "row"


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    # Columns of a table that hold values no field takes: said before anything is written.
    unmapped: tuple[str, ...] = ()

    @property
    def ready(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.draft is not None]

    @property
    def problems(self) -> list[RowProblem]:
        return [problem for row in self.rows for problem in row.problems]

    @property
    def rejected(self) -> int:
        return sum(1 for row in self.rows if row.draft is None)
