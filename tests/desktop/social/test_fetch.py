"""Slow, failing, rate-limited and hostile responses end in a FetchError, never a hang,
a crash or junk."""

from __future__ import annotations

import threading

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from desktop.image_kinds import image_kind
from desktop.social.fetch import (
    BadResponse,
    Cancelled,
    Fetcher,
    NotFound,
    RateGate,
    RateLimited,
    Unavailable,
    retry_after,
)
from tests.desktop.social.conftest import fixture_bytes


def test_not_found_and_server_errors(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)
    httpserver.expect_request("/broken").respond_with_data("oops", status=503)
    httpserver.expect_request("/teapot").respond_with_data("", status=418)
    with pytest.raises(NotFound, match="does not exist"):
        fetcher.get_json(httpserver.url_for("/gone"))
    with pytest.raises(Unavailable, match="HTTP 503"):
        fetcher.get_json(httpserver.url_for("/broken"))
    with pytest.raises(BadResponse, match="HTTP 418"):
        fetcher.get_json(httpserver.url_for("/teapot"))


def test_429_backs_off_that_host_without_asking_again(httpserver: HTTPServer) -> None:
    clock = [1000.0]
    fetcher = Fetcher(
        gate=RateGate(clock=lambda: clock[0], spacing_s=0.0), trusted=[httpserver.url_for("")]
    )
    httpserver.expect_ordered_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    with pytest.raises(RateLimited) as first:
        fetcher.get_json(httpserver.url_for("/limited"))
    assert first.value.retry_after == 120
    with pytest.raises(RateLimited) as second:  # refused here: the server is not asked
        fetcher.get_json(httpserver.url_for("/limited"))
    assert second.value.retry_after == pytest.approx(120)
    assert len(httpserver.log) == 1
    clock[0] += 121
    httpserver.expect_request("/limited").respond_with_json({"ok": True})
    assert fetcher.get_json(httpserver.url_for("/limited")) == {"ok": True}
    fetcher.close()


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after("30") == 30
    assert retry_after(None) == 60
    assert retry_after("soon") == 60
    sent = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert retry_after("Wed, 21 Oct 2015 07:30:00 GMT", sent) == 120  # by the server's clock
    assert retry_after("Wed, 21 Oct 2015 07:20:00 GMT", sent) == 0  # already past: now
    assert retry_after("Wed, 21 Oct 2015 07:30:00 GMT") == 60  # no Date to read it against
    assert retry_after("999999999") == 86_400


def test_hostile_bodies_are_refused(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    httpserver.expect_request("/huge").respond_with_data(
        b"[" + b"1," * 800_000 + b"1]", content_type="application/json"
    )
    httpserver.expect_request("/html").respond_with_data(
        "<html>not json</html>", content_type="text/html"
    )
    httpserver.expect_request("/bad-json").respond_with_data(
        "{'single': quotes", content_type="application/json"
    )
    httpserver.expect_request("/fake-image").respond_with_data(
        b"<svg onload=alert(1)>", content_type="image/png"
    )
    with pytest.raises(BadResponse, match="more than"):
        fetcher.get_json(httpserver.url_for("/huge"))
    with pytest.raises(BadResponse, match="text/html"):
        fetcher.get_json(httpserver.url_for("/html"))
    with pytest.raises(BadResponse, match="not valid JSON"):
        fetcher.get_json(httpserver.url_for("/bad-json"))
    with pytest.raises(BadResponse, match="not a PNG"):
        fetcher.get_image(httpserver.url_for("/fake-image"))


def test_redirects_stay_on_the_same_site(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    httpserver.expect_request("/moved").respond_with_data(
        "", status=301, headers={"Location": "/here"}
    )
    httpserver.expect_request("/here").respond_with_json({"found": 1})
    httpserver.expect_request("/away").respond_with_data(
        "", status=302, headers={"Location": "https://evil.example/steal"}
    )
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": "/loop"}
    )
    assert fetcher.get_json(httpserver.url_for("/moved")) == {"found": 1}
    with pytest.raises(BadResponse, match="another site"):
        fetcher.get_json(httpserver.url_for("/away"))
    with pytest.raises(BadResponse, match="too many times"):
        fetcher.get_json(httpserver.url_for("/loop"))


def test_a_slow_server_times_out(httpserver: HTTPServer) -> None:
    """The server answers only after the client gave up: had the timeout not worked, the
    answer would arrive (after a minute) and no error would be raised."""
    gave_up = threading.Event()

    def slow(_request: Request) -> Response:
        gave_up.wait(60)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    client = httpx.Client(timeout=httpx.Timeout(0.3), follow_redirects=False)
    fetcher = Fetcher(client=client, gate=RateGate(spacing_s=0.0), trusted=[httpserver.url_for("")])
    try:
        with pytest.raises(Unavailable, match="did not answer in time"):
            fetcher.get_json(httpserver.url_for("/slow"))
    finally:
        gave_up.set()
        fetcher.close()


def test_a_closed_port_is_unavailable() -> None:
    fetcher = Fetcher(trusted=["http://127.0.0.1:9"])  # a proxy configured there, say
    try:
        with pytest.raises(Unavailable, match="Could not reach"):
            fetcher.get_json("http://127.0.0.1:9/nothing")
    finally:
        fetcher.close()


def test_cancelling_stops_before_and_between_requests(httpserver: HTTPServer) -> None:
    cancelled = threading.Event()
    fetcher = Fetcher(
        gate=RateGate(spacing_s=0.0), cancelled=cancelled, trusted=[httpserver.url_for("")]
    )
    cancelled.set()
    with pytest.raises(Cancelled):
        fetcher.get_json(httpserver.url_for("/anything"))
    assert httpserver.log == []
    fetcher.close()


def test_images_are_recognised_by_their_bytes(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    png = fixture_bytes("avatar.png")
    httpserver.expect_request("/a.png").respond_with_data(png, content_type="image/png")
    assert fetcher.get_image(httpserver.url_for("/a.png")) == (png, "png")
    assert image_kind(b"\xff\xd8\xff\xe0rest") == "jpg"
    assert image_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert image_kind(b"GIF89a...") == "gif"
    assert image_kind(b"<html>") is None


def test_a_huge_page_is_read_only_as_far_as_its_head(
    httpserver: HTTPServer, fetcher: Fetcher
) -> None:
    page = b"<html><head><title>Big</title></head><body>" + b"x" * 2_000_000 + b"</body></html>"
    httpserver.expect_request("/big").respond_with_data(page, content_type="text/html")
    text = fetcher.get_html(httpserver.url_for("/big"))
    assert text.startswith("<html><head><title>Big</title>") and len(text) <= 512_000
