"""Every parser fed what hypothesis makes up (issue 15): no crash, no hang, no memory
blow-up; a refused file changes nothing. A parser either reads its input or refuses it
with a `CallsheetError` (a line for the user); anything else escaping is a defect.

CI runs `--fuzz-examples 60` per parser; a longer run: `--fuzz-examples 2000`.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from db.errors import CallsheetError
from desktop.contact_book import ContactBook
from desktop.defaults import load_defaults
from desktop.interop.calendar_items import read_calendar
from desktop.interop.files import plan_contacts
from desktop.interop.importer import OnDuplicate
from desktop.social.fetch import Fetcher, FetchError, RateGate
from desktop.social.profiles import recognise
from desktop.social.refresh import fetch_profile
from desktop.typed_dates import parse_day, parse_duration, parse_time

FUZZ = settings(
    max_examples=int(os.environ.get("CALLSHEET_FUZZ_EXAMPLES", "60")),
    deadline=None,  # a loaded machine is slow now and then; hangs are pytest-timeout's
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MEMORY_BUDGET = 512 << 20  # what one parse may add to the process, at most

# Bytes that look like the format more often than random bytes would.
CSV_PIECES = st.sampled_from(
    ["First Name", "Last Name", "E-mail 1 - Value", "Labels", "Birthday", "Phone 1 - Value",
     ",", ";", "\t", '"', '""', "\n", "\r\n", "=cmd|' /C calc'!A0", "Maya", "1990-02-30",
     "+47 55 30 12 40", "\ufeff", "\x00", "é", "山田", "\u202e"]
)  # fmt: skip
VCARD_PIECES = st.sampled_from(
    ["BEGIN:VCARD\r\n", "END:VCARD\r\n", "VERSION:4.0\r\n", "VERSION:3.0\r\n", "FN:Maya\r\n",
     "N:Lund;Maya;;;\r\n", "EMAIL;TYPE=work:m@x.example\r\n", "TEL:+4755301240\r\n",
     "BDAY:--0714\r\n", "BDAY:19900230\r\n", "PHOTO;ENCODING=b:iVBOR\r\n", " folded\r\n",
     "ADR:;;Street;City;;;Norway\r\n", "X-SOCIALPROFILE:https://github.com/m\r\n",
     "CATEGORIES:Leads,Café\r\n", "UID:urn:uuid:not-a-uuid\r\n", ";;;", ":", "\\n", "\r\n"]
)  # fmt: skip
ICAL_PIECES = st.sampled_from(
    ["BEGIN:VCALENDAR\r\n", "END:VCALENDAR\r\n", "BEGIN:VTODO\r\n", "END:VTODO\r\n",
     "BEGIN:VJOURNAL\r\n", "END:VJOURNAL\r\n", "SUMMARY:Call\r\n", "DUE:20261212T090000Z\r\n",
     "DUE;VALUE=DATE:20261212\r\n", "DTSTART:20261399T250000\r\n", "PRIORITY:1\r\n",
     "PRIORITY:x\r\n", "RRULE:FREQ=WEEKLY;COUNT=3\r\n", "RRULE:FREQ=SECONDLY\r\n",
     "STATUS:COMPLETED\r\n", "UID:x@y\r\n", "CONTACT;ALTREP=urn:uuid:1:Maya\r\n",
     "BEGIN:VALARM\r\n", "TRIGGER:-PT15M\r\n", "END:VALARM\r\n", ":", ";", "\r\n"]
)  # fmt: skip


def pieces(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Text built from `alphabet` and stray characters, in an encoding drawn too."""
    text = st.lists(st.one_of(alphabet, st.text(max_size=8)), max_size=60).map("".join)
    encoding = st.sampled_from(["utf-8", "utf-16", "cp1252", "shift_jis", "latin-1"])
    return st.tuples(text, encoding).map(lambda t: t[0].encode(t[1], errors="replace"))


class Budget:
    """Fails when a parse grew the process by more than `MEMORY_BUDGET`."""

    def __enter__(self) -> Budget:
        self.before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return self

    def __exit__(self, *_exc: object) -> None:
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - self.before
        assert grown < MEMORY_BUDGET, f"one parse took {grown >> 20} MB"


def read_or_refuse(path: Path, format: str) -> None:
    with Budget(), contextlib.suppress(CallsheetError):
        plan_contacts(path, format, None, "NO")


@pytest.mark.parametrize(("format", "alphabet"), [("csv", CSV_PIECES), ("vcf", VCARD_PIECES)])
@FUZZ
@given(data=st.data())
def test_any_contacts_file_is_read_or_refused(
    tmp_path: Path, format: str, alphabet: st.SearchStrategy[str], data: st.DataObject
) -> None:
    path = tmp_path / f"fuzz.{format}"
    path.write_bytes(data.draw(st.one_of(pieces(alphabet), st.binary(max_size=400))))
    read_or_refuse(path, format)


@FUZZ
@given(data=st.one_of(pieces(ICAL_PIECES), st.binary(max_size=400)))
def test_any_calendar_file_is_read_or_refused(data: bytes) -> None:
    with Budget(), contextlib.suppress(CallsheetError):
        read_calendar(data)


