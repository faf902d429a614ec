"""Words for things: counts in sentences ("1 contact", "2 contacts") and follow-up
titles ("Call: Send pricing"). No Qt: the CLI uses it too."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 contact", "12,000 contacts"; `plural` where adding "s" is wrong ("entries")."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


KIND_TITLES = {"call": "Call", "meeting": "Meeting", "to-do": "To-do", "email": "Email"}
HISTORY_KIND_TITLES = {**KIND_TITLES, "note": "Note"}


def titled(kind: str, regarding: str) -> str:
    """ "Call: Send pricing", or just "Call" when nothing more was said (older books
    stored the kind as the subject: "Call: Call" reads as "Call")."""
    title = HISTORY_KIND_TITLES.get(kind, kind.capitalize())
    about = regarding.strip()
    return title if not about or about.casefold() == title.casefold() else f"{title}: {about}"


def file_size(size: int) -> str:
    """A file's size as people read it: "912 bytes", "3.4 MB"."""
    amount = float(size)
    for unit in ("bytes", "KB", "MB"):
        if amount < 1024:
            return f"{amount:,.0f} {unit}" if unit == "bytes" else f"{amount:,.1f} {unit}"
        amount /= 1024
    return f"{amount:,.1f} GB"
