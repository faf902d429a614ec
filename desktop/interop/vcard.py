"""Contacts to and from vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350, RFC 9554).

Every field Callsheet holds has a property; properties it has no field for are kept
verbatim on the contact and written back on export, so a card survives a round trip.
Labels outside the standard types travel as Apple-style `itemN.X-ABLabel` groups,
which Apple, Google and most phones read. The mapping is per card and touches no
storage (`read_card`, `write_vcard`), so CardDAV sync applies it one resource at a time.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from urllib.parse import unquote

from db.contact_values import (
    NO_YEAR,
    AddressValue,
    ContactDraft,
    EmailValue,
    ExportedContact,
    PhoneValue,
    UrlValue,
)
from db.errors import InputError, ValidationError
from db.gc_pause import cyclic_gc_paused
from desktop.image_kinds import image_kind
from desktop.interop.content_lines import (
    Component,
    ContentLine,
    decode_base64,
    escape,
    line,
    param_value,
    read_components,
    structured,
    text_list,
    unescape,
)
from desktop.interop.countries import country_code
from desktop.interop.plan import (
    ImportPlan,
    PlannedRow,
    RowProblem,
    is_foreign_uid,
    normal_label,
    record_id,
)
from desktop.interop.set_aside import validate_setting_aside

Warn = Callable[[ContentLine, str], None]
MAX_PHOTO_BYTES = 2_000_000
REFERRED_BY = "x-referred-by"
E164_PARAM = "X-CALLSHEET-E164"
_HANDLED = {
    "BEGIN", "END", "VERSION", "PRODID", "REV", "FN", "N", "NICKNAME", "ORG", "TITLE", "BDAY",
    "NOTE", "EMAIL", "TEL", "ADR", "URL", "SOCIALPROFILE", "X-SOCIALPROFILE", "CATEGORIES",
    "UID", "X-CALLSHEET-OWNER", "X-CALLSHEET-FIELD", "X-ABLABEL", "KIND",
}  # fmt: skip
_PHONE_TYPES = {"cell": "mobile", "fax": "fax", "pager": "pager", "home": "home", "work": "work"}
_UID_LINE = re.compile(r"(?i)^UID[;:]")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_IMAGE_TYPES = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}


# Reading


def plan_vcards(text: str, default_region: str = "US") -> ImportPlan:
    """Each card of a .vcf file as a planned row (numbered from 1)."""
    plan = ImportPlan()
    with cyclic_gc_paused():
        for number, card in enumerate(read_components(text, "VCARD"), start=1):
            plan.rows.append(_card_row(number, card, default_region))
    return plan


def read_card(text: str, default_region: str = "US") -> PlannedRow:
    """One vCard (a CardDAV resource, say) as a draft with its problems; InputError
    when `text` holds no card or more than one."""
    cards = list(read_components(text, "VCARD"))
    if len(cards) != 1:
        raise InputError(f"Expected one vCard, found {len(cards)}.")
    return _card_row(1, cards[0], default_region)


def _card_row(number: int, card: Component, region: str) -> PlannedRow:
    problems = [RowProblem(number, "", message, "card") for _, message in card.problems]
    labels = {ln.group: _label_text(unescape(ln.value)) for ln in card.all("X-ABLABEL") if ln.group}
    used_groups: set[str] = set()
    values: dict[str, object] = {}
    emails: list[EmailValue] = []
    phones: list[PhoneValue] = []
    addresses: list[AddressValue] = []
    urls: list[UrlValue] = []
    profiles: list[str] = []
    groups: list[str] = []
    notes: list[str] = []
    custom: dict[str, str] = {}
    extra: list[str] = []
    sources: dict[str, str] = {}
    photo: bytes | None = None
    uid: uuid.UUID | None = None
    referred_by: uuid.UUID | None = None

    def label(
        ln: ContentLine,
        default: str,
        mapping: dict[str, str] | None = None,
        keep_case: bool = False,
    ) -> str:
        if ln.group in labels:
            used_groups.add(ln.group)
            return labels[ln.group] if keep_case else normal_label(labels[ln.group])
        for kind in sorted(ln.types):
            if mapping is not None and kind in mapping:
                return mapping[kind]
            if mapping is None and kind in ("work", "home"):
                return kind
        return default

    def primary(ln: ContentLine) -> bool:
        return "pref" in ln.types or ln.param("PREF") == "1"

    def warn(ln: ContentLine, message: str) -> None:
        problems.append(RowProblem(number, ln.name, message, "card"))

    kind = card.first("KIND")
    if kind is not None and unescape(kind.value).strip().lower() == "group":
        return PlannedRow(
            number,
            None,
            problems=(
                RowProblem(number, "KIND", "is a group card, not a contact; left out", "card"),
            ),
            unit="card",
        )
    for ln in card.lines:
        name = ln.name
        if name == "FN":
            values["display_name"] = unescape(ln.value).strip()
        elif name == "N":
            family, given, middle, prefix, suffix = structured(ln.value, 5)
            values.update(
                family_name=family, given_name=given, middle_name=middle, prefix=prefix,
                suffix=suffix,
            )  # fmt: skip
        elif name == "NICKNAME":
            values["nickname"] = ", ".join(v for v in text_list(ln.value) if v)
        elif name == "ORG":
            company, *units = structured(ln.value, 0)
            values["company"] = company
            values["department"] = ", ".join(u for u in units if u)
        elif name == "TITLE":
            values["title"] = unescape(ln.value)
        elif name == "BDAY":
            try:
                values["birthday"] = parse_vcard_date(ln.value, ln.param("X-APPLE-OMIT-YEAR"))
            except ValueError as error:
                warn(ln, f"{error}; the birthday is left out")
                extra.append(_kept(ln))
        elif name == "NOTE":
            notes.append(unescape(ln.value).replace("\r\n", "\n"))
        elif name == "EMAIL":
            sources[f"emails[{len(emails)}]"] = name
            emails.append(EmailValue(unescape(ln.value).strip(), label(ln, "work"), primary(ln)))
        elif name == "TEL":
            sources[f"phones[{len(phones)}]"] = name
            number_text = _phone_text(ln)
            phones.append(
                PhoneValue(
                    number_text,
                    label(ln, "work", _PHONE_TYPES),
                    primary(ln),
                    ln.param(E164_PARAM) or None,
                )
            )
        elif name == "ADR":
            addresses.append(_address(ln, label(ln, "work"), primary(ln), warn))
        elif name == "URL":
            sources[f"urls[{len(urls)}]"] = name
            urls.append(UrlValue(unescape(ln.value).strip(), label(ln, "work")))
        elif name in ("SOCIALPROFILE", "X-SOCIALPROFILE"):
            profiles.append(_profile_text(ln))
        elif name == "CATEGORIES":
            groups += [g.strip() for g in text_list(ln.value) if g.strip()]
        elif name == "UID":
            uid = record_id(unescape(ln.value))
            if uid is not None and is_foreign_uid(ln.value):  # kept, and written back as it was
                extra.append(_kept(ln))
        elif name == "X-CALLSHEET-OWNER":
            values["owner"] = unescape(ln.value)
        elif name == "X-CALLSHEET-FIELD":
            custom[label(ln, "Field", keep_case=True)] = unescape(ln.value)
        elif name == "PHOTO" and _inline_photo(ln):
            photo, keep_line = _photo(ln, warn)
            if keep_line:
                extra.append(_kept(ln))
        elif name == "RELATED" and REFERRED_BY in ln.types:
            referred_by = record_id(ln.value)
        elif name not in _HANDLED:
            extra.append(_kept(ln))
    extra += [_kept(ln) for ln in card.all("X-ABLABEL") if ln.group and ln.group not in used_groups]
    draft = ContactDraft(
        **{key: value for key, value in values.items() if value is not None},  # type: ignore[arg-type]
        background="\n\n".join(n for n in notes if n.strip()),
        emails=tuple(emails),
        phones=tuple(phones),
        addresses=tuple(addresses),
        urls=tuple(urls),
        custom_fields=custom,
        default_region=region,
    )
    try:
        draft, set_aside = validate_setting_aside(draft)
    except ValidationError as error:
        for key, message in error.problems.items():
            problems.append(RowProblem(number, _column(key, sources), message, "card"))
        return PlannedRow(number, None, tuple(groups), tuple(problems), unit="card")
    for aside in set_aside:
        problems.append(RowProblem(number, _column(aside.key, sources), aside.note, "card"))
    return PlannedRow(
        number,
        replace(draft, default_region=region),
        tuple(dict.fromkeys(groups)),
        tuple(problems),
        tuple(profiles),
        photo,
        tuple(dict.fromkeys(extra)),
        uid,
        referred_by,
        unit="card",
    )


def _column(key: str, sources: dict[str, str]) -> str:
    """The property a validation key ("emails[0]", "name") came from."""
    return sources.get(key, "FN" if key == "name" else key.split("[")[0].upper())


def parse_vcard_date(value: str, omit_year: str = "") -> date:
    """BDAY as vCards write it: 19850314, 1985-03-14, --0314, --03-14, with a time."""
    text = unescape(value).strip().split("T")[0]
    match = re.fullmatch(r"(\d{4}|--)-?(\d{2})-?(\d{2})", text)
    if not match:
        raise InputError(f"“{text}” is not a date")
    year = NO_YEAR if match.group(1) == "--" or match.group(1) == omit_year else int(match[1])
    try:
        return date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise InputError(f"“{text}” is not a date") from None


def _label_text(text: str) -> str:
    apple = _APPLE_LABEL.match(text)
    return (apple.group(1).lower() if apple else text).strip() or "other"


def _phone_text(ln: ContentLine) -> str:
    text = unescape(ln.value).strip()
    if text.lower().startswith("tel:") or ln.param("VALUE").lower() == "uri":
        text = unquote(text.removeprefix("tel:").removeprefix("TEL:"))
        number, _, rest = text.partition(";")
        extension = re.search(r"(?:^|;)ext=([^;]+)", rest)
        text = number + (f" ext. {extension.group(1)}" if extension else "")
    return text


def _address(ln: ContentLine, label: str, is_primary: bool, warn: Warn) -> AddressValue:
    pobox, extended, street, city, region, postal, country = structured(ln.value, 7)
    code = ln.param("CC").upper() or country_code(country)
    if country.strip() and not code:
        warn(ln, f"the country “{country}” is not recognised and is left out")
    return AddressValue(
        "\n".join(part for part in (pobox, extended, street) if part.strip()),
        city,
        region,
        postal,
        code,
        label,
        is_primary,
    )


def _profile_text(ln: ContentLine) -> str:
    value = unescape(ln.value).strip()
    user = ln.param("X-USER") or ln.param("USERNAME")
    if "://" not in value and user:
        service = (ln.param("SERVICE-TYPE") or next(iter(ln.types), "")).lower()
        hosts = {"twitter": "x.com", "x": "x.com", "github": "github.com"}
        if service in hosts:
            return f"https://{hosts[service]}/{user}"
        if service == "linkedin":
            return f"https://www.linkedin.com/in/{user}"
    return value


def _inline_photo(ln: ContentLine) -> bool:
    encoding = ln.param("ENCODING").upper()
    return encoding in ("B", "BASE64") or ln.value.startswith("data:")


def _photo(ln: ContentLine, warn: Warn) -> tuple[bytes | None, bool]:
    """The photo's bytes, and whether its line is kept to write back as it was (one
    Callsheet cannot read); an oversized photo is neither stored nor kept."""
    value = ln.value
    if value.startswith("data:"):
        _, _, value = value.partition(",")
    if len(value) * 3 // 4 > MAX_PHOTO_BYTES:  # said before decoding megabytes
        size = len(value) * 3 / 4 / 1_000_000
        warn(ln, f"the photo is {size:.0f} MB (at most 2 MB); it is left out")
        return None, False
    try:
        data = decode_base64(value)
    except ValueError as error:
        warn(ln, f"the photo {error}; it is kept as it was")
        return None, True
    if image_kind(data) is None:
        warn(ln, "the photo is not a JPEG, PNG, GIF or WebP image; it is kept as it was")
        return None, True
    return data, False


def _kept(ln: ContentLine) -> str:
    """The line to write back: as read, except 2.1 transfer encodings are undone."""
    if "QUOTED-PRINTABLE" not in {v.upper() for v in ln.params.get("ENCODING", [])}:
        return ln.raw
    params = {
        key: ",".join(param_value(v) for v in values)
        for key, values in ln.params.items()
        if key not in ("ENCODING", "CHARSET")
    }
    return line(ln.name, escape(ln.value), params, ln.group).rstrip("\r\n")


# Writing


def write_vcard(contact: ExportedContact, version: str = "4.0") -> str:
    """One contact as a vCard (CRLF lines, folded at 75 octets), with REV saying when
    it last changed."""
    d = contact.details
    v4 = version == "4.0"
    out = [line("BEGIN", "VCARD"), line("VERSION", version)]
    out.append(line("PRODID", "-//Callsheet//Callsheet//EN"))
    kept = list(contact.vcard_extra)
    foreign_uids = [n for n, text in enumerate(kept) if _UID_LINE.match(text)]
    if foreign_uids:  # another app's UID, as it wrote it (one only, after a merge)
        out.append(kept[foreign_uids[0]] + "\r\n")
        kept = [text for n, text in enumerate(kept) if n not in foreign_uids]
    else:
        out.append(line("UID", f"urn:uuid:{d.id}"))
    out.append(_revision(d.updated_at, v4))
    if v4:
        out.append(line("KIND", "individual"))
    out.append(line("FN", escape(d.display_name)))
    parts = (d.family_name, d.given_name, d.middle_name, d.prefix, d.suffix)
    out.append(line("N", ";".join(escape(p) for p in parts)))
    if d.nickname:
        out.append(line("NICKNAME", escape(d.nickname)))
    if d.company or d.department:
        out.append(line("ORG", f"{escape(d.company)};{escape(d.department)}"))
    if d.title:
        out.append(line("TITLE", escape(d.title)))
    if d.birthday:
        out.append(_birthday(d.birthday, v4))
    if d.background:
        out.append(line("NOTE", escape(d.background)))
    items = _Items()
    for email in d.emails:
        params = _types(email.label, {"work": "work", "home": "home"}, email.is_primary, v4)
        if not v4:
            params["TYPE"] = "INTERNET" + ("," + params["TYPE"] if "TYPE" in params else "")
        out += items.lines("EMAIL", escape(email.address), params, email.label)
    for phone in d.phones:
        known = {"mobile": "cell", "fax": "fax", "pager": "pager", "work": "work", "home": "home"}
        params = _types(phone.label, known, phone.is_primary, v4)
        if v4:
            params = {"VALUE": "text", **params}
        if phone.e164 and not phone.number.lstrip().startswith("+"):
            params[E164_PARAM] = phone.e164  # where a number typed without +CC belongs
        out += items.lines("TEL", escape(phone.number), params, phone.label, known)
    for address in d.addresses:
        params = _types(address.label, {"work": "work", "home": "home"}, address.is_primary, v4)
        if v4 and address.country:
            params["CC"] = address.country
        value = ";".join(
            escape(p)
            for p in ("", "", address.street, address.city, address.region,
                      address.postal_code, address.country)
        )  # fmt: skip
        out += items.lines("ADR", value, params, address.label)
    for url in d.urls:
        params = _types(url.label, {"work": "work", "home": "home"}, False, v4)
        out += items.lines("URL", escape(url.url), params, url.label)
    for profile in contact.profiles:
        if v4:
            out.append(line("SOCIALPROFILE", profile.url, {"SERVICE-TYPE": profile.network}))
        else:
            out.append(line("X-SOCIALPROFILE", profile.url, {"TYPE": profile.network}))
    if d.groups:
        out.append(line("CATEGORIES", ",".join(escape(g.name) for g in d.groups)))
    if contact.photo:
        out.append(_photo_line(contact.photo, v4))
    if d.referred_by_id:
        out.append(line("RELATED", f"urn:uuid:{d.referred_by_id}", {"TYPE": REFERRED_BY}))
    if d.owner:
        out.append(line("X-CALLSHEET-OWNER", escape(d.owner)))
    for name, value in d.custom_fields.items():
        out += items.lines("X-CALLSHEET-FIELD", escape(value), {}, name, force_label=True)
    out += [line_text + "\r\n" for line_text in kept]
    out.append(line("END", "VCARD"))
    return "".join(out)


class _Items:
    """Numbers `itemN` groups for values whose label no standard type says."""

    def __init__(self) -> None:
        self.count = 0

    def lines(
        self,
        name: str,
        value: str,
        params: dict[str, str],
        label: str,
        known: dict[str, str] | None = None,
        force_label: bool = False,
    ) -> list[str]:
        standard = (known or {"work": "work", "home": "home"}).get(label)
        if standard and not force_label:
            return [line(name, value, params)]
        self.count += 1
        group = f"item{self.count}"
        return [line(name, value, params, group), line("X-ABLabel", escape(label), group=group)]


def _types(label: str, known: dict[str, str], is_primary: bool, v4: bool) -> dict[str, str]:
    types = [known[label]] if label in known else []
    params: dict[str, str] = {}
    if is_primary:
        if v4:
            params["PREF"] = "1"
        else:
            types.append("pref")
    if types:
        params["TYPE"] = ",".join(types)
    return params


def _revision(updated_at: datetime, v4: bool) -> str:
    """REV: when the contact last changed, in UTC (basic format in 4.0, as RFC 6350
    writes it; extended in 3.0, which readers of the older format expect)."""
    moment = updated_at.astimezone(UTC) if updated_at.tzinfo else updated_at
    return line("REV", f"{moment:%Y%m%dT%H%M%SZ}" if v4 else f"{moment:%Y-%m-%dT%H:%M:%SZ}")


def _birthday(day: date, v4: bool) -> str:
    if day.year == NO_YEAR:
        if v4:
            return line("BDAY", f"--{day:%m%d}")
        return line("BDAY", day.isoformat(), {"X-APPLE-OMIT-YEAR": str(NO_YEAR)})
    return line("BDAY", f"{day:%Y%m%d}" if v4 else day.isoformat())


def _photo_line(photo: bytes, v4: bool) -> str:
    kind = image_kind(photo) or "jpg"
    data = base64.b64encode(photo).decode("ascii")
    if v4:
        mime = "jpeg" if kind == "jpg" else kind
        return line("PHOTO", f"data:image/{mime};base64,{data}")
    return line("PHOTO", data, {"ENCODING": "b", "TYPE": _IMAGE_TYPES[kind]})
