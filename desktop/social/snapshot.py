"""What a profile source tells us, cleaned for showing as plain text."""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field

import nh3

MAX_TEXT = 2_000
MAX_POSTS = 5


@dataclass(frozen=True)
class Post:
    """A recent public post: when (ISO 8601), its text, and a link to it."""

    posted_at: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class Snapshot:
    """A profile as last fetched. `details` holds what only some sources have
    (location, company, job title, web site, verified accounts)."""

    display_name: str = ""
    headline: str = ""
    avatar_url: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    posts: tuple[Post, ...] = ()
    details: dict[str, str] = field(default_factory=dict)
    links: tuple[str, ...] = ()  # other profiles this one points at (Gravatar)

    def says_nothing(self, handle: str) -> bool:
        """Whether nothing came but, at most, the handle we asked for: an answer in a
        shape the source does not usually send, not a profile worth keeping."""
        told = (self.headline, self.avatar_url, self.counts, self.posts, self.details, self.links)
        return not any(told) and self.display_name in ("", handle)


# Control characters (terminal escapes among them) and the bidirectional overrides and
# isolates that make text read in another order than it is stored ("Trojan Source").
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """`text` without what could disguise it or drive a terminal: control characters
    (new lines and tabs aside) and bidirectional overrides."""
    return _HIDDEN.sub("", text)


def plain(text: object, limit: int = MAX_TEXT) -> str:
    """Plain text as a source sent it (a GitHub bio, a page's title): hidden characters
    removed, whitespace tidied, capped. "&lt;" stays "&lt;": it is what was written."""
    if not isinstance(text, str):
        return ""
    lines = [" ".join(line.split()) for line in shown(text).splitlines()]
    tidy = "\n".join(line for line in lines if line)
    return tidy if len(tidy) <= limit else tidy[: limit - 1] + "…"


def from_html(text: object, limit: int = MAX_TEXT) -> str:
    """Plain text from HTML a source sent (a Mastodon note or post): tags stripped
    (paragraph and line breaks kept as new lines), entities decoded, then as `plain`."""
    if not isinstance(text, str):
        return ""
    with_breaks = re.sub(r"(?i)<br\s*/?>|</p>\s*<p[^>]*>", "\n", text)
    return plain(html.unescape(nh3.clean(with_breaks, tags=set())), limit)


def count(value: object) -> int | None:
    """A non-negative integer count, or None for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def counts_from(data: dict[str, object], keys: dict[str, str]) -> dict[str, int]:
    """The counts a source gives, named our way: {"followers": "followersCount", ...}."""
    return {
        name: value for name, key in keys.items() if (value := count(data.get(key))) is not None
    }


def source_url(name: str, default: str) -> str:
    """A source's base URL: `CALLSHEET_<NAME>_URL` when set (proxies, self-hosted
    servers, tests), else the public one."""
    return os.environ.get(f"CALLSHEET_{name.upper()}_URL", default).rstrip("/")


def web_url(value: object) -> str:
    """`value` when it is an http(s) URL of sane length, else ""."""
    if not isinstance(value, str) or len(value) >= 2000 or any(c.isspace() for c in value):
        return ""
    return value if value.startswith(("https://", "http://")) else ""
