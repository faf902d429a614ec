"""Profiles are recognised from what people paste; anything else says what works."""

from __future__ import annotations

import pytest

from desktop.social.profiles import ProfileRef, recognise


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "https://www.linkedin.com/in/maya-lund-1234/",
            ProfileRef("linkedin", "maya-lund-1234", "https://www.linkedin.com/in/maya-lund-1234"),
        ),
        (
            "linkedin.com/company/fjordline",
            ProfileRef("linkedin", "fjordline", "https://www.linkedin.com/company/fjordline"),
        ),
        ("https://x.com/mayalund", ProfileRef("x", "mayalund", "https://x.com/mayalund")),
        (
            "https://twitter.com/@MayaLund?s=20",
            ProfileRef("x", "MayaLund", "https://x.com/MayaLund"),
        ),
        (
            "https://bsky.app/profile/maya.bsky.social",
            ProfileRef("bluesky", "maya.bsky.social", "https://bsky.app/profile/maya.bsky.social"),
        ),
        (
            "@Maya.bsky.social",
            ProfileRef("bluesky", "maya.bsky.social", "https://bsky.app/profile/maya.bsky.social"),
        ),
        (
            "maya.bsky.social",
            ProfileRef("bluesky", "maya.bsky.social", "https://bsky.app/profile/maya.bsky.social"),
        ),
        (
            "@maya@mastodon.social",
            ProfileRef("mastodon", "maya@mastodon.social", "https://mastodon.social/@maya"),
        ),
        (
            "https://fosstodon.org/@maya",
            ProfileRef("mastodon", "maya@fosstodon.org", "https://fosstodon.org/@maya"),
        ),
        ("github.com/mayalund", ProfileRef("github", "mayalund", "https://github.com/mayalund")),
        (
            "https://maya.example/about#me",
            ProfileRef("website", "maya.example", "https://maya.example/about"),
        ),
        (
            "http://127.0.0.1:8080/page",
            ProfileRef("website", "127.0.0.1", "http://127.0.0.1:8080/page"),
        ),
    ],
)
def test_recognised(typed: str, expected: ProfileRef) -> None:
    assert recognise(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "is not a profile"),
        ("maya lund", "is not a profile"),
        ("ftp://maya.example/", "is not a profile"),
        ("https://linkedin.com/feed/", "linkedin.com/in/name"),
        ("https://x.com/home", "x.com/name"),
        ("https://x.com/this_handle_is_far_too_long", "x.com/name"),
        ("https://bsky.app/search?q=maya", "bsky.app/profile"),
        ("https://github.com/orgs/acme", "github.com/name"),
        ("javascript:alert(1)", "is not a profile"),
        ("https://" + "a" * 3000 + ".example", "is not a profile"),
    ],
)
def test_rejected_with_the_expected_form(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        recognise(typed)


def test_linkedin_and_x_are_link_only() -> None:
    assert recognise("x.com/maya").link_only
    assert not recognise("github.com/maya").link_only
