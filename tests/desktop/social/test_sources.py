"""Each source against recorded responses on a loopback server."""

from __future__ import annotations

import json

from pytest_httpserver import HTTPServer

from desktop.social.fetch import Fetcher
from desktop.social.profiles import recognise
from desktop.social.sources import SOURCES, gravatar
from tests.desktop.social.conftest import fixture

JSON = "application/json; charset=utf-8"


def test_bluesky_profile_and_recent_posts(sources: HTTPServer, fetcher: Fetcher) -> None:
    sources.expect_request(
        "/xrpc/app.bsky.actor.getProfile", query_string={"actor": "maya.bsky.social"}
    ).respond_with_data(fixture("bluesky_profile.json"), content_type=JSON)
    sources.expect_request("/xrpc/app.bsky.feed.getAuthorFeed").respond_with_data(
        fixture("bluesky_feed.json"), content_type=JSON
    )
    snapshot = SOURCES["bluesky"](fetcher, recognise("@maya.bsky.social"))
    assert snapshot.display_name == "Maya Lund"
    assert snapshot.headline.startswith("Head of Purchasing at Fjordline Logistics, Bergen.\n")
    assert snapshot.counts == {"followers": 1284, "following": 311, "posts": 842}
    assert snapshot.avatar_url.startswith("https://cdn.bsky.app/img/avatar/")
    assert [p.posted_at[:10] for p in snapshot.posts] == ["2026-11-18", "2026-11-12"]
    assert snapshot.posts[0].url == ("https://bsky.app/profile/maya.bsky.social/post/3lbq2fa6pxk2c")
    assert (
        snapshot.posts[1].text
        == "Anyone going to the Nor-Shipping cold chain day? <b>Let's</b> meet & talk sensors."
    )  # Bluesky posts are plain text: what looks like a tag is what was typed


def test_mastodon_finds_the_server_by_webfinger(sources: HTTPServer, fetcher: Fetcher) -> None:
    sources.expect_request(
        "/.well-known/webfinger", query_string={"resource": "acct:ole@fjord.example"}
    ).respond_with_data(fixture("mastodon_webfinger.json"), content_type="application/jrd+json")
    sources.expect_request(
        "/api/v1/accounts/lookup", query_string={"acct": "ole"}
    ).respond_with_data(fixture("mastodon_account.json"), content_type=JSON)
    sources.expect_request("/api/v1/accounts/109348210571234567/statuses").respond_with_data(
        fixture("mastodon_statuses.json"), content_type=JSON
    )
    snapshot = SOURCES["mastodon"](fetcher, recognise("@ole@fjord.example"))
    assert snapshot.display_name == "Ole Hansen"
    assert snapshot.headline == "Logistics nerd at Nordkjøl.\nReefer containers & IoT."
    assert snapshot.counts == {"followers": 412, "following": 198, "posts": 1530}
    assert snapshot.posts[0].text.startswith("New reefer monitoring RFP goes out in January.")
    assert snapshot.posts[0].url.endswith("/@ole/113507712345678901")


def test_github_user(sources: HTTPServer, fetcher: Fetcher) -> None:
    sources.expect_request("/users/mayalund").respond_with_data(
        fixture("github_user.json"), content_type=JSON
    )
    snapshot = SOURCES["github"](fetcher, recognise("github.com/mayalund"))
    assert (snapshot.display_name, snapshot.headline) == (
        "Maya Lund",
        "Data pipelines for cold-chain logistics.",
    )
    assert snapshot.details == {
        "company": "@fjordline",
        "location": "Bergen, Norway",
        "blog": "https://maya.example",
    }
    assert snapshot.counts == {"followers": 87, "following": 14, "repositories": 23}


def test_gravatar_by_email_hash_reveals_other_profiles(
    sources: HTTPServer, fetcher: Fetcher
) -> None:
    address = "  Maya.Lund@Fjordline.example "
    digest = gravatar.email_hash(address)
    assert digest == gravatar.email_hash("maya.lund@fjordline.example")
    body = json.loads(fixture("gravatar_profile.json").replace("HASH", digest))
    sources.expect_request(f"/v3/profiles/{digest}").respond_with_json(body)
    snapshot = gravatar.fetch_email(fetcher, address)
    assert snapshot.details == {
        "job_title": "Head of Purchasing",
        "company": "Fjordline Logistics",
        "location": "Bergen, Norway",
    }
    assert snapshot.links == (
        "https://bsky.app/profile/maya.bsky.social",
        "https://github.com/mayalund",
    )  # the hidden Mastodon account is left out


def test_a_web_page_by_its_opengraph_card(sources: HTTPServer, fetcher: Fetcher) -> None:
    sources.expect_request("/about").respond_with_data(
        fixture("web_page.html"), content_type="text/html; charset=utf-8"
    )
    ref = recognise(sources.url_for("/about"))
    snapshot = SOURCES["website"](fetcher, ref)
    assert snapshot.display_name == "Fjordline Logistics"
    assert snapshot.headline == (
        "Refrigerated transport between Norway and the continent since 1987. Bergen & Hamburg."
    )
    assert snapshot.avatar_url == sources.url_for("/images/og-ship.png")
    assert snapshot.details == {"site": "Fjordline Logistics"}


def test_linkedin_and_x_have_no_source() -> None:
    assert "linkedin" not in SOURCES and "x" not in SOURCES
