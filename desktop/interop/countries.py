"""Country codes from what exports write: a code ("NO"), or an English name ("Norway",
"United States of America", "UK")."""

from __future__ import annotations

import functools

import phonenumbers

_ALIASES = {
    "usa": "US", "united states of america": "US", "america": "US", "uk": "GB",
    "great britain": "GB", "england": "GB", "scotland": "GB", "holland": "NL",
    "the netherlands": "NL", "czechia": "CZ", "deutschland": "DE", "norge": "NO",
    "sverige": "SE", "danmark": "DK", "schweiz": "CH", "österreich": "AT",
}  # fmt: skip


@functools.cache
def _names() -> dict[str, str]:
    # The geocoding data takes 0.4 s to load: only when a file names a country in words.
    from phonenumbers import geocoder

    names = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        # phonenumbers ships English region names with its geocoding data.
        name = geocoder._region_display_name(region, "en")
        if name:
            names[name.lower()] = region
    return names


def country_code(value: str) -> str:
    """The ISO code for `value`, or "" when it names no country we know."""
    typed = " ".join(value.strip().split())
    folded = typed.lower()
    if folded in _ALIASES:
        return _ALIASES[folded]
    if len(typed) == 2 and typed.isalpha():
        return typed.upper()
    return _names().get(folded, "")
