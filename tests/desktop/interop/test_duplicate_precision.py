"""Duplicate detection on a seeded book with planted duplicates and planted look-alikes:
every planted duplicate is found, no look-alike is, and the seed itself mints (almost)
no duplicates."""

from __future__ import annotations

from db.duplicates import find_groups
from db.engine import Database
from desktop.demo import seed
from tests.duplicate_plants import plant, score

PLANTED = 40
BOOK = 3000


def test_planted_duplicates_are_found_and_look_alikes_are_not(db: Database) -> None:
    seed(db, BOOK, seed=7)
    with db.reading() as session:
        background = {frozenset(g.contact_ids) for g in find_groups(session)}
    plants = plant(db, PLANTED)
    with db.reading() as session:
        found = [frozenset(g.contact_ids) for g in find_groups(session)]
    result = score(found, background, plants)
    assert result.recall == 1.0
    assert result.look_alikes_grouped == 0
    assert result.precision == 1.0
    assert len(background) <= BOOK // 1000  # the same name at the same company, by chance


def test_role_addresses_and_shared_numbers_under_other_names_are_not_evidence(
    db: Database,
) -> None:
    from tests.factories import add_contact

    add_contact(db, "Anna", "Berg", company="Fjordline", emails=("info@fjordline.example",))
    add_contact(db, "Lars", "Berg", phones=("+4755512345",), emails=("post@fjordline.example",))
    add_contact(db, "Kari", "Nilsen", company="Fjordline", emails=("info@fjordline.example",))
    add_contact(db, "Anna", "Berg", phones=("+4755512345",))  # Lars's wife, at home
    add_contact(db, "L.", "Berg", phones=("+47 55 51 23 45",))  # Lars again
    with db.reading() as session:
        groups = find_groups(session)
    assert [g.reasons for g in groups] == [("same phone +4755512345",)]
    assert len(groups[0].contact_ids) == 2
