"""From table rows to contact drafts, with every problem tied to its row and column.

A row with a problem is reported, not fatal: the plan holds the rows that can be
imported and, for the others, what is wrong where (row number as the spreadsheet
shows it, the column's header, why)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from db.contact_values import (
    NO_YEAR,
    AddressValue,
    ContactDraft,
    EmailValue,
    PhoneValue,
    UrlValue,
)
from db.errors import InputError, ValidationError
from db.gc_pause import cyclic_gc_paused
from desktop.interop.countries import country_code
from desktop.interop.csv_export import FORMULA_STARTS
from desktop.interop.plan import ImportPlan, PlannedRow, RowProblem, normal_label, record_id
from desktop.interop.presets import REPEATS_OTHERS
from desktop.interop.set_aside import field_for, keep_aside, note, validate_setting_aside
from desktop.interop.table import Table

_GROUP_SPLIT = re.compile(r"\s*(?::::|;)\s*")
_SYSTEM_GROUPS = {"* myContacts", "* starred", "My Contacts"}


def plan_rows(table: Table, mapping: dict[str, str], default_region: str = "US") -> ImportPlan:
    """Each row as a validated draft, or the reasons it cannot be one."""
    plan = ImportPlan()
    columns = {header: n for n, header in enumerate(table.headers)}
    wanted = [(columns[h], target, h) for h, target in mapping.items() if h in columns]
    layout = _layout([target for _, target, _ in wanted])
    ragged = set(table.ragged)
    plan.unmapped = _unmapped(table, {h for h, target in mapping.items() if target})
    with cyclic_gc_paused():
        for index, cells in enumerate(table.rows):
            number = table.row_number(index)
            values: dict[str, tuple[str, str]] = {}  # field -> (value, header)
            width = len(cells)
            for position, target, header in wanted:
                if position < width and (cell := cells[position].strip()):
                    values[target] = (_unguarded(cell), header)
            plan.rows.append(_plan_row(number, values, layout, default_region, number in ragged))
    return plan


def _unmapped(table: Table, mapped: set[str]) -> tuple[str, ...]:
    """Headers of the columns that hold something and that no field takes."""
    left = [
        (n, h)
        for n, h in enumerate(table.headers)
        if h.strip() and h not in mapped and not REPEATS_OTHERS.match(h)
    ]
    return tuple(header for n, header in left if _holds_values(table.rows, n))


def _holds_values(rows: list[list[str]], column: int) -> bool:
    """Whether any row has something other than blanks in `column` (ragged rows too)."""
    cells = (row[column] for row in rows if column < len(row))
    return any(cell and not cell.isspace() for cell in cells)


def _unguarded(cell: str) -> str:
    """A cell without the apostrophe an export put before a would-be formula."""
    if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _plan_row(
    number: int,
    values: dict[str, tuple[str, str]],
    layout: list[_SlotLayout],
    region: str,
    ragged: bool,
) -> PlannedRow:
    problems: list[RowProblem] = []
    if ragged:
        problems.append(RowProblem(number, "", "has a different number of cells than the header"))

    def text(key: str) -> str:
        return values.get(key, ("", ""))[0]

    warnings: list[RowProblem] = []  # values set aside; the rest of the row imports
    custom: dict[str, str] = {}
    birthday, birthday_error = None, None
    if "birthday" in values:
        try:
            birthday = parse_birthday(text("birthday"))
        except ValueError as error:
            birthday_error = RowProblem(number, values["birthday"][1], str(error))
            field = field_for("Birthday")
            keep_aside(custom, field, text("birthday"))
            warnings.append(replace(birthday_error, message=note(error, field)))
    sources: dict[str, str] = {}
    emails: list[EmailValue] = []
    phones: list[PhoneValue] = []
    urls: list[UrlValue] = []
    addresses: list[AddressValue] = []
    profiles: list[str] = []
    for kind, label, primary, parts in _slots(values, layout):
        value, header = parts.get("value", ("", ""))
        if kind == "address":
            address = AddressValue(
                street="\n".join(
                    parts[part][0] for part in ("po_box", "street", "street2") if part in parts
                ),
                city=parts.get("city", ("", ""))[0],
                region=parts.get("region", ("", ""))[0],
                postal_code=parts.get("postal_code", ("", ""))[0],
                country=country_code(parts.get("country", ("", ""))[0]),
                label=label or "work",
                is_primary=primary,
            )
            if address.street or address.city or address.postal_code or address.country:
                sources[f"addresses[{len(addresses)}]"] = header
                addresses.append(address)
            continue
        for n, piece in enumerate(_MULTI_SPLIT.split(value) if value else ()):
            first = primary and n == 0
            if kind == "email":
                sources[f"emails[{len(emails)}]"] = header
                emails.append(EmailValue(piece, label or "work", first))
            elif kind == "phone":
                sources[f"phones[{len(phones)}]"] = header
                e164 = parts.get("e164", ("", ""))[0] or None
                phones.append(PhoneValue(piece, label or "work", first, e164))
            elif kind == "url":
                sources[f"urls[{len(urls)}]"] = header
                urls.append(UrlValue(piece, label or "work"))
            elif kind == "profile":
                profiles.append(piece)
            elif kind == "custom":
                custom[label or header] = value
                break
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
        owner=text("owner"),
        emails=tuple(emails),
        phones=tuple(phones),
        addresses=tuple(addresses),
        urls=tuple(urls),
        custom_fields=custom,
        default_region=region,
    )
    # Google separates labels with " ::: " (so a label may hold ";"); Outlook uses ";".
    names = _MULTI_SPLIT.split(text("labels")) + _GROUP_SPLIT.split(text("groups"))
    groups = tuple(
        dict.fromkeys(n.strip() for n in names if n.strip() and n.strip() not in _SYSTEM_GROUPS)
    )
    try:
        draft, set_aside = validate_setting_aside(draft)
    except ValidationError as error:
        for key, message in error.problems.items():
            column = sources.get(key) or _column_for(key, values)
            problems.append(RowProblem(number, column, message))
    if problems:  # the row stays out: its bad birthday is reported as it stands
        found = problems + ([birthday_error] if birthday_error else [])
        return PlannedRow(number, None, groups, tuple(found))
    for aside in set_aside:
        column = sources.get(aside.key) or _column_for(aside.key, values)
        warnings.append(RowProblem(number, column, aside.note))
    return PlannedRow(
        number,
        draft,
        groups,
        problems=tuple(warnings),
        profiles=tuple(profiles),
        uid=record_id(text("uid")),
        referred_by_uid=record_id(text("referred_by")),
    )


_MULTI_SPLIT = re.compile(r"\s+:::\s+")


@dataclass(frozen=True)
class _SlotLayout:
    """Where one multi-valued slot's parts come from: a fixed-label target such as
    "phone:mobile", the fixed address parts, or a numbered slot ("email#2.value")."""

    kind: str
    label: str | None  # None for a numbered slot, whose label is in its cells
    parts: tuple[tuple[str, str], ...]  # (part, target)


def _layout(targets: list[str]) -> list[_SlotLayout]:
    """The slots of a mapping, worked out once for every row: fixed-label targets first,
    then the fixed address, then the numbered ones by number."""
    fixed: list[_SlotLayout] = []
    fixed_address: list[tuple[str, str]] = []
    numbered: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for target in targets:
        if "#" in target:
            kind, _, rest = target.partition("#")
            slot, _, part = rest.partition(".")
            numbered.setdefault((kind, int(slot)), []).append((part, target))
        elif target.startswith("address:"):
            fixed_address.append((target.partition(":")[2], target))
        elif ":" in target:
            kind, _, label = target.partition(":")
            fixed.append(_SlotLayout(kind, label, (("value", target),)))
    if fixed_address:
        fixed.append(_SlotLayout("address", "work", tuple(fixed_address)))
    ordered = sorted(numbered.items(), key=lambda item: item[0][1])
    return fixed + [_SlotLayout(kind, None, tuple(parts)) for (kind, _), parts in ordered]


def _slots(
    values: dict[str, tuple[str, str]], layout: list[_SlotLayout]
) -> list[tuple[str, str, bool, dict[str, tuple[str, str]]]]:
    """A row's multi-valued cells as (kind, label, primary, parts), in `layout`'s order;
    a fixed-label slot is primary when it is the first of its kind the row fills."""
    slots: list[tuple[str, str, bool, dict[str, tuple[str, str]]]] = []
    filled: set[str] = set()
    for slot in layout:
        parts = {part: values[target] for part, target in slot.parts if target in values}
        if not parts:
            continue
        if slot.label is not None:
            primary = slot.kind == "address" or slot.kind not in filled
            filled.add(slot.kind)
            slots.append((slot.kind, slot.label, primary, parts))
            continue
        label_text = parts.pop("label", ("", ""))[0].strip()
        label = label_text.lstrip("* ").strip()
        slots.append(
            (
                slot.kind,
                label if slot.kind == "custom" else normal_label(label),
                label_text.startswith("*"),
                parts,
            )
        )
    return slots


def parse_birthday(value: str) -> date | None:
    """ISO dates, US-style 5/17/1980 (Outlook), and Outlook's empty "0/0/00"."""
    value = value.strip()
    if value in ("", "0/0/00", "0/0/0000", "00.00.0000"):
        return None
    if value.startswith("--"):  # a vCard-style birthday without a year
        value = str(NO_YEAR) + value[1:]
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
    raise InputError(f"“{value}” is not a date (expected 1980-05-17 or 5/17/1980)")


def _column_for(key: str, values: dict[str, tuple[str, str]]) -> str:
    simple = {"name": "given_name"}.get(key, key)
    for target, (_value, header) in values.items():
        if target == simple or target.startswith(simple.rstrip("s") + ":"):
            return header
    return ""
