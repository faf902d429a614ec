"""Planted duplicates and planted look-alikes in a seeded book, and how well a duplicate
scan tells them apart (used by the precision test and the interop benchmark).

A planted duplicate is a second record of a seeded person, made the ways a book gets
them (an address typed in capitals, a phone typed another way under an initial, a typo
in a name, a profile link written differently). A planted look-alike is a second person
who shares something with a seeded one and is not them: a namesake at another company,
a colleague on the switchboard, colleagues reading one info@ box, a relative on the
same home phone.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from db.contact_values import ContactDetails, EmailValue
from db.contacts import get_contact, update_contact
from db.engine import Database
from db.social_profiles import add_profile
from tests.factories import add_contact


@dataclass(frozen=True)
class Plants:
    duplicates: list[frozenset[uuid.UUID]]
    look_alikes: list[frozenset[uuid.UUID]]


@dataclass(frozen=True)
class Score:
    recall: float  # planted duplicates found
    precision: float  # groups the planting added that are planted duplicates
    look_alikes_grouped: int
    groups_added: int


def plant(db: Database, pairs: int, seed: int = 11) -> Plants:
    """`pairs` planted duplicates and as many look-alikes, beside seeded people who
    have a Latin-letter given name of four letters or more, an email and a phone."""
    rng = random.Random(seed)
    originals = _originals(db, 2 * pairs, rng)
    duplicates = [_twin(db, person, n) for n, person in enumerate(originals[:pairs])]
    look_alikes = [_look_alike(db, person, n) for n, person in enumerate(originals[pairs:])]
    return Plants(duplicates, look_alikes)


def score(
    found: Iterable[frozenset[uuid.UUID]], background: set[frozenset[uuid.UUID]], plants: Plants
) -> Score:
    """How the groups found after planting compare with what was planted."""
    found = list(found)
    added = [group for group in found if group not in background]
    caught = sum(any(pair <= group for group in found) for pair in plants.duplicates)
    true_groups = sum(any(pair <= group for pair in plants.duplicates) for group in added)
    grouped = sum(any(pair <= group for group in found) for pair in plants.look_alikes)
    return Score(
        recall=caught / len(plants.duplicates),
        precision=true_groups / len(added) if added else 1.0,
        look_alikes_grouped=grouped,
        groups_added=len(added),
    )


def _originals(db: Database, count: int, rng: random.Random) -> list[ContactDetails]:
    with db.reading() as session:
        ids = [
            cid
            for (cid,) in session.connection().exec_driver_sql(
                "SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY id"
            )
        ]
        people = []
        for cid in rng.sample(ids, len(ids)):
            person = get_contact(session, uuid.UUID(bytes=cid))
            given = person.given_name
            latin = given.isascii() and given.isalpha() and len(given) >= 4
            if latin and person.emails and person.phones and person.company:
                people.append(person)
            if len(people) == count:
                return people
    raise ValueError(f"the book has fewer than {count} people to plant beside")


def _twin(db: Database, person: ContactDetails, n: int) -> frozenset[uuid.UUID]:
    given, family, company = person.given_name, person.family_name, person.company or ""
    way = n % 4
    if way == 0:  # the same email typed in capitals, under the given name alone
        twin = add_contact(db, given, "", emails=(person.emails[0].address.upper(),))
    elif way == 1:  # the same phone typed another way, under an initial
        twin = add_contact(db, f"{given[0]}.", family, phones=(person.phones[0].e164 or "",))
    elif way == 2:  # a typo in the given name, at the company written differently
        middle = len(given) // 2
        typo = given[:middle] + ("e" if given[middle] != "e" else "a") + given[middle + 1 :]
        twin = add_contact(db, typo, family, company=f"{company}, Inc.")
    else:  # the same profile, its link written another way
        handle = f"{given}-{family}-{n}".lower()
        for who in (person.id, None):
            url = f"https://www.linkedin.com/in/{handle}"
            if who is None:
                twin = add_contact(db, given, family)
                who, url = twin, f"http://linkedin.com/in/{handle}/"
            with db.transaction() as session:
                add_profile(session, who, "linkedin", handle, url)
    return frozenset((person.id, twin))


def _look_alike(db: Database, person: ContactDetails, n: int) -> frozenset[uuid.UUID]:
    given, family, company = person.given_name, person.family_name, person.company or ""
    phone = person.phones[0].e164 or ""
    domain = person.emails[0].address.partition("@")[2]
    way = n % 4
    if way == 0:  # a namesake at another company, with their own address
        other = add_contact(
            db,
            given,
            family,
            company=f"Other {company}",
            emails=(f"{given}.{n}@elsewhere.example",),
        )
    elif way == 1:  # a colleague whose desk phone is the switchboard
        other = add_contact(db, "Zacharias", f"Colleague{n}", company=company, phones=(phone,))
    elif way == 2:  # two colleagues who both give the shared info@ box
        shared = EmailValue(f"info@{domain}", "work")
        draft = replace(person.to_draft(), emails=(*person.emails, shared))
        with db.transaction() as session:
            update_contact(session, person.id, draft)
        other = add_contact(
            db, "Quentin", f"Colleague{n}", company=company, emails=(f"info@{domain}",)
        )
    else:  # a relative on the same home phone
        other = add_contact(db, "Xavier", family, phones=(phone,))
    return frozenset((person.id, other))
