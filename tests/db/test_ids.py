"""Record ids: UUIDv7, one at a time or in runs for bulk writes."""

from __future__ import annotations

import itertools
import time
import uuid

import pytest

from db.ids import PackedIds, id_bytes, new_id


def _is_v7_now(value: uuid.UUID) -> bool:
    millis = value.int >> 80
    return (
        value.version == 7
        and value.variant == uuid.RFC_4122
        and abs(millis - time.time_ns() // 1_000_000) < 60_000
    )


def test_new_id_is_a_current_uuid7() -> None:
    assert _is_v7_now(new_id())


def test_id_bytes_are_distinct_current_uuid7s_across_runs() -> None:
    made = list(itertools.islice(id_bytes(), 10_000))  # more than one run of 4,096
    assert len(set(made)) == len(made)
    assert all(len(stored) == 16 for stored in made)
    assert all(_is_v7_now(uuid.UUID(bytes=stored)) for stored in made)
    assert {uuid.UUID(bytes=stored).hex[12] for stored in made} == {"7"}


def test_packed_ids_read_back_as_the_uuids_they_hold() -> None:
    ids = [new_id() for _ in range(1200)]
    packed = PackedIds.of(ids)
    assert len(packed) == 1200
    assert list(packed) == ids and packed == ids and ids == packed
    assert packed[0] == ids[0] and packed[-1] == ids[-1]
    assert list(packed[500:1000]) == ids[500:1000]
    assert list(packed[::-7]) == ids[::-7]
    assert ids[3] in packed and new_id() not in packed
    assert not PackedIds() and len(PackedIds.of([])) == 0
    with pytest.raises(IndexError):
        packed[1200]
