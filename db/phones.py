"""Phone numbers as typed plus E.164, through the phonenumbers library."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

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
    if not digits(text):
        raise ValueError(f"“{entered}” has no digits")
    try:
        number = phonenumbers.parse(text, default_region.upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(
            f"“{entered}” is not a phone number ({_reason(exc)}; region assumed: "
            f"{default_region.upper()}). Start with + and the country code for another country."
        ) from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(
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
    if not e164 or not e164.startswith("+") or not e164[1:].isdigit():
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
