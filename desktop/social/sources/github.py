"""GitHub: the public users API (name, company, bio, location, blog, avatar)."""

from __future__ import annotations

from desktop.social.fetch import Fetcher
from desktop.social.profiles import ProfileRef
from desktop.social.snapshot import Snapshot, counts_from, plain, source_url, web_url

DEFAULT_URL = "https://api.github.com"


def fetch(fetcher: Fetcher, ref: ProfileRef) -> Snapshot:
    user = fetcher.get_json(f"{source_url('github', DEFAULT_URL)}/users/{ref.handle}")
    if not isinstance(user, dict):
        user = {}
    details = {
        key: plain(user.get(key), 300)
        for key in ("company", "location", "blog")
        if plain(user.get(key), 300)
    }
    counts = counts_from(
        user,
        {"followers": "followers", "following": "following", "repositories": "public_repos"},
    )
    return Snapshot(
        display_name=plain(user.get("name"), 200) or ref.handle,
        headline=plain(user.get("bio")),
        avatar_url=web_url(user.get("avatar_url")),
        counts=counts,
        details=details,
    )
