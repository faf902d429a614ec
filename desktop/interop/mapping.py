"""From table rows to contact drafts, with every problem tied to its row and column.

A row with a problem is reported, not fatal: the plan holds the rows that can be
imported and, for the others, what is wrong where (row number as the spreadsheet
shows it, the column's header, why)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from db.contacts import AddressValue, ContactDraft, EmailValue, PhoneValue, UrlValue, validate
from db.errors import ValidationError
from desktop.interop.countries import country_code
from desktop.interop.table import Table

_GROUP_SPLIT = re.compile(r"\s*(?::::|;)\s*")
_SYSTEM_GROUPS = {"* myContacts", "* starred", "My Contacts"}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PlannedRow:
    row: int
    draft: ContactDraft | None
    groups: tuple[str, ...] = ()
    problems: tuple[RowProblem, ...] = ()


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)

    @property
    def ready(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.draft is not None]

    @property
    def problems(self) -> list[RowProblem]:
        return [problem for row in self.rows for problem in row.problems]


def plan_rows(table: Table, mapping: dict[str, str], default_region: str = "US") -> ImportPlan:
    """Each row as a validated draft, or the reasons it cannot be one."""
    plan = ImportPlan()
    columns = {header: n for n, header in enumerate(table.headers)}
    for index, cells in enumerate(table.rows):
        number = table.row_number(index)
        values: dict[str, tuple[str, str]] = {}  # field -> (value, header)
        for header, target in mapping.items():
            position = columns.get(header)
            if position is not None and position < len(cells) and cells[position].strip():
                values[target] = (cells[position].strip(), header)
        plan.rows.append(_plan_row(number, values, default_region, number in table.ragged))
    return plan


def _plan_row(
    number: int, values: dict[str, tuple[str, str]], region: str, ragged: bool
) -> PlannedRow:
    problems: list[RowProblem] = []
    if ragged:
        problems.append(RowProblem(number, "", "has a different number of cells than the header"))

    def text(key: str) -> str:
        return values.get(key, ("", ""))[0]

    birthday = None
    if "birthday" in values:
        try:
            birthday = parse_birthday(text("birthday"))
        except ValueError as error:
            problems.append(RowProblem(number, values["birthday"][1], str(error)))
    sources: dict[str, str] = {}
    emails: list[EmailValue] = []
    phones: list[PhoneValue] = []
    for key, (value, header) in values.items():
        kind, _, label = key.partition(":")
        if kind == "email":
            sources[f"emails[{len(emails)}]"] = header
            emails.append(EmailValue(value, label, not emails))
        elif kind == "phone":
            sources[f"phones[{len(phones)}]"] = header
            phones.append(PhoneValue(value, label, not phones))
    address = AddressValue(
        street=text("address:street"),
        city=text("address:city"),
        region=text("address:region"),
        postal_code=text("address:postal_code"),
        country=country_code(text("address:country")),
        is_primary=True,
    )
    draft = ContactDraft(
        prefix=text("prefix"),
        given_name=text("given_name"),
        middle_name=text("middle_name"),
        family_name=text("family_name"),
        suffix=text("suffix"),
        display_name=text("display_name"),
        nickname=text("nickname"),
        title=text("title"),
        department=text("department"),
        company=text("company"),
        birthday=birthday,
        background=text("background"),
        emails=tuple(emails),
        phones=tuple(phones),
        addresses=(address,) if (address.street or address.city or address.country) else (),
        urls=(UrlValue(text("url:work")),) if text("url:work") else (),
        default_region=region,
    )
    groups = tuple(
        name for name in _GROUP_SPLIT.split(text("groups")) if name and name not in _SYSTEM_GROUPS
    )
    try:
        draft = validate(draft)
    except ValidationError as error:
        for key, message in error.problems.items():
            column = sources.get(key) or _column_for(key, values)
            problems.append(RowProblem(number, column, message))
    if problems:
        return PlannedRow(number, None, groups, tuple(problems))
    return PlannedRow(number, replace(draft, default_region=region), groups)


def parse_birthday(value: str) -> date | None:
    """ISO dates, US-style 5/17/1980 (Outlook), and Outlook's empty "0/0/00"."""
    value = value.strip()
    if value in ("", "0/0/00", "0/0/0000", "00.00.0000"):
        return None
    if value.startswith("--"):  # a vCard-style birthday without a year
        value = "1604" + value[1:]
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", value)
    if match:
        month, day, year = (int(part) for part in match.groups())
        year += 1900 if year < 100 else 0
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise ValueError(f"“{value}” is not a date (expected 1980-05-17 or 5/17/1980)")


def _column_for(key: str, values: dict[str, tuple[str, str]]) -> str:
    simple = {"name": "given_name"}.get(key, key)
    for target, (_value, header) in values.items():
        if target == simple or target.startswith(simple.rstrip("s") + ":"):
            return header
    return ""
