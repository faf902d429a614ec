"""Property-based: contacts with arbitrary Unicode survive a vCard round trip, and no
file, however broken, crashes the vCard or CSV reader."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.contact_values import (
    AddressValue,
    ContactDetails,
    ContactDraft,
    EmailValue,
    ExportedContact,
    GroupRef,
    UrlValue,
    validate,
)
from desktop.interop.content_lines import fold, logical_lines
from desktop.interop.mapping import plan_rows
from desktop.interop.table import Table
from desktop.interop.vcard import plan_vcards, write_vcard

# Any text a user could type: no surrogates, no NUL; line breaks and separators included.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=40
)
WORD = TEXT.map(str.strip).filter(bool)
LABEL = st.sampled_from(["work", "home", "other", "assistant", "Ünïcode label"])


@st.composite
def contacts(draw: st.DrawFn) -> ExportedContact:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    return ExportedContact(
        ContactDetails(
            id=uuid.uuid4(), display_name=draw(WORD), given_name=draw(TEXT.map(str.strip)),
            family_name=draw(TEXT.map(str.strip)), middle_name="", prefix="", suffix="",
            nickname=draw(TEXT.map(str.strip)), title=draw(TEXT.map(str.strip)),
            department=draw(TEXT.map(str.strip)), company=draw(TEXT.map(str.strip)),
            company_id=None,
            birthday=draw(st.one_of(st.none(), st.dates(date(1604, 1, 1), date(2020, 12, 31)))),
            background=draw(TEXT.map(str.strip)), owner=draw(TEXT.map(str.strip)),
            emails=tuple(
                EmailValue(f"{local}@example.com", label, n == 0)
                for n, (local, label) in enumerate(
                    draw(st.lists(st.tuples(st.from_regex(r"[a-z0-9._]{1,12}", fullmatch=True),
                                            LABEL), max_size=3, unique_by=lambda t: t[0]))
                )
            ),
            phones=(),
            addresses=tuple(
                AddressValue(street, city, "", "", "", label, n == 0)
                for n, (street, city, label) in enumerate(
                    draw(st.lists(st.tuples(WORD, TEXT.map(str.strip), LABEL), max_size=2))
                )
            ),
            urls=tuple(UrlValue(f"https://{host}.example", "work")
                       for host in draw(st.lists(st.from_regex(r"[a-z]{1,10}", fullmatch=True),
                                                 max_size=2, unique=True))),
            groups=tuple(GroupRef(uuid.uuid4(), name)
                         for name in draw(st.lists(WORD, max_size=3, unique=True))),
            custom_fields=draw(st.dictionaries(WORD, WORD, max_size=3)),
            created_at=when, updated_at=when, deleted_at=None, rev=1,
        ),
        None,
        (),
        (),
    )  # fmt: skip


def _expected(contact: ExportedContact) -> ContactDraft:
    return validate(contact.details.to_draft())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contacts(), st.sampled_from(["4.0", "3.0"]))
def test_any_contact_survives_a_vcard_round_trip(contact: ExportedContact, version: str) -> None:
    text = write_vcard(contact, version)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    [row] = plan_vcards(text).rows
    assert row.problems == ()
    assert row.uid == contact.details.id
    assert row.groups == tuple(g.name for g in contact.details.groups)
    assert row.draft is not None
    got = validate(row.draft)
    want = _expected(contact)
    assert got.display_name == contact.details.display_name
    for name in ("given_name", "family_name", "nickname", "title", "department", "company",
                 "birthday", "background", "owner", "emails", "addresses", "urls",
                 "custom_fields"):  # fmt: skip
        assert getattr(got, name) == getattr(want, name), name


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_no_text_crashes_the_vcard_reader(text: str) -> None:
    for row in plan_vcards("BEGIN:VCARD\r\n" + text).rows:
        assert row.draft is not None or row.problems


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(TEXT, max_size=6), min_size=1, max_size=5))
def test_no_table_crashes_the_csv_mapping(rows: list[list[str]]) -> None:
    headers = ["First Name", "E-mail 1 - Value", "Phone 1 - Value", "Birthday", "Labels"]
    table = Table(headers, rows, "utf-8", ",", [n + 2 for n, r in enumerate(rows) if len(r) != 5])
    targets = ["given_name", "email#1.value", "phone#1.value", "birthday", "labels"]
    mapping = dict(zip(headers, targets, strict=True))
    plan = plan_rows(table, mapping, "US")
    assert len(plan.rows) == len(rows)


@given(TEXT)
def test_folding_never_splits_a_character(text: str) -> None:
    escaped = text.replace("\n", "\\n")
    folded = fold("NOTE:" + escaped)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert [line for _, line in logical_lines(folded) if line] == ["NOTE:" + escaped]


HEAD_TEXT = st.text(alphabet="ABCXYZabc019-.;=,^'n: \\", max_size=30)


@settings(max_examples=300, deadline=None)
@given(HEAD_TEXT, st.text(max_size=30))
def test_the_fast_line_reader_reads_as_the_general_one(head: str, value: str) -> None:
    """Lines without quoted parameters take a shortcut; it must agree with the reader
    that handles every line, on what it reads and on what it refuses."""
    from desktop.interop.content_lines import _parse_general, parse_line

    line = f"{head}:{value}"
    try:
        general = _parse_general(7, line)
    except ValueError:
        general = None
    try:
        fast = parse_line(7, line)
    except ValueError:
        fast = None
    assert fast == general
