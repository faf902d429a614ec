"""Record ids: UUIDv7, one at a time or in runs for bulk writes."""

from __future__ import annotations

import itertools
import time
import uuid

from db.ids import hex_ids, new_id


def _is_v7_now(value: uuid.UUID) -> bool:
    millis = value.int >> 80
    return (
        value.version == 7
        and value.variant == uuid.RFC_4122
        and abs(millis - time.time_ns() // 1_000_000) < 60_000
    )


def test_new_id_is_a_current_uuid7() -> None:
    assert _is_v7_now(new_id())


def test_hex_ids_are_distinct_current_uuid7s_across_runs() -> None:
    made = list(itertools.islice(hex_ids(), 10_000))  # more than one run of 4,096
    assert len(set(made)) == len(made)
    assert all(len(text) == 32 for text in made)
    assert all(_is_v7_now(uuid.UUID(text)) for text in made)
    assert {text[12] for text in made} == {"7"}
