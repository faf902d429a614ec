"""A contact's values, free of storage: drafts as entered, details as read, and the
rules a draft must meet (`validate`). Imports, exports, the vCard mapping and sync build
and read these without a database session.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from db.errors import ValidationError
from db.phones import parse_phone, parsing_region

_Part = TypeVar("_Part", "EmailValue", "PhoneValue", "AddressValue")

# Deliberately permissive (RFC 5322 allows far more than people type) but catches
# the mistakes people make: no @, spaces, no dot in the domain, a trailing dot.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_URL = re.compile(r"^(https?://)?[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


# The longest text each field holds: the database's column sizes (db.models reads them).
LENGTH_LIMITS = {
    "prefix": 50,
    "given_name": 200,
    "middle_name": 200,
    "family_name": 200,
    "suffix": 50,
    "display_name": 500,
    "nickname": 200,
    "title": 300,
    "department": 300,
    "company": 300,
    "owner": 200,
    "email": 320,
}
NO_YEAR = 1604  # a leap year: the year a birthday kept without one is stored in (as Apple's)


@dataclass(frozen=True)
class EmailValue:
    address: str
    label: str = "work"
    is_primary: bool = False


@dataclass(frozen=True)
class PhoneValue:
    number: str
    label: str = "work"
    is_primary: bool = False
    e164: str | None = None


@dataclass(frozen=True)
class AddressValue:
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    label: str = "work"
    is_primary: bool = False


@dataclass(frozen=True)
class UrlValue:
    url: str
    label: str = "work"


@dataclass(frozen=True)
class ContactDraft:
    """What a user entered for a contact; `default_region` is assumed for phones."""

    given_name: str = ""
    family_name: str = ""
    middle_name: str = ""
    prefix: str = ""
    suffix: str = ""
    display_name: str = ""
    nickname: str = ""
    title: str = ""
    department: str = ""
    company: str = ""
    birthday: date | None = None
    background: str = ""
    owner: str = ""
    emails: tuple[EmailValue, ...] = ()
    phones: tuple[PhoneValue, ...] = ()
    addresses: tuple[AddressValue, ...] = ()
    urls: tuple[UrlValue, ...] = ()
    group_ids: tuple[uuid.UUID, ...] = ()
    custom_fields: dict[str, str] = field(default_factory=dict)
    default_region: str = "US"
    referred_by_id: uuid.UUID | None = None


@dataclass(frozen=True)
class GroupRef:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class ContactDetails:
    """Everything the detail view and the edit dialog show for one contact."""

    id: uuid.UUID
    display_name: str
    given_name: str
    family_name: str
    middle_name: str
    prefix: str
    suffix: str
    nickname: str
    title: str
    department: str
    company: str
    company_id: uuid.UUID | None
    birthday: date | None
    background: str
    owner: str
    emails: tuple[EmailValue, ...]
    phones: tuple[PhoneValue, ...]
    addresses: tuple[AddressValue, ...]
    urls: tuple[UrlValue, ...]
    groups: tuple[GroupRef, ...]
    custom_fields: dict[str, str]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    rev: int
    referred_by_id: uuid.UUID | None = None

    def to_draft(self, default_region: str = "US") -> ContactDraft:
        """A draft holding these values, for editing."""
        return ContactDraft(
            given_name=self.given_name,
            family_name=self.family_name,
            middle_name=self.middle_name,
            prefix=self.prefix,
            suffix=self.suffix,
            display_name=custom_display_name(self),
            nickname=self.nickname,
            title=self.title,
            department=self.department,
            company=self.company,
            birthday=self.birthday,
            background=self.background,
            owner=self.owner,
            emails=self.emails,
            phones=self.phones,
            addresses=self.addresses,
            urls=self.urls,
            group_ids=tuple(g.id for g in self.groups),
            custom_fields=dict(self.custom_fields),
            default_region=default_region,
            referred_by_id=self.referred_by_id,
        )


class _Named(Protocol):
    @property
    def display_name(self) -> str: ...
    @property
    def given_name(self) -> str: ...
    @property
    def family_name(self) -> str: ...
    @property
    def middle_name(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def suffix(self) -> str: ...


def compose_display_name(named: _Named) -> str:
    """The name shown for a contact: as entered, or composed from its parts."""
    if named.display_name.strip():
        return " ".join(named.display_name.split())
    return _name_from_parts(named)


# Words before a name that say how to address the person, not who they are.
HONORIFICS = re.compile(
    r"^(?:(?:dr|mr|mrs|ms|miss|mx|prof|sir|dame|herr|frau|mme|mlle|sr|sra|srta|dott|"
    r"ing|mag|dipl|rev|fr)\.?\s+)+",
    re.IGNORECASE,
)
# Words after a name that are not part of it ("Jr.", "PhD", "III").
SUFFIXES = re.compile(r"(?:,?\s+(?:jr|sr|ii|iii|iv|phd|md|mba|esq|dds|cpa)\.?)+$", re.IGNORECASE)


def name_for_sorting(named: _Named) -> str:
    """The name without honorific or suffix ("Dr. Maya Lund, PhD" -> "Maya Lund"): what
    the list sorts by first names and what initials are taken from."""
    if named.display_name.strip() and custom_display_name(named):
        return bare_name(named.display_name)
    parts = (named.given_name, named.middle_name, named.family_name)
    return " ".join(p.strip() for p in parts if p.strip()) or bare_name(compose_display_name(named))


def bare_name(name: str) -> str:
    """A typed name without a leading honorific or a trailing suffix."""
    bare = SUFFIXES.sub("", HONORIFICS.sub("", " ".join(name.split())))
    return bare or " ".join(name.split())


def file_as(named: _Named) -> str:
    """The name as Act! and Outlook file it: family name first ("Lund Maya"), or the
    name without honorific when there is no family name (a company, a nickname)."""
    if named.family_name.strip():
        parts = (named.family_name, named.given_name, named.middle_name)
        return " ".join(p.strip() for p in parts if p.strip())
    return name_for_sorting(named)


def custom_display_name(named: _Named) -> str:
    """The display name if it says more than the name parts, else "": a display name
    that only repeats them follows them when they change."""
    same = " ".join(named.display_name.split()) == _name_from_parts(named)
    return "" if same else named.display_name


def _name_from_parts(named: _Named) -> str:
    parts = (named.prefix, named.given_name, named.middle_name, named.family_name, named.suffix)
    return " ".join(p.strip() for p in parts if p.strip())


def validate(draft: ContactDraft) -> ContactDraft:
    """Check `draft` and return it cleaned (trimmed, phones with E.164).

    Raises ValidationError listing every problem, keyed by field ("name",
    "emails[0]", "phones[1]", ...), so the dialog can point at each one.
    """
    problems: dict[str, str] = {}
    if not compose_display_name(draft):
        problems["name"] = "Enter a first or last name (or a display name)."
    for field_name, title in _FIELD_TITLES.items():
        too_long = _too_long(getattr(draft, field_name), LENGTH_LIMITS[field_name])
        if too_long:
            problems[field_name] = f"{title} {too_long}"
    emails = []
    for n, email in enumerate(draft.emails):
        address = email.address.strip()
        if not address:
            continue
        if not _EMAIL.match(address):
            problems[f"emails[{n}]"] = (
                f"“{address}” is not an email address (expected name@example.com)."
            )
        elif too_long := _too_long(address, LENGTH_LIMITS["email"]):
            problems[f"emails[{n}]"] = f"This email address {too_long}"
        emails.append(EmailValue(address, email.label, email.is_primary))
    phones = []
    for n, phone in enumerate(draft.phones):
        if not phone.number.strip():
            continue
        try:
            # A stored number already knows its country; a typed one assumes the default
            # (one written with + and its country code needs neither).
            international = phone.number.lstrip().startswith("+")
            region = draft.default_region if international else parsing_region(phone.e164)
            region = region or draft.default_region
            parsed = parse_phone(phone.number, region)
        except ValueError as error:
            problems[f"phones[{n}]"] = str(error)
            continue
        phones.append(PhoneValue(parsed.entered, phone.label, phone.is_primary, parsed.e164))
    addresses = []
    for n, addr in enumerate(draft.addresses):
        values = [addr.street, addr.city, addr.region, addr.postal_code, addr.country]
        if not any(v.strip() for v in values):
            continue
        if addr.country.strip() and not _COUNTRY.match(addr.country.strip()):
            problems[f"addresses[{n}]"] = (
                f"Country “{addr.country}” should be a two-letter code such as NO, DE or US."
            )
        addresses.append(
            AddressValue(
                addr.street.strip(),
                addr.city.strip(),
                addr.region.strip(),
                addr.postal_code.strip(),
                addr.country.strip().upper(),
                addr.label,
                addr.is_primary,
            )
        )
    urls = []
    for n, url in enumerate(draft.urls):
        if not url.url.strip():
            continue
        if not _URL.match(url.url.strip()):
            problems[f"urls[{n}]"] = f"“{url.url}” is not a web address (expected example.com)."
        urls.append(UrlValue(url.url.strip(), url.label))
    if problems:
        raise ValidationError(problems)
    text_fields: dict[str, Any] = {
        name: getattr(draft, name).strip()
        for name in _SCALARS
        if isinstance(getattr(draft, name), str)
    }
    return replace(
        draft,
        **text_fields,
        emails=tuple(_with_primary(emails)),
        phones=tuple(_with_primary(phones)),
        addresses=tuple(_with_primary(addresses)),
        urls=tuple(urls),
        custom_fields=dict(draft.custom_fields),
    )


_FIELD_TITLES = {
    "given_name": "The first name",
    "family_name": "The last name",
    "middle_name": "The middle name",
    "prefix": "The prefix",
    "suffix": "The suffix",
    "display_name": "The display name",
    "nickname": "The nickname",
    "title": "The title",
    "department": "The department",
    "company": "The company name",
    "owner": "The account owner",
}


def _too_long(value: str, limit: int) -> str | None:
    """ "is too long: …" when `value` does not fit in `limit` characters, else None."""
    if len(value) > limit and len(value.strip()) > limit:
        return f"is too long: {len(value.strip()):,} characters where {limit:,} fit."
    return None


_SCALARS = (
    "given_name",
    "family_name",
    "middle_name",
    "prefix",
    "suffix",
    "display_name",
    "nickname",
    "title",
    "department",
    "company",
    "birthday",
    "background",
    "owner",
)


def _with_primary(values: list[_Part]) -> list[_Part]:
    """Exactly one value marked primary: the first marked one, else the first."""
    if not values:
        return values
    chosen = next((n for n, v in enumerate(values) if v.is_primary), 0)
    return [
        v if v.is_primary == (n == chosen) else replace(v, is_primary=(n == chosen))
        for n, v in enumerate(values)
    ]


@dataclass(frozen=True)
class ProfileLink:
    network: str
    handle: str
    url: str


@dataclass(frozen=True)
class ExportedContact:
    """A contact as exports write it: its details and what only a card carries."""

    details: ContactDetails
    photo: bytes | None
    vcard_extra: tuple[str, ...]
    profiles: tuple[ProfileLink, ...]


@dataclass(frozen=True)
class ImportedContact:
    """A contact as an import (or a sync) writes it: a validated draft and what comes
    with it. `draft.group_ids` is ignored: `groups` names them (made when missing)."""

    id: uuid.UUID
    draft: ContactDraft
    groups: tuple[str, ...] = ()
    profiles: tuple[ProfileLink, ...] = ()
    photo: bytes | None = None
    vcard_extra: tuple[str, ...] = ()
