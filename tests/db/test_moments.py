"""Moments as stored (`db.moments`): exact to the microsecond, in order, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from db import moments


def test_a_moment_comes_back_exactly_and_in_utc() -> None:
    oslo = timezone(timedelta(hours=1))
    for moment in (
        datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=oslo),
        datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2999, 1, 1, tzinfo=UTC),
    ):
        back = moments.moment(moments.stored(moment))
        assert back == moment and back.tzinfo == UTC


def test_stored_moments_sort_as_the_moments_do() -> None:
    start = datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)
    later = [start + timedelta(microseconds=n) for n in (1, 2, 10**6, 10**12)]
    stored = [moments.stored(m) for m in [start, *later]]
    assert stored == sorted(stored) and len(set(stored)) == len(stored)
