"""Mastodon: WebFinger on the handle's domain finds the account's server, then the
server's public account lookup and the account's recent statuses."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from desktop.social.fetch import BadResponse, Fetcher
from desktop.social.profiles import ProfileRef
from desktop.social.snapshot import (
    MAX_POSTS,
    Post,
    Snapshot,
    counts_from,
    from_html,
    plain,
    web_url,
)

PROFILE_PAGE = "http://webfinger.net/rel/profile-page"


def fetch(fetcher: Fetcher, ref: ProfileRef) -> Snapshot:
    user, domain = ref.handle.split("@", 1)
    finger = fetcher.get_json(
        f"{_server(domain)}/.well-known/webfinger", {"resource": f"acct:{ref.handle}"}
    )
    server = domain
    for link in (finger.get("links") or []) if isinstance(finger, dict) else []:
        if isinstance(link, dict) and link.get("rel") == PROFILE_PAGE:
            server = urlsplit(str(link.get("href", ""))).hostname or domain
    base = _server(server)
    account = fetcher.get_json(f"{base}/api/v1/accounts/lookup", {"acct": user})
    if not isinstance(account, dict) or not isinstance(account.get("id"), str):
        raise BadResponse(f"{server} sent an account without an id.")
    statuses = fetcher.get_json(
        f"{base}/api/v1/accounts/{account['id']}/statuses",
        {"limit": str(MAX_POSTS), "exclude_replies": "true", "exclude_reblogs": "true"},
    )
    counts = counts_from(
        account,
        {"followers": "followers_count", "following": "following_count", "posts": "statuses_count"},
    )
    posts = [
        Post(
            str(status.get("created_at", ""))[:40],
            from_html(status.get("content"), 500),
            web_url(status.get("url")),
        )
        for status in (statuses if isinstance(statuses, list) else [])
        if isinstance(status, dict) and from_html(status.get("content"), 500)
    ]
    return Snapshot(
        display_name=plain(account.get("display_name"), 200) or user,
        headline=from_html(account.get("note")),
        avatar_url=web_url(account.get("avatar")),
        counts=counts,
        posts=tuple(posts[:MAX_POSTS]),
    )


def _server(host: str) -> str:
    """https://host, or the test/proxy override `CALLSHEET_MASTODON_URL` for every server."""
    return os.environ.get("CALLSHEET_MASTODON_URL", f"https://{host}").rstrip("/")
