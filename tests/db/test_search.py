"""Lookup semantics: terms, prefixes, diacritics, phones, emails, order, hostile text."""

from __future__ import annotations

import uuid

import pytest

from db import contacts, groups
from db.engine import Database
from db.lookup_query import match_expression
from db.search import LOOKUP
from tests.factories import add_contact, indexed_words


def names(db: Database, query: str, limit: int = 50) -> list[str]:
    with db.reading() as session:
        return [hit.display_name for hit in LOOKUP.lookup(session, query, limit)]


@pytest.fixture
def people(db: Database) -> dict[str, uuid.UUID]:
    return {
        "oyvind": add_contact(
            db,
            "Øyvind",
            "Berg",
            company="Fjordline Logistics",
            emails=("oyvind.berg@fjordline.no",),
            phones=("+47 55 12 34 56",),
            city="Bergen",
            country="NO",
            region="NO",
        ),
        "anna": add_contact(
            db,
            "Anna",
            "Müller",
            company="Zürich Kälte AG",
            city="Zürich",
            phones=("044 123 45 67",),
            region="CH",
        ),
        "john": add_contact(
            db,
            "John",
            "Smith",
            company="Acme",
            phones=("+1 (555) 010-4477",),
            emails=("jsmith@acme.example",),
            city="Boston",
        ),
        "joanna": add_contact(db, "Joanna", "Krause", company="Johnson Freight", city="Kiel"),
        "bob": add_contact(db, "Bob", "Johnson", company="Berg Foods", city="Oslo"),
    }


def test_several_words_must_all_match(db: Database, people: dict) -> None:
    assert names(db, "fjord ber") == ["Øyvind Berg"]
    assert names(db, "fjord oslo") == []


def test_a_word_matches_as_a_prefix_while_typing(db: Database, people: dict) -> None:
    assert names(db, "fjordl") == ["Øyvind Berg"]
    assert names(db, "Kra") == ["Joanna Krause"]


def test_diacritics_are_folded_both_ways(db: Database, people: dict) -> None:
    assert names(db, "zurich") == ["Anna Müller"]
    assert names(db, "muller") == ["Anna Müller"]
    assert names(db, "øyv") == ["Øyvind Berg"]
    assert names(db, "oyvind") == ["Øyvind Berg"]


def test_phone_fragments_match_on_digits(db: Database, people: dict) -> None:
    # A look-alike: a Brazilian number holding both "55" and "47", and a postcode 47.
    add_contact(db, "Ana", "Souza", phones=("+55 47 3333-4444",), region="BR")
    add_contact(db, "Lars", "Holm", city="47 Storgata 55", region="NO")
    assert names(db, "555 01") == ["John Smith"]
    assert names(db, "+47 55") == ["Øyvind Berg"]
    assert "Lars Holm" not in names(db, "+47")  # a number, not an address's 47
    assert names(db, "+55 47") == ["Ana Souza"]
    assert names(db, "5550104477") == ["John Smith"]
    assert names(db, "044 123") == ["Anna Müller"]


def test_email_fragments_match(db: Database, people: dict) -> None:
    assert names(db, "oyvind.berg@fjord") == ["Øyvind Berg"]
    assert names(db, "jsmith@acme") == ["John Smith"]


def test_name_prefix_hits_come_before_other_hits(db: Database, people: dict) -> None:
    # "Jo" starts John and Joanna's names; Bob Johnson's last name; Johnson Freight's
    # company only.
    assert names(db, "jo") == ["Joanna Krause", "John Smith", "Bob Johnson"]
    assert names(db, "berg") == ["Øyvind Berg", "Bob Johnson"]


def test_names_whose_words_follow_the_query_come_first(db: Database) -> None:
    add_contact(db, "Bernardo", "Márquez")
    add_contact(db, "Maren", "Bertelsen")
    add_contact(db, "Laura", "Berengario", company="Marmot Foods")
    assert names(db, "mar ber") == ["Maren Bertelsen", "Bernardo Márquez", "Laura Berengario"]


def test_limit_bounds_the_results(db: Database, people: dict) -> None:
    assert len(names(db, "jo", limit=2)) == 2


def test_trashed_contacts_are_not_found_until_restored(db: Database, people: dict) -> None:
    with db.transaction() as session:
        contacts.trash_contacts(session, [people["john"]])
    assert names(db, "smith") == []
    with db.transaction() as session:
        contacts.restore_contacts(session, [people["john"]])
    assert names(db, "smith") == ["John Smith"]


