"""Answering a lookup from the FTS5 index: the user's words made a query, candidates
read in bounded tiers, and ranked. Plain SQL through any `Execute`, with nothing from
SQLAlchemy, so `callsheet find` can answer from sqlite3 alone (see `db.quick_read`);
the app runs the same code through its session (`db.search`).

Results are bounded: at most `limit` candidates per tier are read, then ordered
(whole-name prefix, name-word prefix, other hits; then by name), so a query matching
half the database costs what a query matching fifty rows costs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from db.plain_sql import Execute
from db.text import digits, fold, sort_key

MAX_TERMS = 8
MAX_TERM_LENGTH = 64

_WORD = re.compile(r"[^\W_]+")
_PHONE_LIKE = re.compile(r"^[\d\s+().\-/]+$")


@dataclass(frozen=True)
class LookupHit:
    """One contact found, with what the result list shows."""

    id: uuid.UUID
    display_name: str
    company: str | None
    title: str | None
    email: str | None
    phone: str | None
    city: str | None


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH text for what a user typed, or None when it has no words.

    Every word becomes a quoted prefix term and the terms are AND-ed. A query that
    looks like a phone number ("+47 55", "555-01") is one: its digits, run together,
    must begin one of a contact's numbers (as typed, international or national), so
    "+47 55" does not find a Brazilian +55 number that merely holds a 47.
    """
    terms = query_terms(query)
    if not terms:
        return None
    if phone_shaped(query):
        return f'phones : "{digits(query)[:MAX_TERM_LENGTH]}"*'
    return " AND ".join(f'"{term}"*' for term in terms)


def phone_shaped(query: str) -> bool:
    """Whether `query` is one phone number ("+47 55", "555-01"), not several words."""
    text = query.strip()
    return bool(_PHONE_LIKE.match(text)) and (len(query_terms(text)) > 1 or text.startswith("+"))


def query_terms(query: str) -> list[str]:
    """The words of `query`, folded, at most MAX_TERMS of at most MAX_TERM_LENGTH."""
    words = _WORD.findall(fold(query[: MAX_TERMS * (MAX_TERM_LENGTH + 8)]))
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS]]


def lookup(execute: Execute, query: str, limit: int = 50) -> list[LookupHit]:
    """Contacts matching every word of `query`, best first, at most `limit`."""
    expression = match_expression(query)
    if expression is None or limit <= 0:
        return []
    terms = query_terms(query)
    rest = " AND ".join(f'"{term}"*' for term in terms[1:])
    name_first = f'(name : "{terms[0]}"*)' + (f" AND {rest}" if rest else "")
    ids = _match(execute, name_first, limit)
    if len(ids) < limit:
        seen = set(ids)
        ids += [i for i in _match(execute, expression, limit) if i not in seen]
    hits = _load_hits(execute, ids)
    return sorted(hits, key=_ranking(terms))[:limit]


def name_tier(display_name: str, terms: Sequence[str]) -> int:
    """How well a name answers the query's words (0 best):
    0 the name's words start with the terms in order ("mar ber": Maren Bertelsen),
    1 each term starts some word of the name (Bernardo Márquez),
    2 the first term starts a word of the name, 3 the match is elsewhere (company, ...).
    """
    words = _WORD.findall(fold(display_name))
    if len(words) >= len(terms) and all(
        word.startswith(term) for word, term in zip(words, terms, strict=False)
    ):
        return 0
    if all(any(word.startswith(term) for word in words) for term in terms):
        return 1
    if any(word.startswith(terms[0]) for word in words):
        return 2
    return 3


def _match(execute: Execute, expression: str, limit: int) -> list[bytes]:
    rows = execute(  # rows changed contacts left behind join no contact (db.search)
        "SELECT c.id FROM contact_lookup JOIN contacts c ON c.lookup_rowid = contact_lookup.rowid "
        "WHERE contact_lookup MATCH ? LIMIT ?",
        (expression, limit),
    )
    return [r[0] for r in rows]


def _ranking(terms: Sequence[str]) -> Callable[[LookupHit], tuple[int, str]]:
    def key(hit: LookupHit) -> tuple[int, str]:
        return name_tier(hit.display_name, terms), sort_key(hit.display_name)

    return key


def _load_hits(execute: Execute, stored_ids: list[bytes]) -> list[LookupHit]:
    if not stored_ids:
        return []
    marks = ",".join("?" * len(stored_ids))
    rows = execute(
        "SELECT id, display_name, company_name, title, "
        "(SELECT address FROM contact_emails e WHERE e.contact_num = c.num AND e.is_primary "
        "ORDER BY position LIMIT 1), "
        "(SELECT number FROM contact_phones p WHERE p.contact_num = c.num AND p.is_primary "
        "ORDER BY position LIMIT 1), city "
        f"FROM contacts c WHERE deleted_at IS NULL AND id IN ({marks})",
        stored_ids,
    )
    return [LookupHit(uuid.UUID(bytes=r[0]), *r[1:]) for r in rows]
