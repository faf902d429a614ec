"""A real HTTP server on loopback (pytest-httpserver) standing in for the sources,
serving responses recorded in tests/fixtures/social/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from desktop.social.fetch import Fetcher, RateGate
from tests import locations

FIXTURES = locations.FIXTURES / "social"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def sources(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    """Every source's base URL points at the loopback server."""
    base = httpserver.url_for("").rstrip("/")
    for name in ("bluesky", "github", "gravatar", "mastodon"):
        monkeypatch.setenv(f"CALLSHEET_{name.upper()}_URL", base)
    return httpserver


@pytest.fixture
def fetcher(httpserver: HTTPServer) -> Iterator[Fetcher]:
    """A fetcher without the polite pause between requests (tests hit one host), which
    trusts the loopback server as it would a configured proxy."""
    made = Fetcher(gate=RateGate(spacing_s=0.0), trusted=[httpserver.url_for("")])
    yield made
    made.close()
