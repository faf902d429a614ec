"""Moments as the book stores them in SQLite: whole microseconds since 1970 in UTC, an
8-byte integer (as 26 characters of text they were a sixth of a contact's row;
migration 0016). Plain Python, for the command line's quick reads as for the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def stored(moment: datetime) -> int:
    """An aware datetime as stored."""
    return (moment - EPOCH) // _MICROSECOND


def moment(value: int) -> datetime:
    """A stored moment, aware, in UTC."""
    return EPOCH + timedelta(microseconds=value)
