"""The call sheet's content, and `callsheet brief` online and then offline."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer
from sqlalchemy import update

from db import activities, history, notes
from db.activity_values import ActivityDraft
from db.clock import Moment
from db.engine import open_database
from db.models import Contact
from desktop.calls.brief import age, render_text
from desktop.calls.local_time import LocalTime, local_time
from desktop.calls.sheet import build_sheet
from desktop.contact_book import ContactBook
from desktop.social.profiles import recognise
from tests.desktop.social.conftest import fixture
from tests.factories import add_contact
from tests.locations import ROOT

NOW = datetime(2026, 11, 23, 8, 12, tzinfo=UTC)  # 09:12 in Bergen


def test_local_time_from_the_phone_then_the_country(data_dir: Path) -> None:
    db = open_database(data_dir)
    book = ContactBook(db)
    bergen = add_contact(db, "Maya", "Lund", phones=("+47 55 12 34 56",), region="NO")
    berlin = add_contact(db, "Jonas", "Weber", country="DE", city="Berlin")
    boston = add_contact(db, "Ann", "Lee", country="US", city="Boston")
    found = local_time(book.contact(bergen), NOW)
    assert found is not None and (found.zone, found.basis) == ("Europe/Oslo", "phone")
    assert f"{found.now:%H:%M}" == "09:12" and found.call_advice() == "a good time to call"
    by_country = local_time(book.contact(berlin), NOW)
    assert by_country is not None and by_country.zone == "Europe/Berlin"
    assert local_time(book.contact(boston), NOW) is None  # the US has several zones
    in_bergen = add_contact(
        db, "Ola", "Berg", phones=("+47 55 12 34 57",), region="NO", country="NO", city="Bergen"
    )
    found = local_time(book.contact(in_bergen), NOW)
    assert found is not None and found.place == "Bergen"  # the contact's city, not the zone's
    assert by_country.place == "Berlin" and found.zone == "Europe/Oslo"
    late = LocalTime("Europe/Oslo", datetime(2026, 11, 23, 22, 0), "phone")
    assert late.call_advice() == "outside business hours there"
    weekend = LocalTime("Europe/Oslo", datetime(2026, 11, 22, 11, 0), "phone")
    assert weekend.call_advice() == "it is the weekend there"
    book.close()


def test_the_sheet_gathers_everything_before_a_call(data_dir: Path) -> None:
    db = open_database(data_dir)
    book = ContactBook(db)
    maya = add_contact(
        db,
        "Maya",
        "Lund",
        company="Fjordline Logistics",
        title="Head of Purchasing",
        phones=("+47 55 12 34 56",),
        region="NO",
    )
    ola = add_contact(db, "Ola", "Berg", company="Fjordline Logistics")
    with db.transaction() as session:
        session.execute(update(Contact).where(Contact.id == maya).values(referred_by_id=ola))
        notes.add_note(session, maya, "Prefers calls before 10.", pinned=True)
        notes.add_note(session, maya, "Met at Nor-Shipping.")
        for days in (30, 10, 3, 1):
            history.record_history(
                session,
                [maya],
                kind="call",
                occurred_at=NOW - timedelta(days=days),
                regarding=f"call {days}",
            )
        activities.schedule(
            session,
            ActivityDraft(
                regarding="Send cold-chain pilot pricing",
                start=datetime(2026, 11, 24, 9),
                time_zone="Europe/Oslo",
                contact_ids=(maya,),
            ),
        )
    ref = recognise("x.com/mayalund")
    book.add_profile(maya, ref.network, ref.handle, ref.url)
    sheet = build_sheet(book, maya, Moment(NOW, "Europe/Oslo"), "NO")
    assert [h.regarding for h in sheet.history] == ["call 1", "call 3", "call 10"]
    assert sheet.promises == ["Send cold-chain pilot pricing"]
    assert [n.body for n in sheet.talking_points] == ["Prefers calls before 10."]
    assert sheet.referred_by == (ola, "Ola Berg")
    assert [c.display_name for c in sheet.colleagues] == ["Ola Berg"]
    text = render_text(sheet, "Europe/Oslo")
    assert "Local time: 09:12 in Oslo (a good time to call)" in text
    assert "X: https://x.com/mayalund (link only: not public)" in text
    assert "Tue 24 Nov 09:00  Call: Send cold-chain pilot pricing" in text
    book.close()


def test_ages_read_naturally() -> None:
    assert [age(NOW - timedelta(days=d), NOW) for d in (0, 1, 3, 30)] == [
        "today",
        "yesterday",
        "3 days ago",
        "4 weeks ago",
    ]


def test_brief_fetches_then_works_offline_from_the_cache(
    httpserver: HTTPServer, data_dir: Path
) -> None:
    db = open_database(data_dir)
    maya = add_contact(db, "Maya", "Lund", company="Fjordline Logistics")
    book = ContactBook(db)
    ref = recognise("@maya.bsky.social")
    book.add_profile(maya, ref.network, ref.handle, ref.url)
    book.close()
    httpserver.expect_request("/xrpc/app.bsky.actor.getProfile").respond_with_data(
        fixture("bluesky_profile.json"), content_type="application/json"
    )
    httpserver.expect_request("/xrpc/app.bsky.feed.getAuthorFeed").respond_with_data(
        fixture("bluesky_feed.json"), content_type="application/json"
    )
    env = {
        **os.environ,
        "CALLSHEET_BLUESKY_URL": httpserver.url_for("").rstrip("/"),
        "CALLSHEET_GRAVATAR_URL": "http://127.0.0.1:9",  # no Gravatar: nothing listens
    }

    def brief(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "brief", *args],
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
        )

    online = brief("maya lund", "--refresh", environment=env)
    assert online.returncode == 0, online.stderr
    assert "Profiles: updated 1" in online.stderr
    assert "Bluesky: https://bsky.app/profile/maya.bsky.social (fetched today)" in online.stdout
    assert "Head of Purchasing at Fjordline Logistics, Bergen." in online.stdout
    assert "2026-11-18  Our pilot with wireless temperature loggers" in online.stdout
    offline_env = {**env, "CALLSHEET_BLUESKY_URL": "http://127.0.0.1:9"}  # the network is gone
    offline = brief("maya lund", environment=offline_env)
    assert offline.returncode == 0, offline.stderr
    assert "Head of Purchasing at Fjordline Logistics, Bergen." in offline.stdout
    assert "(fetched today)" in offline.stdout
    failed = brief("maya lund", "--refresh", environment=offline_env)
    assert failed.returncode == 0
    assert "Profiles: offline (could not reach 127.0.0.1:9); nothing was fetched." in failed.stderr
    assert "Head of Purchasing at Fjordline Logistics, Bergen." in failed.stdout  # kept
    assert "last refresh failed: Could not reach 127.0.0.1:9" in failed.stdout
    nobody = brief("zzzz", environment=env)
    assert nobody.returncode == 1 and "Nobody matches “zzzz”" in nobody.stderr
