"""Finding the same person twice: the same email (case ignored), the same phone (E.164)
or the same social profile under names that agree, or a similar name at the same company
(rapidfuzz).

Precision comes first. A value is evidence only when it is a person's: a role address
(info@, sales@) or a value many records hold (a switchboard) is not, and two records that
share a value but name different people ("Anna Berg" and "Lars Berg" on one home phone)
are two people.

`DuplicateIndex` answers "who already is this?" for an import, one record at a time;
`find_groups` scans the whole book and groups what belongs together (three records of
one person are one group, not three pairs).
"""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel
from sqlalchemy.orm import Session

from db import plain_sql
from db.contact_values import ContactDraft, compose_display_name
from db.text import fold, sort_key

NAME_SIMILARITY = 85  # rapidfuzz ratio of the sorted, folded name words
# An email, phone or profile more records hold is an office's (info@, a switchboard),
# not a person's: it does not make them one.
SHARED_LIMIT = 5
_LEGAL_FORMS = re.compile(
    r"\b(inc|incorporated|corp|corporation|co|company|ltd|limited|llc|llp|plc|gmbh|ag|"
    r"as|asa|ab|oy|bv|nv|sa|sas|sarl|srl|spa|kg|pty|pte)\b\.?"
)


_DROPPED = re.compile(r"[./'’]")
_PUNCTUATION = re.compile(r"[^\w\s]")
# Mailboxes that name a role, not a person: anyone at the company may read them.
# fmt: off
ROLE_MAILBOXES = frozenset({
    "accounts", "admin", "billing", "bookings", "bureau", "buero", "büro", "careers",
    "contact", "contacto", "enquiries", "hello", "help", "hr", "info", "inquiries",
    "invoice", "invoices", "jobs", "kontakt", "mail", "marketing", "noreply", "no-reply",
    "office", "orders", "post", "postmaster", "press", "reception", "sales", "service",
    "support", "team", "webmaster",
})
# fmt: on


def email_key(address: str) -> str:
    return address.strip().casefold()


def is_role_address(key: str) -> bool:
    """Whether an email key ("info@acme.example") names a role rather than a person."""
    mailbox = key.partition("@")[0]
    return mailbox.partition("+")[0] in ROLE_MAILBOXES


def names_agree(first: str, second: str, *, shortened: bool = False) -> bool:
    """Whether two name keys may name one person: each word of the shorter name is a
    word of the other, its initial, or that word misspelt (or, with `shortened`, its
    start: "Holm" for "Holmes", fair beside a personal address but not a shared home
    phone). An empty name agrees."""
    short, long = sorted((first.split(), second.split()), key=len)
    if not short:
        return True
    left = list(long)
    for word in sorted(short, key=len, reverse=True):  # initials take what is left
        same = (
            word
            if word in left
            else next((w for w in left if _words_agree(word, w, shortened)), None)
        )
        if same is None:
            return False
        left.remove(same)
    return True


def _words_agree(first: str, second: str, shortened: bool) -> bool:
    """One word, its initial, or one typo away ("Jon"/"John", "Anna"/"Anne"; two typos
    in a long word), but not another short name ("Tom"/"Tim", "Rita"/"Ralf")."""
    if first == second:
        return True
    shorter = min(len(first), len(second))
    if shortened and shorter >= 3 and (first.startswith(second) or second.startswith(first)):
        return True
    if shorter == 1:
        return first[0] == second[0]
    if shorter < 3:
        return False
    if shorter == 3:
        return Indel.distance(first, second, score_cutoff=1) <= 1
    typos = 2 if shorter >= 8 else 1
    return OSA.distance(first, second, score_cutoff=typos) <= typos


def profile_key(url: str) -> str:
    """A profile URL without scheme, "www.", case or trailing slash."""
    parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
    host = parts.netloc.casefold().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/').casefold()}"


@lru_cache(maxsize=65_536)  # a book holds each company many times over
def company_key(name: str) -> str:
    """A company name without case, accents, punctuation or legal form ("Acme, Inc.")."""
    joined = _DROPPED.sub("", sort_key(name))  # "A/S" -> "as", "Co." -> "co"
    words = _LEGAL_FORMS.sub(" ", _PUNCTUATION.sub(" ", joined))
    return " ".join(words.split())


