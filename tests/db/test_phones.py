"""The quick reading of plain phone numbers gives what phonenumbers gives."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.phones import _plain_number, parse_phone

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


def _library(text: str, region: str) -> tuple[str, str] | None:
    """(E.164, national digits) as phonenumbers reads the number, or None."""
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, str(number.national_number)


@settings(max_examples=3000, deadline=None)
@given(
    st.from_regex(r"\A\+?[0-9 ().-]{0,20}\Z"),
    st.sampled_from([*REGIONS, "", "001", "ZZ"]),
)
def test_a_quick_answer_is_the_librarys(text: str, region: str) -> None:
    quick = _plain_number(text.strip(), region)
    if quick is not None:
        assert quick == _library(text.strip(), region)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(REGIONS), st.integers(min_value=0, max_value=10**12))
def test_numbers_of_each_regions_length(region: str, value: int) -> None:
    """Numbers of the lengths a region uses, with and without its national prefix, so
    the quick path answers often."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    length = max(metadata.general_desc.possible_length)
    national = str(value).zfill(length)[-length:]
    prefixed = f"({metadata.national_prefix}) {national}" if metadata.national_prefix else national
    for text in (national, prefixed, f"+{metadata.country_code} {national}"):
        quick = _plain_number(text, region)
        if quick is not None:
            assert quick == _library(text, region)


def test_example_numbers_read_alike() -> None:
    """Each region's example numbers, written nationally and internationally."""
    formats = (
        phonenumbers.PhoneNumberFormat.NATIONAL,
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )
    kinds = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)
    tried = answered = 0
    for region in REGIONS:
        for kind in kinds:
            example = phonenumbers.example_number_for_type(region, kind)
            for number_format in formats if example is not None else ():
                text = phonenumbers.format_number(example, number_format)
                parsed = parse_phone(text, region)
                assert (parsed.e164, parsed.national_digits) == _library(text, region)
                tried += 1
                answered += _plain_number(text, region) is not None
    assert answered > tried / 2  # the quick path does the work, not only the fallback


def test_what_needs_a_closer_look_goes_to_the_library() -> None:
    assert _plain_number("1 415 555 0134", "US") is None  # national prefix 1
    assert _plain_number("0 11 4123-4567", "AR") is None  # a prefix with a rule
    assert _plain_number("00 45 32 19 18 10", "DE") is None  # international prefix
    assert _plain_number("+45 32 19 18 10 ext. 12", "DK") is None
    assert _plain_number("1-800-FLOWERS", "US") is None
    assert _plain_number("+45 ٣٢١٩١٨١٠", "DK") is None
    assert parse_phone("1 415 555 0134", "US").e164 == "+14155550134"
    assert _plain_number("(085) 019 1721", "IE") == ("+353850191721", "850191721")
    assert parse_phone("00 45 32 19 18 10", "DE").e164 == "+4532191810"
    with pytest.raises(ValueError, match="wrong number of digits"):
        parse_phone("+45 32 19", "DK")
