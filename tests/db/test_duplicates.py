"""Matching an imported record to one already in the book (db.duplicates)."""

from __future__ import annotations

import uuid

from db.duplicates import ContactKeys, DuplicateIndex


def test_a_record_with_only_a_name_matches_the_same_bare_name_and_nothing_more() -> None:
    """Importing the same file again must not add "Bad Email" twice; a record with a
    company, email or phone is never matched by its name alone."""
    index = DuplicateIndex()
    bare = ContactKeys(uuid.uuid4(), name="bad email")
    index.add_keys(bare)
    index.add_keys(ContactKeys(uuid.uuid4(), name="john smith", company="acme"))
    again = index.match(ContactKeys(uuid.uuid4(), name="bad email"))
    assert again is not None and again.contact_id == bare.id
    assert index.match(ContactKeys(uuid.uuid4(), name="john smith")) is None
    assert index.match(ContactKeys(uuid.uuid4(), name="bad email", emails=("b@x.example",))) is None
