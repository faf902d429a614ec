"""A contact's own local time, from their phone number or their address's country, and
whether it is a reasonable hour to call."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_zones

from db.contact_values import AddressValue, ContactDetails

SYSTEM_ZONE_TABLE = Path("/usr/share/zoneinfo/zone.tab")


@dataclass(frozen=True)
class LocalTime:
    zone: str
    now: datetime  # aware, in `zone`
    basis: str  # "phone" or "address"
    city: str = ""  # the contact's own city, when it lies in `zone`

    @property
    def place(self) -> str:
        """The contact's city ("Bergen"), else the zone's ("Oslo" from "Europe/Oslo")."""
        return self.city or self.zone.rsplit("/", 1)[-1].replace("_", " ")

    def call_advice(self) -> str:
        """Whether now is a good time to call, by the clock there."""
        hour, weekday = self.now.hour + self.now.minute / 60, self.now.weekday()
        if weekday >= 5:
            return "it is the weekend there"
        if 9 <= hour < 17:
            return "a good time to call"
        if 8 <= hour < 9 or 17 <= hour < 18.5:
            return "early or late there, but possible"
        return "outside business hours there"


def local_time(
    details: ContactDetails, now: datetime, default_region: str = "US"
) -> LocalTime | None:
    """The contact's local time when one zone can be told (a phone number first, then
    the address's country when that country has a single zone)."""
    addresses = sorted(details.addresses, key=lambda a: not a.is_primary)
    for phone in sorted(details.phones, key=lambda p: not p.is_primary):
        zone = _phone_zone(phone.e164 or phone.number, default_region)
        if zone:
            return LocalTime(zone, now.astimezone(ZoneInfo(zone)), "phone", _city(addresses, zone))
    for address in addresses:
        zones = country_zones().get(address.country.upper(), ())
        offsets = {now.astimezone(ZoneInfo(zone)).utcoffset() for zone in zones}
        if zones and len(offsets) == 1:
            zone = zones[0]
            return LocalTime(zone, now.astimezone(ZoneInfo(zone)), "address", address.city)
    return None


def _city(addresses: list[AddressValue], zone: str) -> str:
    """The city of the first address in a country that uses `zone`."""
    for address in addresses:
        if address.city and zone in country_zones().get(address.country.upper(), ()):
            return address.city
    return ""


def _phone_zone(number: str, region: str) -> str | None:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    zones = [z for z in phone_zones.time_zones_for_number(parsed) if z != "Etc/Unknown"]
    if len(zones) != 1:
        return None
    try:
        ZoneInfo(zones[0])
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zones[0]


@functools.cache
def country_zones() -> dict[str, tuple[str, ...]]:
    """ISO country code -> the IANA zones it uses, its main one first (from the time-zone
    database's zone.tab: the system's, or the tzdata package's where the OS has none)."""
    text = _zone_table()
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            for country in fields[0].split(","):
                zones.setdefault(country, []).append(fields[2])
    return {country: tuple(names) for country, names in zones.items()}


def _zone_table() -> str:
    if SYSTEM_ZONE_TABLE.exists():
        return SYSTEM_ZONE_TABLE.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""
