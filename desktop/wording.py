"""Counts in sentences: "1 contact", "2 contacts" (no Qt: the CLI uses it too)."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 contact", "12,000 contacts"; `plural` where adding "s" is wrong ("entries")."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
