"""Recognise a social profile from what a user pastes: a profile URL, an @handle, a
Mastodon address, or any web site. Raises ValueError saying which forms work."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from db.errors import InputError

NETWORKS = ("linkedin", "x", "bluesky", "mastodon", "github", "website")
NETWORK_TITLES = {
    "linkedin": "LinkedIn",
    "x": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "github": "GitHub",
    "website": "Web site",
}
# Networks whose profiles are not public without a login: shown as links only.
LINK_ONLY = frozenset({"linkedin", "x"})
FORMS = (
    "a profile URL (linkedin.com/in/…, x.com/…, bsky.app/profile/…, github.com/…), "
    "a Bluesky handle (name.bsky.social), a Mastodon address (@user@server), "
    "or a web site (https://…)"
)

_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
_MASTODON = re.compile(rf"^@?([a-z0-9_]{{1,30}})@({_HOST})$", re.IGNORECASE)
_BLUESKY_HANDLE = re.compile(rf"^@?({_HOST})$", re.IGNORECASE)
_LINKEDIN = re.compile(r"^/(?:in|company)/([^/?#]{2,100})/?$")
_X = re.compile(r"^/@?([A-Za-z0-9_]{1,15})/?$")
_GITHUB = re.compile(r"^/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/?$")
_BSKY_PATH = re.compile(rf"^/profile/({_HOST}|did:plc:[a-z2-7]{{24}})/?$", re.IGNORECASE)
_MASTODON_PATH = re.compile(r"^/@([A-Za-z0-9_]{1,30})/?$")
_X_RESERVED = {"home", "explore", "search", "settings", "i", "intent", "share", "messages"}
_GITHUB_RESERVED = {"orgs", "settings", "topics", "explore", "marketplace", "about", "login"}


@dataclass(frozen=True)
class ProfileRef:
    """Where a profile lives: its network, the handle there, and a link for people."""

    network: str
    handle: str
    url: str

    @property
    def link_only(self) -> bool:
        return self.network in LINK_ONLY


def recognise(text: str) -> ProfileRef:
    """The profile `text` points at."""
    typed = text.strip()
    if not typed or len(typed) > 2000 or any(c.isspace() for c in typed):
        raise InputError(f"“{_short(typed)}” is not a profile. Enter {FORMS}.")
    mastodon = _MASTODON.match(typed)
    if mastodon:
        user, server = mastodon.group(1), mastodon.group(2).lower()
        return ProfileRef("mastodon", f"{user}@{server}", f"https://{server}/@{user}")
    if "://" not in typed and typed.startswith("@") and _BLUESKY_HANDLE.match(typed):
        return _bluesky(typed[1:])
    if "://" not in typed and typed.lower().endswith(".bsky.social"):
        return _bluesky(typed)
    url = typed if "://" in typed else f"https://{typed}"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if parts.scheme not in ("http", "https") or not _valid_host(host):
        raise InputError(f"“{_short(typed)}” is not a profile. Enter {FORMS}.")
    path = parts.path or "/"
    if host.endswith("linkedin.com"):
        found = _LINKEDIN.match(path)
        if not found:
            raise InputError("A LinkedIn profile looks like linkedin.com/in/name.")
        kind = path.split("/")[1]
        link = f"https://www.linkedin.com/{kind}/{found.group(1)}"
        return ProfileRef("linkedin", found.group(1), link)
    if host in ("x.com", "twitter.com"):
        found = _X.match(path)
        if not found or found.group(1).lower() in _X_RESERVED:
            raise InputError("An X profile looks like x.com/name (letters, digits, _).")
        return ProfileRef("x", found.group(1), f"https://x.com/{found.group(1)}")
    if host == "bsky.app":
        found = _BSKY_PATH.match(path)
        if not found:
            raise InputError("A Bluesky profile looks like bsky.app/profile/name.bsky.social.")
        return _bluesky(found.group(1))
    if host == "github.com":
        found = _GITHUB.match(path)
        if not found or found.group(1).lower() in _GITHUB_RESERVED:
            raise InputError("A GitHub profile looks like github.com/name.")
        return ProfileRef("github", found.group(1), f"https://github.com/{found.group(1)}")
    found = _MASTODON_PATH.match(path)
    if found:
        user = found.group(1)
        return ProfileRef("mastodon", f"{user}@{host}", f"https://{host}/@{user}")
    return ProfileRef("website", host, parts._replace(fragment="").geturl())


def _valid_host(host: str) -> bool:
    """A domain name, or (for intranet pages and tests) localhost or an IPv4 address."""
    return bool(
        re.fullmatch(_HOST, host)
        or host == "localhost"
        or re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", host)
    )


def _bluesky(handle: str) -> ProfileRef:
    handle = handle.lower()
    return ProfileRef("bluesky", handle, f"https://bsky.app/profile/{handle}")


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
