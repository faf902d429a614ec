"""Why a lookup found a contact: which of their values each typed word begins, so the
list can say "Bergen (city)" when the city is not on screen."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.bulk import chunks
from db.contacts import ContactRow
from db.lookup_query import phone_shaped, query_terms
from db.text import digits, fold

# The fields a lookup searches, in the order a reason is looked for.
FIELDS = ("name", "company", "title", "email", "phone", "city", "region", "postcode", "group")


@dataclass(frozen=True)
class Reason:
    field: str  # one of FIELDS
    value: str  # as the contact holds it ("Bergen", "+47 55 30 12 40")


def reasons(query: str, values: Iterable[tuple[str, str]]) -> list[Reason]:
    """For each word of `query`, the first of `values` (field, value) it begins a word
    of (a phone by its digits); each reason once, in the order of the words."""
    found: list[Reason] = []
    candidates = [(field, value, fold(value).split(), digits(value)) for field, value in values]
    terms = [digits(query)] if phone_shaped(query) else query_terms(query)
    for term in terms:
        number = term if term.isdigit() else ""
        for field, value, words, value_digits in candidates:
            if field == "phone":
                hit = bool(number) and number in value_digits
            else:
                hit = any(word.startswith(term) for word in words)
            if hit:
                reason = Reason(field, value)
                if reason not in found:
                    found.append(reason)
                break
    return found


# A contact's values of one kind, for the contacts whose ids fill the IN list.
_VALUES = (
    "SELECT c.id, {} FROM contacts c JOIN {} p ON p.contact_num = c.num "
    "WHERE c.id IN ({{}}) ORDER BY p.contact_num, p.position"
)


def contact_values(
    session: Session, rows: Sequence[ContactRow]
) -> dict[uuid.UUID, list[tuple[str, str]]]:
    """Every searched value of these list rows' contacts, as (field, value) in FIELDS
    order (name, company and title from the rows themselves)."""
    conn = session.connection()
    out: dict[uuid.UUID, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        shown = (("name", row.display_name), ("company", row.company), ("title", row.title))
        out[row.id] = [(field, value) for field, value in shown if value]
    queries = (
        (_VALUES.format("p.address", "contact_emails"), ("email",)),
        (_VALUES.format("p.number", "contact_phones"), ("phone",)),
        (_VALUES.format("p.city, p.region, p.postal_code", "contact_addresses"),
         ("city", "region", "postcode")),
        ("SELECT m.contact_id, g.name FROM group_members m JOIN groups g ON g.id = m.group_id "
         "WHERE g.deleted_at IS NULL AND m.contact_id IN ({})", ("group",)),
    )  # fmt: skip
    for sql, fields in queries:
        for part in chunks([row.id.bytes for row in rows]):
            marks = ", ".join("?" * len(part))
            for cid, *found in conn.exec_driver_sql(sql.format(marks), tuple(part)):
                key = uuid.UUID(bytes=cid)
                out[key] += [(f, v) for f, v in zip(fields, found, strict=True) if v]
    order = {field: n for n, field in enumerate(FIELDS)}
    return {cid: sorted(values, key=lambda fv: order[fv[0]]) for cid, values in out.items()}
