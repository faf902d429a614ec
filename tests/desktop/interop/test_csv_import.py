"""Reading exports as they come: encodings, delimiters, presets, and row-level problems
that do not stop the rest."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from desktop.interop.countries import country_code
from desktop.interop.mapping import parse_birthday, plan_rows
from desktop.interop.presets import detect_preset, guess_mapping
from desktop.interop.table import ImportFileError, read_table
from tests.locations import FIXTURES

SAMPLES = FIXTURES / "import"


def test_a_google_contacts_export() -> None:
    table = read_table(SAMPLES / "google_contacts.csv")
    assert (table.encoding, table.delimiter) == ("utf-8", ",")
    assert detect_preset(table.headers) == "google"
    plan = plan_rows(table, guess_mapping(table.headers, "google"), "NO")
    maya, oyvind = plan.ready[0], plan.ready[1]
    assert maya.draft is not None and oyvind.draft is not None
    assert (maya.draft.given_name, maya.draft.company, maya.draft.title) == (
        "Maya",
        "Fjordline Logistics",
        "Head of Purchasing",
    )
    assert [p.e164 for p in maya.draft.phones] == ["+4791234567", "+4755123456"]
    assert maya.draft.addresses[0].country == "NO" and maya.draft.addresses[0].city == "Bergen"
    assert maya.groups == ("Bergen distributors",)  # Google's system label is left out
    assert maya.draft.birthday == date(1985, 3, 14)
    assert oyvind.draft.birthday == date(1604, 7, 2)  # no year, as vCard writes it
    [problem] = plan.problems
    assert (problem.row, problem.column) == (4, "E-mail 1 - Value")
    assert "not-an-email" in problem.message


def test_an_older_google_contacts_export_keeps_company_title_groups_and_names() -> None:
    """The layout Google exported until 2020: other name columns, Group Membership and
    numbered Organization columns. Columns no field takes are named, not dropped quietly."""
    table = read_table(SAMPLES / "google_legacy_contacts.csv")
    assert detect_preset(table.headers) == "google"
    plan = plan_rows(table, guess_mapping(table.headers, "google"), "NO")
    [maya, oyvind] = plan.ready
    assert maya.draft is not None and oyvind.draft is not None
    d = maya.draft
    assert (d.prefix, d.given_name, d.family_name, d.suffix, d.nickname) == (
        "Dr.", "Maya", "Lund", "Jr.", "May",
    )  # fmt: skip
    assert (d.company, d.title, d.department) == (
        "Fjordline Logistics",
        "Head of Purchasing",
        "Purchasing",
    )
    assert maya.groups == ("Bergen distributors", "Key accounts")
    assert [(e.address, e.label, e.is_primary) for e in d.emails] == [
        ("maya.lund@fjordline.example", "work", True),
        ("maya@home.example", "home", False),
    ]
    [address] = d.addresses
    assert (address.street, address.city, address.country) == (
        "Postboks 7\nStrandkaien 2\n3rd floor",
        "Bergen",
        "NO",
    )
    assert d.urls[0].url == "https://fjordline.example"
    assert (oyvind.draft.company, oyvind.draft.title) == ("Nordkjøl AS", "CTO")
    assert plan.unmapped == ("Gender", "Occupation")  # the whole address repeats its parts


def test_an_outlook_export_in_windows_1252() -> None:
    table = read_table(SAMPLES / "outlook_contacts.csv")
    assert table.encoding == "cp1252"
    assert detect_preset(table.headers) == "outlook"
    plan = plan_rows(table, guess_mapping(table.headers, "outlook"), "DE")
    anna = plan.ready[0].draft
    assert anna is not None
    assert (anna.prefix, anna.family_name, anna.title, anna.company) == (
        "Dr.",
        "Müller",
        "Leiterin Einkauf",
        "Kälte AG",
    )
    assert anna.birthday == date(1980, 5, 17)
    assert anna.addresses[0].country == "CH"
    assert plan.ready[0].groups == ("Key accounts", "Suppliers")
    jurgen = plan.ready[1].draft
    assert jurgen is not None and jurgen.birthday is None  # Outlook's "0/0/00"
    assert jurgen.phones[0].e164 == "+49401234567"  # a German number without +49
    [problem] = plan.problems
    assert (problem.row, problem.column) == (4, "Birthday")
    assert "“31/31/1999” is not a date" in problem.message


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        (codecs.BOM_UTF8 + "Name;Email\nÅse;ase@x.example\n".encode(), "utf-8-sig", ";"),
        ("Name\tEmail\nÅse\tase@x.example\n".encode("utf-16"), "utf-16", "\t"),
        ("Name|Email\nÅse|ase@x.example\n".encode("cp1252"), "cp1252", "|"),
    ],
)
def test_encodings_and_delimiters(
    tmp_path: Path, data: bytes, encoding: str, delimiter: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(data)
    table = read_table(path)
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    assert table.rows == [["Åse", "ase@x.example"]]
    assert guess_mapping(table.headers) == {"Name": "display_name", "Email": "email:work"}


def test_ragged_rows_are_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        "First Name,Last Name,Email\nAnn,Lee,ann@x.example\nBo,Ek\nCy,Oh,cy@x.example\n"
    )
    table = read_table(path)
    assert table.ragged == [3]
    plan = plan_rows(table, guess_mapping(table.headers))
    assert [row.row for row in plan.ready] == [2, 4]
    assert "different number of cells" in str(plan.problems[0])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
    ],
)
def test_files_that_cannot_be_imported(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFileError, match=message):
        read_table(path)
    with pytest.raises(ImportFileError, match="no longer exists"):
        read_table(tmp_path / "vanished.csv")


def test_birthdays_and_countries() -> None:
    assert parse_birthday("1980-05-17") == date(1980, 5, 17)
    assert parse_birthday("5/17/80") == date(1980, 5, 17)
    assert parse_birthday("0/0/00") is None
    with pytest.raises(ValueError, match="is not a date"):
        parse_birthday("sometime")
    assert [country_code(v) for v in ("Norway", "uk", "USA", "de", "Atlantis")] == [
        "NO",
        "GB",
        "US",
        "DE",
        "",
    ]


def test_central_european_windows_text_is_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "polish.csv"
    path.write_bytes("Name,City\nŁukasz Świątek,Łódź\nZofia Ąłęk,Kraków\n".encode("cp1250"))
    table = read_table(path)
    assert table.rows[0] == ["Łukasz Świątek", "Łódź"]


def test_one_bad_cell_does_not_keep_a_person_out(tmp_path: Path) -> None:
    """An impossible birthday and a mistyped e-mail: the person imports with everything
    else, each bad value waits in a custom field, and the cells are reported."""
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "First Name,Last Name,Birthday,E-mail,E-mail 2,Phone,Company\n"
        "Maya,Lund,31.02.1990,maya@@fjordline,maya@home.example,+47 912 34 567,Fjordline\n"
        ",,1990-01-01,nobody@example.com,,,\n"
    )
    table = read_table(sheet)
    mapping = {
        "First Name": "given_name", "Last Name": "family_name", "Birthday": "birthday",
        "E-mail": "email:work", "E-mail 2": "email:home", "Phone": "phone:work",
        "Company": "company",
    }  # fmt: skip
    plan = plan_rows(table, mapping, "NO")
    [maya] = plan.ready
    assert maya.draft is not None
    assert (maya.draft.given_name, maya.draft.company) == ("Maya", "Fjordline")
    assert [e.address for e in maya.draft.emails] == ["maya@home.example"]
    assert maya.draft.emails[0].is_primary
    assert maya.draft.birthday is None
    assert maya.draft.custom_fields == {
        "Birthday as imported": "31.02.1990",
        "Email as imported": "maya@@fjordline",
    }
    assert [(p.row, p.column) for p in maya.problems] == [(2, "Birthday"), (2, "E-mail")]
    assert all("imported without it" in p.message for p in maya.problems)
    assert plan.rejected == 1  # a row with no name at all still stays out
    [nameless] = [p for p in plan.problems if p.row == 3]
    assert "name" in nameless.message


def test_a_row_that_stays_out_does_not_claim_its_bad_birthday_was_kept(tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text("First Name,Birthday\n,31.02.1990\n")
    table = read_table(sheet)
    plan = plan_rows(table, {"First Name": "given_name", "Birthday": "birthday"}, "NO")
    assert plan.rejected == 1
    messages = [p.message for p in plan.problems]
    assert any("31.02.1990" in m for m in messages)
    assert not any("imported without it" in m for m in messages)
