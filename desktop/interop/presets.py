"""Column presets for the exports people bring: Google Contacts CSV, Outlook CSV and
Act! exported text. A preset maps a header, exactly as that tool writes it, to one of
Callsheet's import fields (FIELDS)."""

from __future__ import annotations

import re

# Import fields: name parts, company fields, up to three of each multi-valued kind.
FIELDS = (
    "prefix", "given_name", "middle_name", "family_name", "suffix", "display_name",
    "nickname", "title", "department", "company", "birthday", "background", "groups", "labels",
    "email:work", "email:home", "email:other",
    "phone:work", "phone:mobile", "phone:home", "phone:fax", "phone:other",
    "address:street", "address:street2", "address:city", "address:region", "address:postal_code",
    "address:country", "url:work",
)  # fmt: skip

GOOGLE = {
    "First Name": "given_name",
    "Middle Name": "middle_name",
    "Last Name": "family_name",
    "Name Prefix": "prefix",
    "Name Suffix": "suffix",
    "Nickname": "nickname",
    "Organization Name": "company",
    "Organization Title": "title",
    "Organization Department": "department",
    "Birthday": "birthday",
    "Notes": "background",
    "Labels": "labels",  # " ::: " between labels, so a label may hold ";"
    # Numbered columns ("E-mail 1 - Label", "E-mail 1 - Value"...) map by NUMBERED.
}
# The layout Google Contacts exported until 2020 (and "Google CSV" of older tools):
# other name columns, "Group Membership", and the job in numbered Organization columns.
GOOGLE_LEGACY = {
    "Name": "display_name",
    "Given Name": "given_name",
    "Additional Name": "middle_name",
    "Family Name": "family_name",
    "Name Prefix": "prefix",
    "Name Suffix": "suffix",
    "Nickname": "nickname",
    "Birthday": "birthday",
    "Notes": "background",
    "Group Membership": "labels",
    "Organization 1 - Name": "company",
    "Organization 1 - Title": "title",
    "Organization 1 - Department": "department",
}

OUTLOOK = {
    "Title": "prefix",  # Outlook's "Title" is the honorific; the job is "Job Title"
    "First Name": "given_name",
    "Middle Name": "middle_name",
    "Last Name": "family_name",
    "Suffix": "suffix",
    "Nickname": "nickname",
    "Company": "company",
    "Department": "department",
    "Job Title": "title",
    "Business Street": "address:street",
    "Business Street 2": "address:street2",
    "Business City": "address:city",
    "Business State": "address:region",
    "Business Postal Code": "address:postal_code",
    "Business Country/Region": "address:country",
    "Business Phone": "phone:work",
    "Mobile Phone": "phone:mobile",
    "Home Phone": "phone:home",
    "Business Fax": "phone:fax",
    "Other Phone": "phone:other",
    "E-mail Address": "email:work",
    "E-mail 2 Address": "email:home",
    "E-mail 3 Address": "email:other",
    "Web Page": "url:work",
    "Birthday": "birthday",
    "Notes": "background",
    "Categories": "groups",
}

ACT = {
    "Contact": "display_name",
    "First Name": "given_name",
    "Last Name": "family_name",
    "Salutation": "nickname",
    "Title": "title",
    "Department": "department",
    "Company": "company",
    "Address 1": "address:street",
    "Address 2": "address:street2",
    "City": "address:city",
    "State": "address:region",
    "ZIP Code": "address:postal_code",
    "Country": "address:country",
    "Phone": "phone:work",
    "Mobile Phone": "phone:mobile",
    "Home Phone": "phone:home",
    "Fax": "phone:fax",
    "E-mail": "email:work",
    "Personal E-mail": "email:home",
    "Web Site": "url:work",
    "Birth Date": "birthday",
    "ID/Status": "groups",
    "Referred By": "custom:Referred by",  # Act!'s is free text (a source), not a contact
    "Last Results": "custom:Last results",
}

