"""Demo data: `callsheet seed` fills a database with realistic, varied contacts.

Names, streets, cities and companies come from Faker's locale data (drawn once
into per-country pools, so a million contacts do not cost a million Faker
calls); phone numbers follow each country's real numbering plan. Rows go in
through the same tables, change journal and lookup index as edits made in the
app, in batches of one transaction each, so an interrupted seed leaves whole
batches behind. Batches are generated in a helper process while this one writes;
a large seed builds the secondary indexes once at the end (`db.bulk`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import re
import threading
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from functools import partial
from typing import Any, cast
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import Connection

from db import moments
from db.bulk import indexes_deferred, insert_rows
from db.clock import Moment
from db.contact_rows import ContactRows, NewContact
from db.contact_values import AddressValue, ContactDraft, EmailValue, PhoneValue, UrlValue
from db.engine import Database
from db.ids import new_id
from db.journal import book_syncs
from db.text import fold, sort_key
from desktop.demo_showcase import PEOPLE as SHOWCASE
from desktop.demo_showcase import add_showcase, showcase_present

# (Faker locale, ISO region); a locale listed twice is drawn twice as often.
LOCALES = (
    ("en_US", "US"),
    ("en_US", "US"),
    ("en_GB", "GB"),
    ("de_DE", "DE"),
    ("de_AT", "AT"),
    ("de_CH", "CH"),
    ("fr_FR", "FR"),
    ("no_NO", "NO"),
    ("sv_SE", "SE"),
    ("da_DK", "DK"),
    ("fi_FI", "FI"),
    ("nl_NL", "NL"),
    ("es_ES", "ES"),
    ("it_IT", "IT"),
    ("pl_PL", "PL"),
    ("pt_PT", "PT"),
    ("pt_BR", "BR"),
    ("cs_CZ", "CZ"),
    ("tr_TR", "TR"),
    ("es_MX", "MX"),
    ("en_IE", "IE"),
    ("en_CA", "CA"),
    ("en_AU", "AU"),
    ("ja_JP", "JP"),
)
TITLES = (
    "Sales Director",
    "Head of Purchasing",
    "Procurement Manager",
    "Operations Manager",
    "Logistics Coordinator",
    "CEO",
    "CFO",
    "Owner",
    "Buyer",
    "Category Manager",
    "Warehouse Manager",
    "Quality Manager",
    "Key Account Manager",
    "IT Manager",
    "Supply Chain Lead",
    "Office Manager",
    "Plant Manager",
    "Managing Director",
)
DEPARTMENTS = (
    "Purchasing",
    "Operations",
    "Logistics",
    "Management",
    "Finance",
    "Quality",
    "IT",
    "Sales",
)
GROUPS = (
    "Key accounts",
    "Prospects",
    "Partners",
    "Trade show 2026",
    "Newsletter",
    "Bergen distributors",
    "Cold chain pilots",
    "Dormant",
    "Referrals",
    "Suppliers",
)
NETWORKS = (
    ("linkedin", "https://www.linkedin.com/in/{h}"),
    ("github", "https://github.com/{h}"),
    ("bluesky", "https://bsky.app/profile/{h}.bsky.social"),
    ("mastodon", "https://mastodon.social/@{h}"),
)
REGARDING = (
    "Follow up on pricing",
    "Send cold-chain pilot pricing",
    "Quarterly review",
    "Intro call",
    "Demo of sensor dashboard",
    "Contract renewal",
    "Check delivery",
    "Discuss pilot results",
    "Trade show follow-up",
    "Reference call",
)
FREEMAIL = ("gmail.com", "outlook.com", "proton.me", "web.de")
HISTORY_KINDS = ("call", "call", "meeting", "email")
ACTIVITY_KINDS = ("call", "meeting", "to-do", "email")
OUTCOMES = ("completed", "completed", "attempted", "left message", "no answer")
PRIORITIES = ("high", "normal", "normal", "normal", "low")
# Rules every start date satisfies, so a series' first occurrence is its due time.
REPEATS = ("FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY")
POOL_SIZE = 300
BATCH = 10_000
# From this many contacts on, and when the seed at least doubles the database, the
# secondary indexes are dropped during the load and built once at the end.
BULK_THRESHOLD = 50_000
BULK_TABLES = [
    "contacts",
    "contact_emails",
    "contact_phones",
    "contact_addresses",
    "contact_urls",
    "group_members",
    "change_journal",
    "history_entries",
    "history_contacts",
    "activities",
    "activity_contacts",
    "notes",
    "social_profiles",
]
PREFETCH = 2
# A seed this large also holds the people the README and the walkthrough name.
SHOWCASE_FROM = 100


@dataclass(frozen=True)
class _Pool:
    region: str
    country_code: int
    first_names: tuple[tuple[str, str], ...]  # (name, folded for mailboxes)
    last_names: tuple[tuple[str, str], ...]
    cities: tuple[tuple[str, str], ...]  # (city, postcode)
    streets: tuple[str, ...]
    companies: tuple[tuple[str, str, str], ...]  # (name, sort key, mail domain)
    phone_templates: tuple[tuple[str, str, str], ...]  # see _phone_templates


def seed(
    db: Database,
    count: int,
    *,
    seed: int | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> int:
    """Add `count` demo contacts (with companies, groups, notes, history and follow-ups).

    `progress(done, total)` is called after each batch; returning False stops
    early. Returns how many contacts were added. The same `seed` gives the same
    people. Batches are generated in a helper process while this one writes.
    """
    master = random.Random(seed).randrange(1 << 62)
    moment = db.clock.moment()
    with db.writing() as conn:
        group_ids = _ensure_groups(conn, moment.now)
        companies: dict[str, bytes] = {
            sort_name: company_id
            for sort_name, company_id in conn.exec_driver_sql(
                "SELECT sort_name, id FROM companies WHERE deleted_at IS NULL"
            )
        }
        existing = conn.exec_driver_sql("SELECT live + trashed FROM contact_tallies").scalar_one()
    showcase = count >= SHOWCASE_FROM and not showcase_present(companies)
    generated = count - len(SHOWCASE) if showcase else count
    bulk = count >= BULK_THRESHOLD and count >= existing
    with indexes_deferred(db.writing, BULK_TABLES) if bulk else contextlib.nullcontext():
        done = _load(db, generated, master, moment, group_ids, companies, progress)
    if showcase and done == generated:
        with db.transaction() as session:
            done += add_showcase(session, moment)
    db.after_bulk_write()
    return done


def _load(
    db: Database,
    count: int,
    master: int,
    moment: Moment,
    group_ids: list[bytes],
    companies: dict[str, bytes],
    progress: Callable[[int, int], bool] | None,
) -> int:
    sizes = [min(BATCH, count - start) for start in range(0, count, BATCH)]
    done = 0
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1,
        context,
        initializer=partial(_start_generator, master, moment, group_ids, companies, os.getpid()),
    ) as generator:
        pending = deque(
            generator.submit(_generate, n, size) for n, size in enumerate(sizes[:PREFETCH])
        )
        with db.engine.connect() as conn:
            # Demo data may lose its last batch on power loss; edits never do (FULL).
            conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
            conn.exec_driver_sql("PRAGMA cache_size=-131072")
            conn.commit()
            try:
                for n, size in enumerate(sizes):
                    batch = pending.popleft().result()
                    if n + PREFETCH < len(sizes):
                        pending.append(
                            generator.submit(_generate, n + PREFETCH, sizes[n + PREFETCH])
                        )
                    with db.writing(conn):
                        batch.write(conn)
                    done += size
                    if progress is not None and progress(done, count) is False:
                        for future in pending:
                            future.cancel()
                        break
            finally:
                conn.exec_driver_sql("PRAGMA synchronous=FULL")
                conn.exec_driver_sql("PRAGMA cache_size=-2000")
    return done


# The helper process's state: the seed, the moment seeding began, the pools, the group
# ids, and every company made so far by folded name (batches come in order, so later
# ones reuse them).
_generator: tuple[int, Moment, list[_Pool], list[bytes], dict[str, bytes]] | None = None


def _start_generator(
    master: int, moment: Moment, group_ids: list[bytes], companies: dict[str, bytes], parent: int
) -> None:
    global _generator
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    _generator = (master, moment, _make_pools(random.Random(master)), group_ids, companies)


def _exit_with(parent: int) -> None:
    """End the helper when the seed that started it is gone (killed, it cannot say so)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _generate(index: int, size: int) -> ContactRows:
    assert _generator is not None
    master, moment, pools, group_ids, companies = _generator
    rng = random.Random(f"{master}:{index}")
    return _generate_batch(rng, moment, pools, group_ids, companies, size)


