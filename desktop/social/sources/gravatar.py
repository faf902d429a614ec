"""Gravatar: the v3 public profile of an email address (by the SHA-256 of the trimmed,
lower-cased address), which often lists the person's other profiles."""

from __future__ import annotations

import hashlib

from desktop.social.fetch import Fetcher
from desktop.social.snapshot import Snapshot, plain, source_url, web_url

DEFAULT_URL = "https://api.gravatar.com"


def email_hash(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()


def fetch_email(fetcher: Fetcher, address: str) -> Snapshot:
    base = source_url("gravatar", DEFAULT_URL)
    profile = fetcher.get_json(f"{base}/v3/profiles/{email_hash(address)}")
    if not isinstance(profile, dict):
        profile = {}
    details = {
        name: plain(profile.get(key), 300)
        for name, key in (
            ("job_title", "job_title"),
            ("company", "company"),
            ("location", "location"),
        )
        if plain(profile.get(key), 300)
    }
    accounts = profile.get("verified_accounts", [])
    links = tuple(
        url
        for account in (accounts if isinstance(accounts, list) else [])[:20]
        if isinstance(account, dict) and not account.get("is_hidden")
        if (url := web_url(account.get("url")))
    )
    return Snapshot(
        display_name=plain(profile.get("display_name"), 200),
        headline=plain(profile.get("description")),
        avatar_url=web_url(profile.get("avatar_url")),
        details=details,
        links=links,
    )
