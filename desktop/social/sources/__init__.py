"""The public profile sources, by network. LinkedIn and X have none: link only."""

from __future__ import annotations

from collections.abc import Callable

from desktop.social.fetch import Fetcher
from desktop.social.profiles import ProfileRef
from desktop.social.snapshot import Snapshot
from desktop.social.sources import bluesky, github, mastodon, web_page

SOURCES: dict[str, Callable[[Fetcher, ProfileRef], Snapshot]] = {
    "bluesky": bluesky.fetch,
    "mastodon": mastodon.fetch,
    "github": github.fetch,
    "website": web_page.fetch,
}
