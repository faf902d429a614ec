"""Bluesky: the public AppView's getProfile and getAuthorFeed (no login)."""

from __future__ import annotations

from desktop.social.fetch import Fetcher
from desktop.social.profiles import ProfileRef
from desktop.social.snapshot import (
    MAX_POSTS,
    Post,
    Snapshot,
    counts_from,
    plain,
    source_url,
    web_url,
)

DEFAULT_URL = "https://public.api.bsky.app"


def fetch(fetcher: Fetcher, ref: ProfileRef) -> Snapshot:
    base = source_url("bluesky", DEFAULT_URL)
    profile = fetcher.get_json(f"{base}/xrpc/app.bsky.actor.getProfile", {"actor": ref.handle})
    if not isinstance(profile, dict):
        profile = {}
    feed = fetcher.get_json(
        f"{base}/xrpc/app.bsky.feed.getAuthorFeed",
        {"actor": ref.handle, "limit": str(MAX_POSTS), "filter": "posts_no_replies"},
    )
    counts = counts_from(
        profile,
        {"followers": "followersCount", "following": "followsCount", "posts": "postsCount"},
    )
    return Snapshot(
        display_name=plain(profile.get("displayName"), 200),
        headline=plain(profile.get("description")),
        avatar_url=web_url(profile.get("avatar")),
        counts=counts,
        posts=tuple(_posts(feed, ref.handle)),
    )


def _posts(feed: object, handle: str) -> list[Post]:
    items = feed.get("feed", []) if isinstance(feed, dict) else []
    posts = []
    for item in items if isinstance(items, list) else []:
        post = item.get("post", {}) if isinstance(item, dict) else {}
        record = post.get("record", {}) if isinstance(post, dict) else {}
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            continue
        uri = post.get("uri", "")
        rkey = uri.rsplit("/", 1)[-1] if isinstance(uri, str) and "/" in uri else ""
        link = f"https://bsky.app/profile/{handle}/post/{rkey}" if rkey else ""
        posts.append(Post(str(record.get("createdAt", ""))[:40], plain(record["text"], 500), link))
    return posts[:MAX_POSTS]