def name_key(display_name: str) -> str:
    """A name's folded words, sorted, without punctuation ("L. Berg" -> "berg l")."""
    words = _PUNCTUATION.sub(" ", _DROPPED.sub("", fold(display_name)))
    return " ".join(sorted(words.split()))


@dataclass(frozen=True)
class Match:
    contact_id: uuid.UUID
    reason: str


@dataclass
class DuplicateIndex:
    """Who is known by which email, phone, profile, and name at a company."""

    emails: dict[str, uuid.UUID] = field(default_factory=dict)
    phones: dict[str, uuid.UUID] = field(default_factory=dict)
    profiles: dict[str, uuid.UUID] = field(default_factory=dict)
    ids: set[uuid.UUID] = field(default_factory=set)
    names: dict[uuid.UUID, str] = field(default_factory=dict)
    held: Counter[str] = field(default_factory=Counter)  # records holding each value
    shared: set[str] = field(default_factory=set)  # values too many hold (SHARED_LIMIT)
    # Per block (company key, an initial of the name): the names and, at the same
    # positions, whose they are. Blocks keep each comparison among a few names.
    names_at: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    ids_at: dict[tuple[str, str], list[uuid.UUID]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # Records that hold a name and nothing else to tell them by, by their name.
    bare_names: dict[str, uuid.UUID] = field(default_factory=dict)

    @classmethod
    def of_database(cls, session: Session) -> DuplicateIndex:
        index = cls()
        records = load_keys(session)
        index.count(records)
        for record in records:
            index.add_keys(record)
        return index

    def count(self, records: Iterable[ContactKeys]) -> None:
        """Count who holds which values (the book's, then a file's), to tell the
        shared ones."""
        self.held.update(_values(records))
        self.shared = {value for value, n in self.held.items() if n > SHARED_LIMIT}

    def add_keys(self, keys: ContactKeys) -> None:
        self.ids.add(keys.id)
        self.names[keys.id] = keys.name
        for email in _evidence_emails(keys):
            self.emails.setdefault(email, keys.id)
        for phone in keys.phones:
            self.phones.setdefault(phone, keys.id)
        for profile in keys.profiles:
            self.profiles.setdefault(profile, keys.id)
        for block in _blocks_of(keys):
            self.names_at[block].append(keys.name)
            self.ids_at[block].append(keys.id)
        if _only_a_name(keys):
            self.bare_names.setdefault(keys.name, keys.id)

    def match(self, keys: ContactKeys) -> Match | None:
        """The known contact `keys` most surely is, and why; None when nobody."""
        if keys.id in self.ids:
            return Match(keys.id, "the same record (its UID)")
        for kind, values, known in (
            ("email", _evidence_emails(keys), self.emails),
            ("phone", keys.phones, self.phones),
            ("profile", keys.profiles, self.profiles),
        ):
            for value in values:
                holder = known.get(value)
                if (
                    holder is not None
                    and value not in self.shared
                    and names_agree(keys.name, self.names[holder], shortened=kind != "phone")
                ):
                    return Match(holder, f"the same {kind} {value}")
        for block in _blocks_of(keys):
            names = self.names_at.get(block)
            if not names:
                continue
            for _, _, at in process.extract_iter(
                keys.name, names, scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY
            ):
                if names_agree(keys.name, names[at]):
                    return Match(self.ids_at[block][at], "a similar name at the same company")
        if _only_a_name(keys) and keys.name in self.bare_names:
            # Neither record holds anything else: the same file imported again.
            return Match(self.bare_names[keys.name], "the same name, and nothing else to go by")
        return None


@dataclass(frozen=True)
class ContactKeys:
    id: uuid.UUID
    name: str = ""
    company: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()


def keys_of(contact_id: uuid.UUID, draft: ContactDraft, profile_urls: Iterable[str]) -> ContactKeys:
    """The keys of a (validated) draft."""
    return ContactKeys(
        contact_id,
        name_key(compose_display_name(draft)),
        company_key(draft.company) if draft.company else "",
        tuple(email_key(e.address) for e in draft.emails),
        tuple(p.e164 for p in draft.phones if p.e164),
        tuple(profile_key(url) for url in profile_urls if url),
    )


def load_keys(session: Session) -> list[ContactKeys]:
    """Every live contact's keys, read in five queries."""
    conn = session.connection()

    def grouped(sql: str) -> dict[bytes, list[str]]:
        out: dict[bytes, list[str]] = defaultdict(list)
        for cid, value in plain_sql.rows(conn, sql):
            if value:
                out[cid].append(value)
        return out

    by_contact = (
        "SELECT c.id, p.{} FROM {} p JOIN contacts c ON c.num = p.contact_num "
        "ORDER BY p.contact_num, p.position"
    )
    emails = grouped(by_contact.format("address", "contact_emails"))
    phones = grouped(by_contact.format("e164", "contact_phones"))
    profiles = grouped(
        "SELECT contact_id, url FROM social_profiles WHERE deleted_at IS NULL AND url IS NOT NULL"
    )
    return [
        ContactKeys(
            uuid.UUID(bytes=cid),
            name_key(display),
            company_key(company) if company else "",
            tuple(email_key(e) for e in emails.get(cid, ())),
            tuple(phones.get(cid, ())),
            tuple(profile_key(u) for u in profiles.get(cid, ())),
        )
        for cid, display, company in plain_sql.rows(
            conn, "SELECT id, display_name, company_name FROM contacts WHERE deleted_at IS NULL"
        )
    ]


@dataclass(frozen=True)
class DuplicateGroup:
    """Contacts that look like one person, and the reasons that tie them."""

    contact_ids: tuple[uuid.UUID, ...]
    reasons: tuple[str, ...]


def find_groups(session: Session) -> list[DuplicateGroup]:
    """Every group of likely duplicates among live contacts, largest first."""
    return group_keys(load_keys(session))


def _values(records: Iterable[ContactKeys]) -> Iterable[str]:
    """Each record's emails, phones and profiles, each once per record."""
    for record in records:
        yield from {*record.emails, *record.phones, *record.profiles}


def group_keys(records: Sequence[ContactKeys]) -> list[DuplicateGroup]:
    held = Counter(_values(records))
    parent = list(range(len(records)))
    reasons: dict[int, set[str]] = defaultdict(set)

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def join(a: int, b: int, reason: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra
            reasons[ra] |= reasons.pop(rb, set())
        reasons[ra].add(reason)

    for kind, values in (
        ("email", _evidence_emails),
        ("phone", lambda r: r.phones),
        ("profile", lambda r: r.profiles),
    ):
        holders: dict[str, list[int]] = defaultdict(list)
        for n, record in enumerate(records):
            for value in set(values(record)):
                if held[value] <= SHARED_LIMIT:
                    holders[value].append(n)
        for value, held_by in holders.items():
            for i, first in enumerate(held_by):
                for second in held_by[i + 1 :]:
                    names = records[first].name, records[second].name
                    if names_agree(*names, shortened=kind != "phone"):
                        join(first, second, f"same {kind} {value}")
    ratio = fuzz.ratio
    for block in _name_blocks(records):
        for i, first in enumerate(block):
            name = records[first].name
            for second in block[i + 1 :]:
                other = records[second].name
                if ratio(name, other, score_cutoff=NAME_SIMILARITY) and names_agree(name, other):
                    join(first, second, "similar name at the same company")
    members: dict[int, list[int]] = defaultdict(list)
    for n in range(len(records)):
        members[root(n)].append(n)
    groups = [
        DuplicateGroup(
            tuple(records[n].id for n in group), tuple(sorted(reasons.get(root(group[0]), ())))
        )
        for group in members.values()
        if len(group) > 1
    ]
    return sorted(groups, key=lambda g: -len(g.contact_ids))


def _evidence_emails(keys: ContactKeys) -> tuple[str, ...]:
    return tuple(email for email in keys.emails if not is_role_address(email))


def _only_a_name(keys: ContactKeys) -> bool:
    return bool(keys.name) and not (keys.company or keys.emails or keys.phones or keys.profiles)


def _blocks_of(keys: ContactKeys) -> list[tuple[str, str]]:
    """The blocks a record's name is compared in: its company and the first letter of
    any of its name's words, so a typo anywhere but in both initials is still caught."""
    if not (keys.company and keys.name):
        return []
    return [(keys.company, initial) for initial in sorted({w[0] for w in keys.name.split()})]


def _name_blocks(records: Sequence[ContactKeys]) -> Iterable[list[int]]:
    """Indexes to compare by name, block by block (`_blocks_of`)."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, record in enumerate(records):
        for block in _blocks_of(record):
            blocks[block].append(n)
    return (block for block in blocks.values() if len(block) > 1)
