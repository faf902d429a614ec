"""Contacts to a CSV a spreadsheet opens cleanly: UTF-8 with a BOM (so Excel reads the
accents), CRLF rows, Google Contacts' column names, numbered columns for as many
emails, phones, addresses, web sites, profiles and custom fields as the widest contact
has. Callsheet reads the file back field for field (presets.NUMBERED)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO

from db.contact_values import ExportedContact
from db.exports import PartCounts
from desktop.interop.vcard import NO_YEAR

# OWASP's list of what makes a spreadsheet cell a formula (or a DDE call, "|").
FORMULA_STARTS = ("=", "+", "-", "@", "|", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+\-]?[\d\s().\-/]*")

SCALARS = (
    ("UID", lambda d: f"urn:uuid:{d.id}"),
    ("Display Name", lambda d: d.display_name),
    ("Name Prefix", lambda d: d.prefix),
    ("First Name", lambda d: d.given_name),
    ("Middle Name", lambda d: d.middle_name),
    ("Last Name", lambda d: d.family_name),
    ("Name Suffix", lambda d: d.suffix),
    ("Nickname", lambda d: d.nickname),
    ("Organization Name", lambda d: d.company),
    ("Organization Title", lambda d: d.title),
    ("Organization Department", lambda d: d.department),
    ("Birthday", lambda d: _birthday(d.birthday)),
    ("Notes", lambda d: d.background),
    ("Owner", lambda d: d.owner),
    ("Labels", lambda d: " ::: ".join(g.name for g in d.groups)),
    ("Referred By", lambda d: f"urn:uuid:{d.referred_by_id}" if d.referred_by_id else ""),
)
ADDRESS_PARTS = ("Street", "City", "Region", "Postal Code", "Country")


def _birthday(day: object) -> str:
    if day is None:
        return ""
    text = day.isoformat()  # type: ignore[attr-defined]
    return "--" + text[5:] if text.startswith(str(NO_YEAR)) else text


def _label(label: str, primary: bool) -> str:
    return ("* " if primary else "") + label


def header(widths: dict[str, int]) -> list[str]:
    columns = [name for name, _ in SCALARS]
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


def row(contact: ExportedContact, widths: dict[str, int]) -> list[str]:
    d = contact.details
    cells = [value(d) for _, value in SCALARS]

    def pad(values: Sequence[Sequence[str]], kind: str, size: int) -> None:
        for n in range(widths[kind]):
            cells.extend(values[n] if n < len(values) else [""] * size)

    pad([(_label(e.label, e.is_primary), e.address) for e in d.emails], "E-mail", 2)
    pad([(_label(p.label, p.is_primary), p.number, p.e164 or "") for p in d.phones], "Phone", 3)
    pad(
        [
            (_label(a.label, a.is_primary), a.street, a.city, a.region, a.postal_code, a.country)
            for a in d.addresses
        ],
        "Address",
        6,
    )
    pad([(u.label, u.url) for u in d.urls], "Website", 2)
    pad([(p.url,) for p in contact.profiles], "Profile", 1)
    pad(list(d.custom_fields.items()), "Custom Field", 2)
    return cells


def guarded(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, | first) gets an apostrophe
    in front, which spreadsheets show as text (OWASP's advice); phone numbers and plain
    numbers stay as they are. The import takes the apostrophe off again."""
    if cell[:1] in FORMULA_STARTS and not _NUMBER_LIKE.fullmatch(cell):
        return "'" + cell
    return cell


def write_csv(contacts: Iterable[ExportedContact], parts: PartCounts, out: IO[str]) -> int:
    """Write the header for contacts as wide as `parts`, then each contact's row as it
    comes (nothing is held); returns how many rows."""
    widths = widths_of(parts)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(widths))
    count = 0
    for contact in contacts:
        writer.writerow([guarded(cell) for cell in row(contact, widths)])
        count += 1
    return count