# Google's numbered columns, which Callsheet's own CSV export also writes: kind, number,
# part. A label such as "* Work" marks the primary value, as in Google's files.
NUMBERED = re.compile(
    r"^(E-mail|Phone|Address|Website|Profile|Custom Field) (\d{1,2}) - "
    r"(Label|Type|Value|International|Street|Extended Address|PO Box|City|Region|Postal Code|"
    r"Country)$"
)
# Columns that repeat what others hold (Google's whole address beside its parts).
REPEATS_OTHERS = re.compile(r"^Address \d{1,2} - Formatted$")
_NUMBERED_KINDS = {
    "E-mail": "email", "Phone": "phone", "Address": "address", "Website": "url",
    "Profile": "profile", "Custom Field": "custom",
}  # fmt: skip
# Callsheet's own columns beyond Google's.
CALLSHEET_EXTRA = {
    "Labels": "labels", "Display Name": "display_name", "Owner": "owner", "UID": "uid",
    "Referred By": "referred_by",
}  # fmt: skip

PRESETS: dict[str, dict[str, str]] = {
    "google": GOOGLE | GOOGLE_LEGACY,
    "outlook": OUTLOOK,
    "act": ACT,
}
# The layouts each tool has written: a file is that tool's when most of one layout's
# headers are there.
LAYOUTS: dict[str, tuple[dict[str, str], ...]] = {
    "google": (GOOGLE, GOOGLE_LEGACY),
    "outlook": (OUTLOOK,),
    "act": (ACT,),
}
PRESET_TITLES = {"google": "Google Contacts CSV", "outlook": "Outlook CSV", "act": "Act! export"}

# Headers people write by hand, folded to lower case without punctuation.
_COMMON = {
    "name": "display_name", "full name": "display_name", "first": "given_name",
    "first name": "given_name", "given name": "given_name", "last": "family_name",
    "last name": "family_name", "surname": "family_name", "family name": "family_name",
    "company": "company", "organization": "company", "organisation": "company",
    "title": "title", "job title": "title", "position": "title", "department": "department",
    "email": "email:work", "e mail": "email:work", "email address": "email:work",
    "phone": "phone:work", "telephone": "phone:work", "mobile": "phone:mobile",
    "cell": "phone:mobile", "city": "address:city", "town": "address:city",
    "street": "address:street", "address": "address:street", "zip": "address:postal_code",
    "postcode": "address:postal_code", "postal code": "address:postal_code",
    "country": "address:country", "state": "address:region", "website": "url:work",
    "web": "url:work", "notes": "background", "birthday": "birthday", "groups": "groups",
    "tags": "groups", "display name": "display_name", "owner": "owner",
}  # fmt: skip


def detect_preset(headers: list[str]) -> str | None:
    """The preset whose headers these are (most of the file's headers are that tool's)."""
    best, best_share = None, 0.0
    present = set(headers)
    for name, layouts in LAYOUTS.items():
        for layout in layouts:
            share = len(present & layout.keys()) / max(len(layout), 1)
            if share > best_share:
                best, best_share = name, share
    return best if best_share >= 0.5 else None


def guess_mapping(headers: list[str], preset: str | None = None) -> dict[str, str]:
    """Header -> import field: the preset's, else by common names. Unknown headers are
    left out (the wizard lets the user map them)."""
    chosen = PRESETS.get(preset or "") or {}
    mapping: dict[str, str] = {}
    for header in headers:
        target = chosen.get(header) or numbered_target(header) or CALLSHEET_EXTRA.get(header)
        target = target or _COMMON.get(_fold(header))
        if target and target not in mapping.values():
            mapping[header] = target
    return mapping


def numbered_target(header: str) -> str | None:
    """ "E-mail 2 - Value" -> "email#2.value"; None for other headers."""
    match = NUMBERED.match(header.strip())
    if not match:
        return None
    kind, number, part = match.groups()
    renamed = {"Type": "label", "International": "e164", "Extended Address": "street2"}
    part = renamed.get(part) or part.lower().replace(" ", "_")
    return f"{_NUMBERED_KINDS[kind]}#{int(number)}.{part}"


def _fold(header: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in header.lower()).split())
