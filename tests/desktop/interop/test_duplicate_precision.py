"""Duplicate detection on a seeded book with planted duplicates: every planted one is
found, and what is found is (nearly) only what was planted."""

from __future__ import annotations

import random
import uuid

from db.contacts import get_contact
from db.duplicates import find_groups
from db.engine import Database
from desktop.demo import seed
from tests.factories import add_contact

PLANTED = 60


def test_planted_duplicates_are_found_precisely(db: Database) -> None:
    seed(db, 3000, seed=7)
    with db.reading() as session:
        background = {frozenset(g.contact_ids) for g in find_groups(session)}
        ids = [
            cid
            for (cid,) in session.connection().exec_driver_sql(
                "SELECT id FROM contacts ORDER BY id"
            )
        ]
        rng = random.Random(11)
        everyone = [get_contact(session, uuid.UUID(hex=h)) for h in rng.sample(ids, 600)]
    # Typos are planted where a typist makes them: in names of several Latin letters.
    originals = [
        c
        for c in everyone
        if c.given_name.isascii() and len(c.given_name) >= 4 and c.emails and c.phones
    ][:PLANTED]
    planted = []
    for n, original in enumerate(originals):
        way = n % 3
        if way == 0:  # the same email, typed in capitals
            twin = add_contact(
                db, original.given_name, "", emails=(original.emails[0].address.upper(),)
            )
        elif way == 1:  # the same phone, typed another way
            twin = add_contact(db, "Someone", "Else", phones=(original.phones[0].e164 or "",))
        else:  # a typo in the name, at the same company written differently
            given = original.given_name
            typo = given[:-1] + ("a" if given[-1] != "a" else "e")
            twin = add_contact(db, typo, original.family_name, company=f"{original.company}, Inc.")
        planted.append(frozenset((original.id, twin)))
    with db.reading() as session:
        found = [frozenset(g.contact_ids) for g in find_groups(session)]
    new = [group for group in found if group not in background]
    caught = sum(any(pair <= group for group in found) for pair in planted)
    assert caught == PLANTED  # recall: every planted duplicate
    true_groups = sum(any(pair <= group for pair in planted) for group in new)
    assert true_groups / len(new) >= 0.95  # precision over what the planting added
    assert len(background) / 3000 < 0.02  # the seed itself looks like few duplicates
