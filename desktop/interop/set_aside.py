"""One bad cell does not keep a person out: an email, phone, web address or address
that fails its check is taken out of the record, kept in a custom field ("Email as
imported") for the user to mend, and reported; the rest of the record imports."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from db.contact_values import ContactDraft, validate
from db.errors import ValidationError

_SET_ASIDE_KEY = re.compile(r"^(emails|phones|urls|addresses)\[(\d+)\]$")
_KIND_NAMES = {"emails": "Email", "phones": "Phone", "urls": "Web site", "addresses": "Address"}


@dataclass(frozen=True)
class SetAside:
    """A value taken out of a record: its problem key ("emails[1]"), why, and the
    custom field that now holds it."""

    key: str
    message: str
    field: str

    @property
    def note(self) -> str:
        return note(self.message, self.field)


def note(problem: object, field: str) -> str:
    """What the problem list says of a value set aside into `field`."""
    return f"{str(problem).rstrip('.')}; imported without it, kept in “{field}”."


def field_for(kind_name: str) -> str:
    """The custom field a set-aside value of this kind goes to ("Birthday as imported")."""
    return f"{kind_name} as imported"


def keep_aside(custom: dict[str, str], field: str, value: str) -> None:
    """Put `value` in the custom field `field`, after what it already holds."""
    custom[field] = f"{custom[field]}; {value}" if custom.get(field) else value


def validate_setting_aside(draft: ContactDraft) -> tuple[ContactDraft, list[SetAside]]:
    """`draft` validated, with every value that fails its own check set aside.

    Raises ValidationError (with every problem) when something no value can be set
    aside for is wrong, such as a record without a name."""
    try:
        return validate(draft), []
    except ValidationError as error:
        if not all(_SET_ASIDE_KEY.match(key) for key in error.problems):
            raise
        # validate() names every problem at once, so one pass takes out every bad value.
        rest, taken = _without(draft, error.problems)
        return validate(rest), taken


def _without(draft: ContactDraft, problems: dict[str, str]) -> tuple[ContactDraft, list[SetAside]]:
    custom = dict(draft.custom_fields)
    taken, dropped = [], set()
    for key, message in problems.items():
        match = _SET_ASIDE_KEY.match(key)
        assert match is not None
        kind, index = match.group(1), int(match.group(2))
        field = field_for(_KIND_NAMES[kind])
        keep_aside(custom, field, _text(kind, getattr(draft, kind)[index]))
        taken.append(SetAside(key, message, field))
        dropped.add((kind, index))
    kept = {
        kind: tuple(v for n, v in enumerate(getattr(draft, kind)) if (kind, n) not in dropped)
        for kind in _KIND_NAMES
    }
    return replace(draft, custom_fields=custom, **kept), taken  # type: ignore[arg-type]


def _text(kind: str, value: Any) -> str:
    if kind == "addresses":
        parts = (value.street, value.postal_code, value.city, value.region, value.country)
        return ", ".join(" ".join(p.split()) for p in parts if p.strip())
    if kind == "emails":
        return str(value.address)
    return str(value.number if kind == "phones" else value.url)
