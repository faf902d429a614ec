"""Phone numbers as typed plus E.164, through the phonenumbers library."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import PhoneMetadata

from db.errors import InputError
from db.text import digits


@dataclass(frozen=True)
class ParsedPhone:
    """A number as the user typed it and, when it parses, its E.164 form."""

    entered: str
    e164: str | None
    national_digits: str | None


def parse_phone(entered: str, default_region: str) -> ParsedPhone:
    """Parse `entered`, assuming `default_region` (ISO 3166 code) for numbers without +CC.

    Raises ValueError with a message saying what is wrong when it does not parse.
    """
    text = entered.strip()
    quick = _plain_number(text, default_region.upper())
    if quick is not None:
        return ParsedPhone(entered=text, e164=quick[0], national_digits=quick[1])
    if not digits(text):
        raise InputError(f"“{entered}” has no digits")
    try:
        number = phonenumbers.parse(text, default_region.upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise InputError(
            f"“{entered}” is not a phone number ({_reason(exc)}; region assumed: "
            f"{default_region.upper()}). Start with + and the country code for another country."
        ) from None
    if not phonenumbers.is_possible_number(number):
        raise InputError(
            f"“{entered}” has the wrong number of digits for "
            f"{phonenumbers.region_code_for_number(number) or default_region.upper()} "
            f"(region assumed: {default_region.upper()}). Start with + and the country code "
            "for another country."
        )
    return ParsedPhone(
        entered=text,
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        national_digits=str(number.national_number),
    )


_SEPARATORS = str.maketrans("", "", " -.()")


def _plain_number(text: str, region: str) -> tuple[str, str] | None:
    """(E.164, national digits) for the usual number, digits and separators only, with
    the answer `phonenumbers.parse` gives, without its general text handling (an import
    parses one or two per row). None when the number needs a closer look: a national
    prefix other than plain digits, an international dialling prefix, a length the
    country does not use, letters, an extension. tests/db/test_phones.py holds it to
    the library."""
    compact = text.translate(_SEPARATORS)
    if not compact.isascii():
        return None
    if compact[:1] == "+":
        split = _split_calling_code(compact)
        if split is None:
            return None
        calling_code, national = split
        rules = _rules(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[calling_code][0])
    else:
        rules = _rules(region)
        if (
            rules is None
            or not compact.isdigit()
            or compact.startswith(str(rules.calling_code))
            or (rules.dialling_prefix is not None and rules.dialling_prefix.match(compact))
        ):
            return None
        national = compact
    if rules is None:
        return None
    if rules.national_prefix is not None and rules.national_prefix.match(national):
        return None
    if rules.literal_prefix and national.startswith(rules.literal_prefix):
        # As phonenumbers does: the prefix goes unless that spoils a number that
        # fitted the country's pattern, and the rest must have a possible length.
        stripped = national[len(rules.literal_prefix) :]
        if rules.pattern.fullmatch(national) and not rules.pattern.fullmatch(stripped):
            return None
        national = stripped
    if len(national) not in rules.lengths:
        return None
    return f"+{rules.calling_code}{national}", national.lstrip("0") or "0"


@dataclass(frozen=True)
class _Rules:
    calling_code: int
    dialling_prefix: re.Pattern[str] | None
    literal_prefix: str | None  # a national prefix of plain digits ("0", "1", "8")
    national_prefix: re.Pattern[str] | None  # any other national prefix
    pattern: re.Pattern[str]  # what the country's national numbers look like
    lengths: frozenset[int]


@cache
def _rules(region: str) -> _Rules | None:
    """What `_plain_number` needs of a region's metadata (None for a region it leaves to
    the full parse: unknown, or non-geographic)."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None or metadata.general_desc is None or metadata.country_code is None:
        return None
    general = metadata.general_desc
    prefix = metadata.national_prefix_for_parsing or None
    literal = (
        prefix
        if prefix and prefix.isdigit() and not metadata.national_prefix_transform_rule
        else None
    )
    return _Rules(
        calling_code=metadata.country_code,
        dialling_prefix=re.compile(metadata.international_prefix)
        if metadata.international_prefix
        else None,
        literal_prefix=literal,
        national_prefix=re.compile(prefix) if prefix and not literal else None,
        pattern=re.compile(general.national_number_pattern or "(?!)"),
        lengths=frozenset(n for n in general.possible_length if 2 <= n <= 17),
    )


def _reason(exc: phonenumbers.NumberParseException) -> str:
    reasons = {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "not a number",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
        phonenumbers.NumberParseException.TOO_LONG: "too long",
    }
    return reasons.get(exc.error_type, "cannot be read")


def _split_calling_code(e164: str | None) -> tuple[int, str] | None:
    """ "+4755..." -> (47, "55..."), without a full parse: calling codes are prefix-free,
    so the code is the one prefix of one to three digits that is a known code."""
    if not e164 or not e164.startswith("+") or not e164[1:].isdigit() or e164[1:2] == "0":
        return None
    number = e164[1:]
    for length in (1, 2, 3):
        if int(number[:length]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return int(number[:length]), number[length:]
    return None


def national_digits_of(e164: str | None) -> str | None:
    """The national significant number of an E.164 number ("+4755..." -> "55...");
    without leading zeros, as phonenumbers keeps it."""
    split = _split_calling_code(e164)
    return (split[1].lstrip("0") or None) if split else None


def parsing_region(e164: str | None) -> str | None:
    """A region to read this number's national form in: the main region of its
    calling code ("+1..." -> "US"), which reads a national number the same way as the
    other regions sharing the code."""
    split = _split_calling_code(e164)
    if split is None:
        return None
    main = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[split[0]][0]
    return None if main == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY else main