def _make_pools(rng: random.Random) -> list[_Pool]:
    from faker import Faker

    pools = []
    for locale, region in dict.fromkeys(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(rng.randrange(1 << 30))
        pools.append(
            _Pool(
                region=region,
                country_code=phonenumbers.country_code_for_region(region),
                first_names=_names(fake, "first_name"),
                last_names=_names(fake, "last_name"),
                cities=tuple(
                    sorted({(fake.city(), fake.postcode()) for _ in range(POOL_SIZE // 3)})
                ),
                streets=tuple(sorted({fake.street_address().strip() for _ in range(POOL_SIZE)})),
                companies=tuple(
                    (name, sort_key(name), _domain(name, region))
                    for name in sorted({fake.company() for _ in range(POOL_SIZE // 2)})
                ),
                phone_templates=_phone_templates(region),
            )
        )
    weights = [sum(1 for _, r in LOCALES if r == p.region) for p in pools]
    return [p for p, w in zip(pools, weights, strict=True) for _ in range(w)]


def _names(fake: Any, kind: str) -> tuple[tuple[str, str], ...]:
    """(name, mailbox) pairs of one kind ("first_name"), sorted. A script without Latin
    letters takes its mailbox from the locale's romanized form ("里佳" -> "rika"), so no
    two people share an empty mailbox."""
    paired = getattr(fake, f"{kind}_pair", None)
    if paired is not None:  # (name, reading, romanized), as ja_JP has
        pairs = {(name, _mailbox(roman)) for name, _, roman in (paired() for _ in range(POOL_SIZE))}
    else:
        pairs = {
            (name, _mailbox(name)) for name in (getattr(fake, kind)() for _ in range(POOL_SIZE))
        }
    return tuple(sorted(pairs))


def _mailbox(name: str) -> str:
    folded = fold(name).replace(" ", "")
    return "".join(ch for ch in folded if ch.isascii() and (ch.isalnum() or ch in ".-"))


def _phone_templates(region: str) -> tuple[tuple[str, str, str], ...]:
    """(national significant number, national format, international format) of the
    region's example numbers (the significant number keeps Italy's leading zero)."""
    templates = []
    for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is not None:
            templates.append(
                (
                    phonenumbers.national_significant_number(example),
                    phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL),
                    phonenumbers.format_number(
                        example, phonenumbers.PhoneNumberFormat.INTERNATIONAL
                    ),
                )
            )
    return tuple(templates)


def _fake_phone(rng: random.Random, pool: _Pool) -> tuple[str, str]:
    """(as typed, E.164): the example number with random last digits."""
    nsn, national, international = rng.choice(pool.phone_templates)
    width = min(7, len(nsn) - 2)  # wide enough that strangers rarely share a number
    tail = str(rng.randrange(10**width)).zfill(width)
    new_nsn = nsn[:-width] + tail
    # Put the new digits into the format's last `width` digit places.
    chars = list(international if rng.random() < 0.4 else national)
    places = [i for i, ch in enumerate(chars) if ch.isdigit()][-width:]
    for place, digit in zip(places, tail, strict=True):
        chars[place] = digit
    return "".join(chars), f"+{pool.country_code}{new_nsn}"


def _ensure_groups(conn: Connection, when: datetime) -> list[bytes]:
    existing = {
        sort_key(name): gid
        for gid, name in conn.exec_driver_sql(
            "SELECT id, name FROM groups WHERE deleted_at IS NULL"
        )
    }
    now = moments.stored(when)
    ids = []
    for name in GROUPS:
        gid = existing.get(sort_key(name)) or new_id().bytes
        if sort_key(name) not in existing:
            _insert(conn, "groups", [(gid, name, sort_key(name), now, now, 1)])
            if book_syncs(conn):
                _insert(conn, "change_journal", [("group", gid, 1, "create", now)])
        ids.append(gid)
    return ids


_COLUMNS = {
    "groups": ("id", "name", "sort_name", "created_at", "updated_at", "rev"),
    "companies": ("id", "name", "sort_name", "city", "country", "created_at", "updated_at", "rev"),
    "notes": ("id", "contact_id", "body", "pinned", "created_at", "updated_at", "rev"),
    "activities": (
        "id",
        "kind",
        "regarding",
        "starts_at",
        "time_zone",
        "duration_minutes",
        "all_day",
        "timeless",
        "priority",
        "alarm_minutes",
        "alarm_at",
        "rrule",
        "series_start",
        "status",
        "completed_at",
        "created_at",
        "updated_at",
        "rev",
    ),
    "activity_contacts": ("activity_id", "contact_id"),
    "history_entries": (
        "id",
        "kind",
        "occurred_at",
        "duration_minutes",
        "outcome",
        "regarding",
        "activity_id",
        "created_at",
        "updated_at",
        "rev",
    ),
    "history_contacts": ("history_id", "contact_id"),
    "change_journal": ("record_type", "record_id", "rev", "op", "changed_at"),
}
# Written beside the contacts, in an order that respects their references, with the
# record type each journals its new rows as (links are not records).
_BESIDE_CONTACTS = {
    "companies": "company",
    "notes": "note",
    "activities": "activity",
    "activity_contacts": "",
    "history_entries": "history",
    "history_contacts": "",
}


def _insert(conn: Connection, table: str, rows: list[tuple[object, ...]]) -> None:
    insert_rows(conn, table, _COLUMNS[table], rows)


def _generate_batch(
    rng: random.Random,
    moment: Moment,
    pools: list[_Pool],
    group_ids: list[bytes],
    companies: dict[str, bytes],
    size: int,
) -> ContactRows:
    """`size` contacts and what goes with them, as rows of the one contact builder;
    `companies` (folded name -> id) is read and extended."""
    now = moments.stored(moment.now)
    today = _Today(moment.now, ZoneInfo(moment.zone))
    built = ContactRows(now)
    other: dict[str, list[tuple[object, ...]]] = {table: [] for table in _BESIDE_CONTACTS}
    random_, choice, ids = rng.random, rng.choice, _ids(rng)
    follow_ups = _FollowUps(rng, other, ids, today)
    for _ in range(size):
        pool = choice(pools)
        (given, given_box), (family, family_box) = choice(pool.first_names), choice(pool.last_names)
        city, postcode = choice(pool.cities)
        company_name, company_sort, domain = choice(pool.companies)
        company_id = companies.get(company_sort)
        if company_id is None:
            company_id = companies[company_sort] = next(ids)
            other["companies"].append(
                (company_id, company_name, company_sort, city, pool.region, now, now, 1)
            )
        cid = next(ids)
        local = f"{given_box}.{family_box}".strip(".") or "contact"
        addresses = [f"{local}@{domain}"]
        if random_() < 0.3:
            addresses.append(f"{local}{rng.randrange(10, 99)}@{choice(FREEMAIL)}")
        phones = [_fake_phone(rng, pool) for _ in range(1 if random_() < 0.6 else 2)]
        title = choice(TITLES)
        last_contacted, next_step = follow_ups.for_contact(cid)
        department = choice(DEPARTMENTS) if random_() < 0.5 else ""
        street = choice(pool.streets)
        groups = []
        if random_() < 0.3:
            which = rng.randrange(len(GROUPS))
            groups.append((group_ids[which], GROUPS[which]))
        urls = (UrlValue(f"https://www.{domain}"),) if random_() < 0.1 else ()
        profiles = []
        if random_() < 0.05:
            network, pattern = choice(NETWORKS)
            handle = f"{local.replace('.', '-')}-{rng.randrange(16**4):04x}"
            profiles.append((network, handle, pattern.format(h=handle)))
        if random_() < 0.05:
            other["notes"].append(
                (
                    next(ids),
                    cid,
                    f"Interested in {choice(REGARDING).lower()}.",
                    random_() < 0.3,
                    now,
                    now,
                    1,
                )
            )
        draft = ContactDraft(
            given_name=given,
            family_name=family,
            title=title,
            department=department,
            emails=tuple(
                EmailValue(address, "work" if n == 0 else "home", n == 0)
                for n, address in enumerate(addresses)
            ),
            phones=tuple(
                PhoneValue(entered, "work" if n == 0 else "mobile", n == 0, e164)
                for n, (entered, e164) in enumerate(phones)
            ),
            addresses=(
                AddressValue(
                    street=street,
                    city=city,
                    postal_code=postcode,
                    country=pool.region,
                    is_primary=True,
                ),
            ),
            urls=urls,
        )
        built.add(
            NewContact(
                uuid.UUID(bytes=cid),
                draft,
                company=(company_id, company_name),
                groups=groups,
                profiles=profiles,
                last_contacted_at=last_contacted,
                next_step_at=next_step,
            ),
            ids,
        )
    for table, record_type in _BESIDE_CONTACTS.items():
        built.extend(table, _COLUMNS[table], other[table])
        if record_type:
            built.journal(record_type, [cast(bytes, row[0]) for row in other[table]])
    return built


@dataclass(frozen=True)
class _Today:
    """The moment a batch is generated, and the rep's zone its follow-ups are in."""

    now: datetime
    zone: ZoneInfo

    def at(self, days: int, hour: int, minute: int) -> datetime:
        """A wall-clock time `days` from today in the rep's zone, in UTC, on a working
        day: a weekend moves to the Monday after (the Friday before, in the past)."""
        day = self.now.astimezone(self.zone).date() + timedelta(days=days)
        if day.weekday() >= 5:
            day += (
                timedelta(days=7 - day.weekday())
                if days >= 0
                else -timedelta(days=day.weekday() - 4)
            )
        return datetime.combine(day, dtime(hour, minute), self.zone).astimezone(UTC)


class _FollowUps:
    """A batch's history, cleared activities and open next steps, the way a rep's book
    looks: most contacts untouched, a fifth with something scheduled."""

    def __init__(
        self,
        rng: random.Random,
        out: dict[str, list[tuple[object, ...]]],
        ids: Iterator[bytes],
        today: _Today,
    ) -> None:
        self.rng = rng
        self.random, self.choice = rng.random, rng.choice
        self.history_rows, self.history_links = out["history_entries"], out["history_contacts"]
        self.activity_rows, self.activity_links = out["activities"], out["activity_contacts"]
        self.ids = ids
        self.today = today
        self.zone_key = today.zone.key
        self.now = moments.stored(today.now)

    def for_contact(self, cid: bytes) -> tuple[int | None, int | None]:
        """Make the contact's follow-ups; returns its (last contacted, next step) stamps."""
        random_, rng, choice = self.random, self.rng, self.choice
        has_history, was_cleared, has_next = random_() < 0.1, random_() < 0.03, random_() < 0.2
        if not (has_history or was_cleared or has_next):
            return None, None
        last_contacted: datetime | None = None
        next_step = None
        if has_history:
            for _ in range(rng.randint(1, 3)):
                when = self.today.now - timedelta(
                    days=rng.randint(1, 400), minutes=rng.randint(0, 600)
                )
                self._history(cid, when, choice(HISTORY_KINDS), None)
                last_contacted = max(last_contacted or when, when)
        if was_cleared:
            due = self.today.at(-rng.randint(1, 60), rng.randint(8, 16), choice((0, 30)))
            cleared = self._activity(cid, due, "timed", "done", None)
            when = due + timedelta(minutes=rng.randint(0, 90))
            self._history(cid, when, "call", cleared)
            last_contacted = max(last_contacted or when, when)
        if has_next:
            roll = random_()
            timing = "timeless" if roll < 0.15 else "all_day" if roll < 0.2 else "timed"
            days = rng.randint(-14, 45)
            if timing == "timed":
                due = self.today.at(days, rng.randint(8, 16), choice((0, 15, 30, 45)))
                rrule = choice(REPEATS) if random_() < 0.0025 else None
            else:
                due, rrule = self.today.at(days, 0, 0), None
            self._activity(cid, due, timing, "open", rrule)
            next_step = moments.stored(due)
        return (moments.stored(last_contacted) if last_contacted else None), next_step

    def _history(self, cid: bytes, when: datetime, kind: str, activity: bytes | None) -> None:
        hid = next(self.ids)
        choice = self.choice
        self.history_rows.append(
            (
                hid,
                kind,
                moments.stored(when),
                choice((0, 5, 15, 30)),
                choice(OUTCOMES),
                choice(REGARDING),
                activity,
                self.now,
                self.now,
                1,
            )
        )
        self.history_links.append((hid, cid))

    def _activity(
        self, cid: bytes, due: datetime, timing: str, status: str, rrule: str | None
    ) -> bytes:
        aid = next(self.ids)
        choice = self.choice
        alarm = 15 if timing == "timed" and self.random() < 0.3 else None
        alarm_at = due - timedelta(minutes=15) if alarm else None
        if status != "open" or (alarm_at is not None and alarm_at < self.today.now):
            alarm_at = None
        due_stamp = moments.stored(due)
        self.activity_rows.append(
            (
                aid,
                choice(ACTIVITY_KINDS),
                choice(REGARDING),
                due_stamp,
                self.zone_key,
                choice((15, 30, 30, 60)) if timing == "timed" else 0,
                timing == "all_day",
                timing == "timeless",
                choice(PRIORITIES),
                alarm,
                moments.stored(alarm_at) if alarm_at else None,
                rrule,
                due_stamp if rrule else None,
                status,
                self.now if status != "open" else None,
                self.now,
                self.now,
                1,
            )
        )
        self.activity_links.append((aid, cid))
        return aid


def _ids(rng: random.Random) -> Iterator[bytes]:
    """UUIDv7s as stored (16 bytes) for one batch: the batch's millisecond, then rng's
    random bits."""
    millis = time.time_ns() // 1_000_000
    head = ((millis & 0xFFFF_FFFF_FFFF) << 80) | (0x7 << 76)
    getrandbits = rng.getrandbits
    while True:
        rand_a, rand_b = getrandbits(12), getrandbits(62) | (0b10 << 62)
        yield (head | (rand_a << 64) | rand_b).to_bytes(16, "big")


def _domain(company: str, region: str) -> str:
    """A mail domain from a company's name: "Carr-Armstrong" -> "carr-armstrong.example";
    a name without Latin letters gets one of its own ("jp-5f3a09c1.example")."""
    words = re.findall(r"[a-z0-9]+", fold(company))[:2]
    own = f"{region.lower()}-{zlib.crc32(company.encode()):08x}"
    return f"{'-'.join(words) or own}.example"