@FUZZ
@given(data=pieces(CSV_PIECES))
def test_a_refused_or_imported_file_leaves_the_book_whole(
    book: ContactBook, tmp_path: Path, data: bytes
) -> None:
    """Through the whole import: a file refused changes nothing; one read lands whole."""
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    before = book.count()
    try:
        plan, _ = plan_contacts(path, "csv", None, "NO")
        preview = book.import_preview(plan, OnDuplicate.MERGE)
    except CallsheetError:
        assert book.count() == before
        return
    outcome = book.import_contacts(preview, str(path), "csv")
    assert book.count() == before + outcome.created


TYPED = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["31/02", "2026-13-01", "tomorrow", "9:75", "25:00", "1h90", "-5", "9999999"]
)


@FUZZ
@given(text=TYPED, day_first=st.booleans())
def test_any_typed_date_time_or_length_is_read_or_refused(text: str, day_first: bool) -> None:
    for parse in (
        lambda t: parse_day(t, date(2026, 11, 23), day_first=day_first),
        parse_time,
        parse_duration,
    ):
        with contextlib.suppress(CallsheetError):
            parse(text)


TOML_PIECES = st.sampled_from(
    ['[social]\n', '[calls]\n', '[lock]\n', '[data]\n', '[nonsense]\n', 'enabled = true\n',
     'enabled = "yes"\n', 'keys = ["social.enabled"]\n', 'keys = [1]\n', 'max_age_days = 7\n',
     'max_age_days = -1\n', 'dir = "~/x"\n', 'disabled = ["github"]\n', '= \n', '"\n', '[[a]]\n']
)  # fmt: skip


@FUZZ
@given(text=st.lists(st.one_of(TOML_PIECES, st.text(max_size=10)), max_size=20).map("".join))
def test_any_defaults_file_is_used_or_ignored_with_a_reason(tmp_path: Path, text: str) -> None:
    path = tmp_path / "defaults.toml"
    path.write_text(text, "utf-8")
    found = load_defaults(path)
    assert found.problem is None or "was ignored because" in found.problem


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=20,
)
PROFILE_KEYS = st.sampled_from(
    ["name", "bio", "displayName", "description", "display_name", "note", "avatar", "avatar_url",
     "followers", "followersCount", "feed", "post", "record", "text", "content", "id", "url",
     "verified_accounts", "links", "company", "location", "blog"]
)  # fmt: skip
PROFILE_JSON: st.SearchStrategy[object] = st.deferred(
    lambda: (
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=30)
        | st.lists(PROFILE_JSON, max_size=3)
        | st.dictionaries(PROFILE_KEYS, PROFILE_JSON, max_size=6)
    )
)


@pytest.fixture
def answering(sources: HTTPServer) -> list[bytes]:
    """The loopback sources answer every request with the body in the list's last slot."""
    body = [b"{}"]

    def handler(_request: Request) -> Response:
        kind = "text/html" if body[0].lstrip().startswith(b"<") else "application/json"
        return Response(body[0], content_type=kind)

    for path in ("/xrpc/app.bsky.actor.getProfile", "/xrpc/app.bsky.feed.getAuthorFeed",
                 "/users/maya", "/api/v1/accounts/lookup", "/api/v1/accounts/1/statuses",
                 "/.well-known/webfinger", "/about"):  # fmt: skip
        sources.expect_request(path).respond_with_handler(handler)
    return body


REFS = {
    "bluesky": "@maya.bsky.social",
    "github": "https://github.com/maya",
    "mastodon": "@maya@mastodon.example",
}


@FUZZ
@given(data=st.one_of(PROFILE_JSON, JSON_VALUES), source=st.sampled_from(sorted(REFS)))
def test_any_answer_from_a_profile_source_is_read_or_refused(
    answering: list[bytes], fetcher: Fetcher, data: object, source: str
) -> None:
    answering[0] = json.dumps(data).encode()
    with contextlib.suppress(FetchError, CallsheetError):
        fetch_profile(fetcher, recognise(REFS[source]))


@FUZZ
@given(page=st.lists(st.one_of(st.sampled_from(
    ['<meta property="og:title" content="', '">', "<title>", "</title>", '<meta name="description"',
     ' content="&lt;b&gt;', "&#x202e;", "&amp;", "<!--", "<script>", "</", "<", ">", '"', "\x1b"]
), st.text(max_size=10)), max_size=40).map("".join))  # fmt: skip
def test_any_web_page_is_read_or_refused(
    answering: list[bytes], sources: HTTPServer, page: str
) -> None:
    answering[0] = ("<" + page).encode()
    through = Fetcher(gate=RateGate(spacing_s=0.0), trusted=[sources.url_for("")])
    try:
        snapshot = fetch_profile(through, recognise(sources.url_for("/about")))
    except (FetchError, CallsheetError):
        return
    finally:
        through.close()
    assert "\x1b" not in snapshot.display_name + snapshot.headline
    assert "\u202e" not in snapshot.display_name + snapshot.headline
