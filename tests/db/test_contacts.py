"""Contacts, companies, groups and notes through the services the app uses."""

from __future__ import annotations

import dataclasses

import pytest

from db import companies, contact_values, contacts, groups, notes, trash
from db.contact_values import ContactDraft, EmailValue, PhoneValue
from db.contacts import ListQuery, SortColumn
from db.engine import Database
from db.errors import ValidationError
from tests.factories import add_contact


def test_phones_are_stored_as_entered_and_as_e164(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund", phones=("040 123 45 67", "+47 55 12 34 56"), region="DE")
    with db.reading() as session:
        phones = contacts.get_contact(session, cid).phones
    assert [(p.number, p.e164) for p in phones] == [
        ("040 123 45 67", "+49401234567"),
        ("+47 55 12 34 56", "+4755123456"),
    ]
    assert [p.is_primary for p in phones] == [True, False]


def test_validation_names_every_problem_and_saves_nothing(db: Database) -> None:
    draft = ContactDraft(
        emails=(EmailValue("maya(at)fjord.no"),),
        phones=(PhoneValue("12"),),
        default_region="NO",
    )
    with pytest.raises(ValidationError) as caught, db.transaction() as session:
        contacts.create_contact(session, draft)
    problems = caught.value.problems
    assert set(problems) == {"name", "emails[0]", "phones[0]"}
    assert "first or last name" in problems["name"]
    assert "maya(at)fjord.no" in problems["emails[0]"]
    assert "region assumed: NO" in problems["phones[0]"]
    with db.reading() as session:
        assert contacts.count_contacts(session) == 0


@pytest.mark.parametrize("address", ["a@b", "a b@c.de", "@x.com", "x@.com", "x@y.com.", "x@@y.z"])
def test_malformed_emails_are_refused(address: str) -> None:
    with pytest.raises(ValidationError):
        contact_values.validate(ContactDraft(given_name="A", emails=(EmailValue(address),)))


def test_display_name_follows_the_name_parts_unless_set(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        draft = contacts.get_contact(session, cid).to_draft()
        contacts.update_contact(session, cid, dataclasses.replace(draft, family_name="Berg"))
        assert contacts.get_contact(session, cid).display_name == "Maya Berg"
        contacts.update_contact(
            session, cid, dataclasses.replace(draft, display_name="Dr. Maya B.")
        )
        assert contacts.get_contact(session, cid).display_name == "Dr. Maya B."


def test_companies_are_shared_by_name_and_renamed_everywhere(db: Database) -> None:
    a = add_contact(db, "Maya", "Lund", company="Fjordline Logistics")
    b = add_contact(db, "Ola", "Nordmann", company="fjordline  logistics")
    with db.transaction() as session:
        [row] = companies.list_companies(session)
        assert row.name == "Fjordline Logistics"
        assert companies.count_contacts_of(session, row.id) == 2
        companies.rename_company(session, row.id, "Fjordline AS")
        assert {contacts.get_contact(session, c).company for c in (a, b)} == {"Fjordline AS"}
        listed = contacts.list_contacts(session, ListQuery(company_id=row.id), 0, 10)
        assert [r.display_name for r in listed] == ["Maya Lund", "Ola Nordmann"]


def test_the_list_pages_in_the_chosen_order(db: Database) -> None:
    for given, company in [("Cleo", "Beta"), ("Anna", "Gamma"), ("Bert", "Alpha")]:
        add_contact(db, given, "X", company=company)
    with db.reading() as session:
        by_name = contacts.list_contacts(session, ListQuery(), 0, 10)
        by_company = contacts.list_contacts(session, ListQuery(SortColumn.COMPANY), 0, 10)
        reverse = contacts.list_contacts(session, ListQuery(descending=True), 1, 1)
    assert [r.display_name for r in by_name] == ["Anna X", "Bert X", "Cleo X"]
    assert [r.company for r in by_company] == ["Alpha", "Beta", "Gamma"]
    assert [r.display_name for r in reverse] == ["Bert X"]


def test_groups_filter_the_list_and_refuse_duplicate_names(db: Database) -> None:
    a = add_contact(db, "Maya", "Lund")
    add_contact(db, "Ola", "Nordmann")
    with db.transaction() as session:
        gid = groups.create_group(session, "Key accounts")
        groups.add_to_group(session, gid, [a])
        with pytest.raises(ValidationError, match="already a group"):
            groups.create_group(session, "key ACCOUNTS")
        query = ListQuery(group_id=gid)
        assert contacts.count_contacts(session, query) == 1
        assert groups.member_counts(session) == {gid: 1}


def test_the_trash_restores_and_purges(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        gid = groups.create_group(session, "Prospects")
        contacts.trash_contacts(session, [cid])
        groups.trash_group(session, gid)
        items = trash.list_trash(session)
        assert {(i.kind, i.name) for i in items} == {
            ("contact", "Maya Lund"),
            ("group", "Prospects"),
        }
        trash.restore(session, [i for i in items if i.kind == "contact"])
        assert contacts.count_contacts(session) == 1
        trash.purge(session, [i for i in items if i.kind == "group"])
        assert trash.list_trash(session) == []
        assert groups.list_groups(session) == []


def test_purge_leaves_contacts_outside_the_trash_alone(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        assert contacts.purge_contacts(session, [cid]) == 0
        assert contacts.count_contacts(session) == 1


def test_notes_are_added_edited_pinned_and_trashed(db: Database) -> None:
    cid = add_contact(db, "Maya", "Lund")
    with db.transaction() as session:
        first = notes.add_note(session, cid, "Met at the trade show")
        second = notes.add_note(session, cid, "Send pilot pricing")
        notes.edit_note(session, second, "Send cold-chain pilot pricing", pinned=True)
        assert [n.body for n in notes.notes_for(session, cid)] == [
            "Send cold-chain pilot pricing",
            "Met at the trade show",
        ]
        notes.trash_note(session, first)
        assert len(notes.notes_for(session, cid)) == 1
        with pytest.raises(ValidationError):
            notes.add_note(session, cid, "   ")


def test_values_that_do_not_fit_are_refused_with_the_limit(db: Database) -> None:
    draft = ContactDraft(
        given_name="Maya", title="T" * 301, emails=(EmailValue("a" * 400 + "@x.example"),)
    )
    with pytest.raises(ValidationError) as caught:
        contact_values.validate(draft)
    assert caught.value.problems["title"] == (
        "The title is too long: 301 characters where 300 fit."
    )
    assert "too long" in caught.value.problems["emails[0]"]


def test_a_company_is_created_edited_and_checked(db: Database) -> None:
    from db.companies import CompanyDraft

    with db.transaction() as session:
        cid = companies.create_company(
            session,
            CompanyDraft(
                " Fjordline  Logistics ", "fjordline.no", "+47 55 00 00 00", "Bergen", "no"
            ),
        )
        details = companies.get_company(session, cid)
        assert details.draft == CompanyDraft(
            "Fjordline Logistics", "fjordline.no", "+47 55 00 00 00", "Bergen", "NO"
        )
        with pytest.raises(ValidationError) as caught:
            companies.create_company(
                session, CompanyDraft("fjordline logistics", website="not a site")
            )
        assert set(caught.value.problems) == {"name", "website"}
    member = add_contact(db, "Maya", "Lund", company="Fjordline Logistics")
    with db.transaction() as session:
        companies.update_company(session, cid, CompanyDraft("Fjordline AS", city="Bergen"))
        assert contacts.get_contact(session, member).company == "Fjordline AS"
        assert companies.get_company(session, cid).contact_count == 1


def test_history_is_listed_newest_first_on_every_contact_it_names(db: Database) -> None:
    from datetime import UTC, datetime, timedelta

    from db import history

    maya = add_contact(db, "Maya", "Lund")
    ola = add_contact(db, "Ola", "Nordmann")
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with db.transaction() as session:
        history.record_history(
            session,
            [maya, ola],
            kind="meeting",
            occurred_at=now,
            regarding="Pilot kickoff",
            duration_minutes=45,
        )
        history.record_history(
            session,
            [maya],
            kind="call",
            occurred_at=now - timedelta(days=2),
            outcome="left message",
        )
        with pytest.raises(ValidationError, match="outcome"):
            history.record_history(
                session, [maya], kind="call", occurred_at=now, outcome="went great"
            )
    with db.reading() as session:
        rows = history.history_for(session, maya)
        assert [(r.kind, r.outcome, r.occurred_at) for r in rows] == [
            ("meeting", "completed", now),
            ("call", "left message", now - timedelta(days=2)),
        ]
        assert [r.regarding for r in history.history_for(session, ola)] == ["Pilot kickoff"]


def test_who_referred_a_contact_is_kept_and_can_be_cleared(db: Database) -> None:
    import dataclasses

    ola = add_contact(db, "Ola", "Berg")
    with db.transaction() as session:
        maya = contacts.create_contact(session, ContactDraft(given_name="Maya", referred_by_id=ola))
    with db.reading() as session:
        details = contacts.get_contact(session, maya)
        assert details.referred_by_id == ola
        assert contacts.referrer_of(session, maya) == (ola, "Ola Berg")
    with db.transaction() as session:
        draft = dataclasses.replace(details.to_draft(), referred_by_id=None)
        contacts.update_contact(session, maya, draft)
    with db.reading() as session:
        assert contacts.referrer_of(session, maya) is None
    with db.transaction() as session:  # nobody refers themselves
        contacts.update_contact(session, maya, dataclasses.replace(draft, referred_by_id=maya))
    with db.reading() as session:
        assert contacts.get_contact(session, maya).referred_by_id is None


def test_an_honorific_does_not_move_a_name_and_file_as_sorts_by_family(db: Database) -> None:
    from db.contacts import create_contact, list_contacts, position_in_list

    for given, family, prefix in (
        ("Maya", "Lund", "Dr."),
        ("Anders", "Zahl", ""),
        ("Carl", "Berg", "Prof."),
    ):
        draft = ContactDraft(given_name=given, family_name=family, prefix=prefix)
        with db.transaction() as session:
            create_contact(session, draft)
    with db.reading() as session:
        by_first = list_contacts(session, ListQuery(SortColumn.NAME), 0, 10)
        by_family = list_contacts(session, ListQuery(SortColumn.FILE_AS), 0, 10)
        zahl = by_family[2].id
        assert position_in_list(session, ListQuery(SortColumn.FILE_AS), zahl) == 2
    assert [r.display_name for r in by_first] == ["Anders Zahl", "Prof. Carl Berg", "Dr. Maya Lund"]
    assert [r.display_name for r in by_family] == [
        "Prof. Carl Berg",
        "Dr. Maya Lund",
        "Anders Zahl",
    ]


def test_namesakes_filed_alike_keep_the_order_they_were_added_both_ways(db: Database) -> None:
    from db.contacts import list_contacts, position_in_list

    first = add_contact(db, "Maya", "Lund", company="Fjordline")
    add_contact(db, "Anders", "Zahl")
    second = add_contact(db, "Maya", "Lund", company="Havila")
    with db.reading() as session:
        up = [r.id for r in list_contacts(session, ListQuery(SortColumn.FILE_AS), 0, 10)]
        down = ListQuery(SortColumn.FILE_AS, descending=True)
        reverse = [r.id for r in list_contacts(session, down, 0, 10)]
        where = [position_in_list(session, down, cid) for cid in (first, second)]
    assert up[:2] == [first, second]
    assert reverse[1:] == [second, first]
    assert where == [2, 1]


def test_a_groups_pages_agree_whichever_way_they_are_read(db: Database) -> None:
    """The first pages of a big group are read by walking the book's names and keeping
    the members, deeper ones from the members sorted: the pages join up, namesakes
    included, in both orders, and the plans are the ones meant."""
    from db.contacts import _walk_names, ids_on_page, list_contacts
    from tests.db.query_plans import plans_of

    names = [
        ("Maya", "Lund"),
        ("Anders", "Zahl"),
        ("Ola", "Berg"),
        ("Maya", "Lund"),
        ("Kari", "Dahl"),
    ]
    ids = [add_contact(db, *names[n % len(names)]) for n in range(40)]
    with db.transaction() as session:
        group = groups.create_group(session, "Most of them")
        groups.add_to_group(session, group, ids[:30])
    for sort in (SortColumn.NAME, SortColumn.FILE_AS):
        for descending in (False, True):
            query = ListQuery(sort, descending, group_id=group)
            with db.reading() as session:
                assert _walk_names(session, query, 5) and not _walk_names(session, query, 100)
                paged = [
                    r.id
                    for offset in range(0, 30, 5)
                    for r in list_contacts(session, query, offset, 5)
                ]
                whole = [r.id for r in list_contacts(session, query, 0, 100)]
                assert ids_on_page(session, query, 0, 100) == whole
            assert paged == whole
            assert sorted(whole) == sorted(ids[:30])
    first, deep = (
        plans_of(db.engine, lambda offset=offset: _read_page(db, group, offset))
        for offset in (0, 25)
    )
    assert any("ix_contacts_live_name" in step for plan in first for step in plan.steps)
    assert any(
        "group_members" in step and "group_id=?)" in step for plan in deep for step in plan.steps
    )


def _read_page(db: Database, group: object, offset: int) -> None:
    from db.contacts import list_contacts

    with db.reading() as session:
        list_contacts(session, ListQuery(group_id=group), offset, 5)  # type: ignore[arg-type]
