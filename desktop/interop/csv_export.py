"""Contacts to a CSV a spreadsheet opens cleanly: UTF-8 with a BOM (so Excel reads the
accents), CRLF rows, Google Contacts' column names, numbered columns for as many
emails, phones, addresses, web sites, profiles and custom fields as the widest contact
has. Callsheet reads the file back field for field (presets.NUMBERED)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from db.contact_values import NO_YEAR
from db.exports import PartCounts
from db.text import sort_key

# OWASP's list of what makes a spreadsheet cell a formula (or a DDE call, "|").
FORMULA_STARTS = ("=", "+", "-", "@", "|", "\t", "\r")
_FORMULA_START = frozenset(FORMULA_STARTS)
_NUMBER_LIKE = re.compile(r"[+\-]?[\d\s().\-/]*")

SCALARS = (
    "UID", "Display Name", "Name Prefix", "First Name", "Middle Name", "Last Name",
    "Name Suffix", "Nickname", "Organization Name", "Organization Title",
    "Organization Department", "Birthday", "Notes", "Owner", "Labels", "Referred By",
)  # fmt: skip
ADDRESS_PARTS = ("Street", "City", "Region", "Postal Code", "Country")


def _birthday(text: str) -> str:
    return "--" + text[5:] if text.startswith(_NO_YEAR) else text


def _label(label: str, primary: bool) -> str:
    return ("* " if primary else "") + label


_NO_YEAR = f"{NO_YEAR:04d}-"


def header(widths: dict[str, int]) -> list[str]:
    columns = list(SCALARS)
    for kind, parts in (
        ("E-mail", ("Label", "Value")),
        ("Phone", ("Label", "Value", "International")),
        ("Address", ("Label", *ADDRESS_PARTS)),
        ("Website", ("Label", "Value")),
        ("Profile", ("Value",)),
        ("Custom Field", ("Label", "Value")),
    ):
        for n in range(1, widths.get(kind, 0) + 1):
            columns += [f"{kind} {n} - {part}" for part in parts]
    return columns


def widths_of(parts: PartCounts) -> dict[str, int]:
    """The numbered columns each kind needs, from the widest contact's counts."""
    return {
        "E-mail": parts.emails,
        "Phone": parts.phones,
        "Address": parts.addresses,
        "Website": parts.urls,
        "Profile": parts.profiles,
        "Custom Field": parts.custom_fields,
    }


def row(contact: Sequence[str], widths: dict[str, int]) -> list[str]:
    """A contact's cells, from its `db.exports.flat_contacts` row."""
    uid, *names, birthday, notes, owner, referred_by, values, custom = contact
    groups, emails, phones, addresses, urls, profiles = json.loads(values)
    cells = [f"urn:uuid:{uid}", *names, _birthday(birthday), notes, owner]
    cells.append(" ::: ".join(sorted(groups, key=sort_key)))
    cells.append(referred_by and f"urn:uuid:{referred_by}")
    _pad(cells, _labelled(emails), widths["E-mail"] * 2)
    _pad(cells, _labelled(phones), widths["Phone"] * 3)
    _pad(cells, _labelled(addresses), widths["Address"] * 6)
    _pad(cells, urls, widths["Website"] * 2)
    _pad(cells, ((url,) for url in profiles), widths["Profile"])
    _pad(cells, json.loads(custom).items() if custom else (), widths["Custom Field"] * 2)
    return cells


def _labelled(values: list[list[Any]]) -> Iterator[list[str]]:
    """Values as [is_primary, label, ...] with their label marked when primary."""
    for is_primary, label, *rest in values:
        yield [_label(label, is_primary), *rest]


def _pad(cells: list[str], values: Iterable[Sequence[str]], width: int) -> None:
    """Append the values' cells, then blanks up to `width` cells."""
    before = len(cells)
    for value in values:
        cells.extend(value)
    cells.extend([""] * (width - (len(cells) - before)))


def guarded(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, | first) gets an apostrophe
    in front, which spreadsheets show as text (OWASP's advice); phone numbers and plain
    numbers stay as they are. The import takes the apostrophe off again."""
    if cell[:1] in _FORMULA_START and not _NUMBER_LIKE.fullmatch(cell):
        return "'" + cell
    return cell


def write_csv(contacts: Iterable[Sequence[str]], parts: PartCounts, out: IO[str]) -> int:
    """Write the header for contacts as wide as `parts`, then each contact's row (as
    `db.exports.flat_contacts` reads it) as it comes (nothing is held); returns how
    many rows."""
    widths = widths_of(parts)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(widths))
    count = 0
    for contact in contacts:
        # `guarded` asked only of cells that could need it: a call per cell cost 6 µs a row.
        writer.writerow(
            [guarded(c) if c[:1] in _FORMULA_START else c for c in row(contact, widths)]
        )
        count += 1
    return count
