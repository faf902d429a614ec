"""Every test: offscreen Qt, its own data and settings folders, an in-memory
keyring, a fixed clock for the databases it opens, and no network beyond loopback."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

from keyring.backend import KeyringBackend

from db.clock import FixedClock
from db.engine import Database
from desktop.contact_book import ContactBook

# A Monday morning in Oslo. Tests read "now" from this clock (never the computer's), so
# a test with a fixed date passes in any year; a test moves it with `clock.advance`.
TEST_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEST_ZONE = "Europe/Oslo"


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps secrets in this process's memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


TRAVEL_FOLDER = Path(__file__).with_name("time_travel")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fault-trials", type=int, default=10, metavar="N",
        help="processes killed by the fault campaign (tests/reliability); CI runs 10",
    )  # fmt: skip
    parser.addoption(
        "--fuzz-examples", type=int, default=60, metavar="N",
        help="inputs per parser for the fuzzers (tests/reliability); CI runs 60",
    )  # fmt: skip
    parser.addoption(
        "--sync-examples", type=int, default=6, metavar="N",
        help="examples of the sync model (tests/desktop/sync/test_sync_model.py); CI runs 6",
    )  # fmt: skip
    parser.addoption(
        "--sync-random", action="store_true",
        help="draw the sync model's examples at random (CI runs a fixed set)",
    )  # fmt: skip
    parser.addoption(
        "--clock-ahead",
        metavar="DATE",
        help="run with the process clock (and the callsheet processes tests start) moved "
        "to DATE, e.g. 2031-06-01: nothing may depend on the real date",
    )


def pytest_configure(config: pytest.Config) -> None:
    os.environ["CALLSHEET_FUZZ_EXAMPLES"] = str(config.getoption("--fuzz-examples"))
    destination = config.getoption("--clock-ahead")
    if destination:
        import time_machine

        time_machine.travel(f"{destination}T09:00:00+00:00", tick=True).start()
        os.environ["CALLSHEET_TEST_TRAVEL"] = f"{destination}T09:00:00+00:00"
        path = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TRAVEL_FOLDER), path]))


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Temp data and config folders for this test, and a memory keyring."""
    import keyring

    data_dir = tmp_path / "data"
    monkeypatch.setenv("CALLSHEET_DATA_DIR", str(data_dir))
    monkeypatch.setenv("CALLSHEET_CONFIG_DIR", str(tmp_path / "config"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield data_dir
    keyring.set_keyring(previous)


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"tests may only reach loopback, not {host!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


socket.socket.connect = _loopback_only  # type: ignore[method-assign]


@pytest.fixture
def data_dir(isolated_environment: Path) -> Path:
    return isolated_environment


@pytest.fixture
def clock() -> FixedClock:
    """The test's clock: Monday 23 November 2026, 10:00 in Oslo, until moved."""
    return FixedClock(TEST_NOW, TEST_ZONE)


@pytest.fixture
def db(data_dir: Path, clock: FixedClock) -> Iterator[Database]:
    """A fresh database in the test's data folder, going by the test's clock."""
    from db.engine import open_database

    database = open_database(data_dir, clock=clock)
    yield database
    database.close()


@pytest.fixture
def book(db: Database) -> ContactBook:
    """The application core on the test's database (`db`, for arranging rows directly)."""
    return ContactBook(db)
