"""A contact's notes (the Notes tab: talking points and the rest) as VJOURNAL items in
the account's task list, beside history: marked `X-CALLSHEET-RECORD:NOTE` so neither
is taken for the other. DESCRIPTION holds the text, SUMMARY its first line (what other
apps list), DTSTART when it was written, `X-CALLSHEET-PINNED:TRUE` a talking point,
and a CONTACT line the contact, as history names its contacts. Loads without Qt,
storage or the network client.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import icalendar

from desktop.interop.calendar_items import Person, name_contacts, named_contacts, one_value
from desktop.sync.todos import Fields, UnreadableItem

NOTE_FIELDS = ("body", "pinned", "contacts", "written")
LABELS = {"body": "Note", "pinned": "Talking point", "written": "Written"}
RECORD, NOTE, PINNED = "X-CALLSHEET-RECORD", "NOTE", "X-CALLSHEET-PINNED"
SUMMARY_LENGTH = 80


def is_note(component: icalendar.cal.Component) -> bool:
    """Whether a VJOURNAL is a note (else it is a history entry)."""
    return str(component.get(RECORD, "")).strip().upper() == NOTE


def note_component(
    uid: str, body: str, pinned: bool, written: datetime, people: Sequence[Person], now: datetime
) -> icalendar.Journal:
    """A note as a VJOURNAL stamped `now`."""
    journal = icalendar.Journal()
    journal.add("uid", uid)
    journal.add("dtstamp", now)
    journal.add("dtstart", written.astimezone(UTC).replace(microsecond=0))
    journal.add("summary", first_line(body))
    journal.add("description", body)
    journal.add(RECORD, NOTE)
    if pinned:
        journal.add(PINNED, "TRUE")
    name_contacts(journal, people)
    return journal


def note_fields(component: icalendar.cal.Component) -> Fields:
    """A note VJOURNAL's fields; `UnreadableItem` when it holds no text."""
    text = one_value(component, "description", one_value(component, "summary", ""))
    body = str(text).replace("\r\n", "\n")
    if not body.strip():
        raise UnreadableItem("The note holds no text.")
    written = component.get("dtstart")
    when = getattr(written, "dt", None)
    if isinstance(when, datetime):
        when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return {
        "body": body.rstrip(),
        "pinned": str(component.get(PINNED, "")).strip().upper() == "TRUE",
        "contacts": sorted(str(c) for c in named_contacts(component)),
        "written": when if isinstance(when, str) else "",
    }


def first_line(body: str) -> str:
    """The note's first line of text, cut to a summary's length."""
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"
