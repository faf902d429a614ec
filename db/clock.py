"""Where "now" comes from: one clock, handed to the database and to everything that asks.

Nothing in Callsheet reads the wall clock itself. The entry points (the app, the CLI)
make a `SystemClock`; tests and benchmarks hand in a `FixedClock` set to the day they
need, so a test with a fixed date passes in any year. A database session carries the
clock of the database that opened it (`session_now`), so storage code asks the same
clock as the window above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import tzlocal

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_SESSION_KEY = "callsheet.clock"


def local_zone_name() -> str:
    """This computer's IANA zone ("Europe/Oslo"), or "UTC" when it cannot be told."""
    try:
        name = tzlocal.get_localzone_name()
        ZoneInfo(name)
    except Exception:  # tzlocal raises several kinds on odd setups; UTC is always safe
        return "UTC"
    return name or "UTC"


@dataclass(frozen=True)
class Moment:
    """One reading of the clock: an instant (UTC) and the viewer's zone."""

    now: datetime
    zone: str

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.zone)).date()

    @property
    def local_now(self) -> datetime:
        """Now on the viewer's wall, without a zone, to the second."""
        return self.now.astimezone(ZoneInfo(self.zone)).replace(tzinfo=None, microsecond=0)

    def day_of(self, instant: datetime) -> date:
        """The viewer's calendar date of `instant`."""
        return instant.astimezone(ZoneInfo(self.zone)).date()

    def day_start(self, day: date) -> datetime:
        """The UTC instant the local `day` begins."""
        return datetime.combine(day, time(), ZoneInfo(self.zone)).astimezone(UTC)


class Clock:
    """The source of "now" (aware, UTC) and of the viewer's time zone."""

    def now(self) -> datetime:
        raise NotImplementedError

    def zone(self) -> str:
        raise NotImplementedError

    def moment(self) -> Moment:
        """Now and the zone, read together."""
        return Moment(self.now(), self.zone())

    def today(self) -> date:
        return self.moment().today


class SystemClock(Clock):
    """This computer's clock and time zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def zone(self) -> str:
        return local_zone_name()


class FixedClock(Clock):
    """A clock that shows the time it was set to until it is moved (tests, benchmarks)."""

    def __init__(self, at: datetime, zone: str = "UTC") -> None:
        if at.tzinfo is None:
            raise ValueError("a FixedClock needs an aware datetime")
        ZoneInfo(zone)
        self.at = at.astimezone(UTC)
        self.zone_name = zone

    def now(self) -> datetime:
        return self.at

    def zone(self) -> str:
        return self.zone_name

    def set(self, at: datetime) -> None:
        self.at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.at += delta


def session_info(clock: Clock) -> dict[str, Clock]:
    """What a session factory puts in each session's `info` so storage finds `clock`."""
    return {_SESSION_KEY: clock}


def session_clock(session: Session) -> Clock:
    """The clock of the database `session` belongs to."""
    clock = session.info.get(_SESSION_KEY)
    if clock is None:
        raise RuntimeError("this session was not made by a Callsheet database (no clock)")
    assert isinstance(clock, Clock)
    return clock


def session_now(session: Session) -> datetime:
    """Now, by the clock of the database `session` belongs to."""
    return session_clock(session).now()
