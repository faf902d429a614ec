"""What schema comparisons leave out: the lookup index belongs to db.search."""

from __future__ import annotations


def include_object(
    _obj: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    """False for the FTS5 lookup table and its shadow tables."""
    return not (type_ == "table" and (name or "").startswith("contact_lookup"))
