"""Merging duplicates: field choice, multi-valued union, moved links, and undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from db import activities, contact_values, contacts, groups, history, merge, notes, social_profiles
from db.activity_values import ActivityDraft
from db.contacts import get_contact
from db.duplicates import find_groups
from db.engine import Database
from tests.factories import add_contact


def _three_of_one_person(db: Database) -> tuple:
    a = add_contact(db, "Maya", "Lund", company="Fjordline AS", emails=("maya@fjordline.no",))
    b = add_contact(
        db, "Maya", "Lund", company="Fjordline", phones=("+47 912 34 567",),
        emails=("MAYA@fjordline.no", "maya.lund@gmail.com"),
    )  # fmt: skip
    c = add_contact(db, "Maja", "Lund", company="Fjordline A/S", city="Bergen", country="NO")
    return a, b, c


def test_three_records_of_one_person_are_one_group(db: Database) -> None:
    a, b, c = _three_of_one_person(db)
    add_contact(db, "Per", "Hansen", company="Fjordline AS", emails=("per@fjordline.no",))
    with db.reading() as session:
        found = find_groups(session)
    assert len(found) == 1
    assert set(found[0].contact_ids) == {a, b, c}
    assert "same email maya@fjordline.no" in found[0].reasons
    assert "similar name at the same company" in found[0].reasons


def test_merge_moves_everything_and_undo_puts_it_back(db: Database) -> None:
    a, b, c = _three_of_one_person(db)
    referred = add_contact(db, "Ola", "Nordmann")
    with db.transaction() as session:
        vip = groups.create_group(session, "VIP")
        groups.add_to_group(session, vip, [c])
        note_id = notes.add_note(session, b, "Prefers mornings", pinned=True)
        profile_id = social_profiles.add_profile(
            session, c, "github", "mayalund", "https://github.com/mayalund"
        )
        task = activities.schedule(
            session,
            ActivityDraft(regarding="Send pilot pricing", start=datetime(2030, 1, 7, 9),
                          time_zone="Europe/Oslo", contact_ids=(b,)),
        )  # fmt: skip
        call = history.record_history(
            session, [c, a], kind="call", occurred_at=datetime(2026, 11, 2, 10, tzinfo=UTC)
        )
        row = session.get(contacts.Contact, referred)
        row.referred_by_id = c
        records = [get_contact(session, cid).to_draft() for cid in (a, b, c)]
        chosen = replace(merge.combined_draft(records, (a, b, c)), given_name="Maya", title="Buyer")
    with db.transaction() as session:
        merge_id = merge.merge_contacts(session, a, [b, c], chosen)
    with db.reading() as session:
        survivor = get_contact(session, a)
        assert survivor.title == "Buyer"
        assert [e.address for e in survivor.emails] == ["maya@fjordline.no", "maya.lund@gmail.com"]
        assert [p.e164 for p in survivor.phones] == ["+4791234567"]
        assert survivor.addresses[0].city == "Bergen"
        assert [g.name for g in survivor.groups] == ["VIP"]
        assert [n.id for n in notes.notes_for(session, a)] == [note_id]
        assert [p.id for p in social_profiles.profiles_for(session, a)] == [profile_id]
        assert activities.get(session, task).draft.contact_ids == (a,)
        assert [h.id for h in history.history_for(session, a)] == [call]
        assert contacts.referrer_of(session, referred)[0] == a
        assert get_contact(session, b).deleted_at is not None
        assert get_contact(session, c).deleted_at is not None
        assert find_groups(session) == []
    with db.transaction() as session:
        assert merge.undo_merge(session, merge_id) == [a, b, c]
    with db.reading() as session:
        survivor = get_contact(session, a)
        assert survivor.title == ""
        assert [e.address for e in survivor.emails] == ["maya@fjordline.no"]
        assert survivor.groups == ()
        assert get_contact(session, c).groups[0].name == "VIP"
        assert [n.id for n in notes.notes_for(session, b)] == [note_id]
        assert [p.id for p in social_profiles.profiles_for(session, c)] == [profile_id]
        assert activities.get(session, task).draft.contact_ids == (b,)
        assert history.history_for(session, a)[0].id == call
        assert history.history_for(session, c)[0].id == call
        assert contacts.referrer_of(session, referred)[0] == c
        assert get_contact(session, b).deleted_at is None
        assert len(find_groups(session)) == 1


def test_an_address_many_people_share_does_not_make_them_one(db: Database) -> None:
    """info@ or a switchboard number belongs to an office, not a person: held by more
    than SHARED_LIMIT records it ties nobody together, in the book or in an import."""
    from desktop.interop import importer
    from desktop.interop.plan import ImportPlan, PlannedRow

    names = ["Ada Byron", "Bob Stone", "Cleo Park", "Dan Frost", "Eva Lind", "Finn Moe"]
    for given_family in names:
        given, family = given_family.split()
        add_contact(db, given, family, emails=("info@office.example",))
    twin = add_contact(db, "Gus", "Holm", emails=("gus@holm.example",))
    add_contact(db, "Gus", "Holmes", emails=("gus@holm.example",))
    with db.reading() as session:
        found = find_groups(session)
    assert [len(g.contact_ids) for g in found] == [2]
    assert twin in found[0].contact_ids

    row = PlannedRow(2, contact_values.validate(contact_values.ContactDraft(
        given_name="Hal", family_name="Berg",
        emails=(contact_values.EmailValue("info@office.example"),),
    )))  # fmt: skip
    with db.reading() as session:
        preview = importer.preview(session, ImportPlan([row]), importer.OnDuplicate.MERGE)
    assert [s.action for s in preview.steps] == [importer.Action.CREATE]