def test_an_edit_updates_the_index_in_the_same_transaction(db: Database, people: dict) -> None:
    with db.transaction() as session:
        details = contacts.get_contact(session, people["bob"])
        draft = details.to_draft()
        contacts.update_contact(
            session, people["bob"], type(draft)(**{**draft.__dict__, "family_name": "Nakamura"})
        )
    assert names(db, "johnson") == ["Joanna Krause"]  # her company, no longer Bob
    assert names(db, "nakam") == ["Bob Nakamura"]


def test_a_rolled_back_edit_leaves_the_index_as_it_was(db: Database, people: dict) -> None:
    with pytest.raises(RuntimeError), db.transaction() as session:
        contacts.trash_contacts(session, [people["anna"]])
        raise RuntimeError("the user's disk filled up")
    assert names(db, "muller") == ["Anna Müller"]


def test_group_names_are_lookup_tags(db: Database, people: dict) -> None:
    with db.transaction() as session:
        group = groups.create_group(session, "Bergen distributors")
        groups.add_to_group(session, group, [people["bob"]])
    assert names(db, "distrib") == ["Bob Johnson"]
    with db.transaction() as session:
        groups.rename_group(session, group, "Oslo wholesalers")
    assert names(db, "distrib") == []
    assert names(db, "wholes") == ["Bob Johnson"]


HOSTILE = [
    '"',
    '""',
    '"*',
    "*",
    "**",
    "(",
    ")",
    "()",
    "NEAR",
    "NEAR(a b)",
    "a NEAR b",
    "-",
    "-x",
    "a - b",
    ":",
    "name:",
    "name : x",
    "{name}: x",
    "^",
    "^x",
    "a OR b",
    "AND",
    "NOT x",
    "'",
    "''",
    "'; DROP TABLE contacts; --",
    "\\",
    "%",
    "_",
    "\x00",
    "\u202e",
    "🙂",
    "名",
    "   ",
    "",
    "\t\n",
    "a" * 10_000,
    ('é"*()-:^ ' * 1200)[:10_240],
    "+",
    "+-()",
    "0" * 500,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_any_text_a_user_types_is_safe(db: Database, people: dict, text: str) -> None:
    found = names(db, text)
    assert isinstance(found, list)
    assert len(found) <= 50


def test_fts_syntax_words_are_searched_as_words(db: Database) -> None:
    add_contact(db, "Near", "Andor", company="NOT Ltd")
    assert names(db, "near") == ["Near Andor"]
    assert names(db, "NOT") == ["Near Andor"]
    assert names(db, "near(") == ["Near Andor"]


def test_text_without_words_builds_no_query() -> None:
    assert match_expression("  -*()  ") is None
    assert match_expression('a"b') == '"a"* AND "b"*'


def test_unicode_names_are_found(db: Database) -> None:
    add_contact(db, "Ichiro", "鈴木", company="東京冷蔵")
    add_contact(db, "Şule", "Yılmaz", city="İzmir")
    add_contact(db, "Zoë", "Ångström")
    assert names(db, "鈴木") == ["Ichiro 鈴木"]
    assert names(db, "sule") == ["Şule Yılmaz"]
    assert names(db, "angst") == ["Zoë Ångström"]


def test_rebuilding_the_index_finds_the_same_people(db: Database, people: dict) -> None:
    before = {query: names(db, query) for query in ("jo", "zurich", "+47 55", "berg")}
    with db.transaction() as session:
        LOOKUP.rebuild(session.connection())
    assert {query: names(db, query) for query in before} == before
    with db.engine.connect() as conn:
        assert len(indexed_words(conn)) == 5


def test_a_lookup_says_which_value_each_word_matched(db: Database) -> None:
    from db.lookup_reasons import Reason, contact_values, reasons

    maya = add_contact(
        db,
        "Maya",
        "Lund",
        company="Fjordline Logistics",
        phones=("+47 55 30 12 40",),
        emails=("maya@fjordline.example",),
        city="Bergen",
        country="NO",
    )
    with db.reading() as session:
        values = contact_values(session, contacts.rows_for(session, [maya]))[maya]
    assert reasons("fjord ber", values) == [
        Reason("company", "Fjordline Logistics"),
        Reason("city", "Bergen"),
    ]
    assert reasons("+47 55", values) == [Reason("phone", "+47 55 30 12 40")]
    assert reasons("maya", values) == [Reason("name", "Maya Lund")]  # the name comes first
    assert reasons("oslo", values) == []
