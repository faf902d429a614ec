"""Careful HTTP for public profile sources: short timeouts, capped bodies, expected
content types only, redirects only within the same host, per-host rate limits that
honour 429 and Retry-After, and cancellation between chunks.

Every failure is a FetchError subclass, so a caller keeps its last good snapshot.
"""

from __future__ import annotations

import email.utils
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from db.errors import CallsheetError
from desktop import __version__
from desktop.image_kinds import image_kind

log = logging.getLogger(__name__)
USER_AGENT = f"Callsheet/{__version__} (contact manager; public profile snapshots)"
TIMEOUT = httpx.Timeout(6.0, connect=3.0)
MAX_REDIRECTS = 3
DEFAULT_SPACING_S = 0.5
MAX_POLITE_WAIT_S = 2.0


class FetchError(CallsheetError):
    """A fetch that produced nothing usable; the message is for people."""


class NotFound(FetchError):
    """The profile is gone (404 or 410)."""


class RateLimited(FetchError):
    """The source asked us to wait `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(FetchError):
    """Timeouts, refused connections and server errors: try again later."""


class Unreachable(Unavailable):
    """The network did not reach the host (no connection, no name resolution)."""

    def __init__(self, message: str, host: str) -> None:
        super().__init__(message)
        self.host = host


class BadResponse(FetchError):
    """Something came back that is not what the source should send."""


class Cancelled(FetchError):
    """The user (or shutdown) cancelled the fetch."""


@dataclass(frozen=True)
class Limits:
    json_bytes: int = 1_000_000
    html_bytes: int = 512_000
    image_bytes: int = 2_000_000


@dataclass
class RateGate:
    """When each host may be asked again (monotonic seconds)."""

    clock: Callable[[], float] = time.monotonic
    spacing_s: float = DEFAULT_SPACING_S
    not_before: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, host: str) -> float:
        """Take the host's next turn: the seconds to wait for it (at most a polite
        pause), or RateLimited when the host asked for a longer break."""
        with self.lock:
            now = self.clock()
            ready = self.not_before.get(host, 0.0)
            wait = max(ready - now, 0.0)
            if wait > MAX_POLITE_WAIT_S:
                raise RateLimited(f"{host} asked us to wait; trying again later.", wait)
            self.not_before[host] = max(ready, now) + self.spacing_s
            return wait

    def back_off(self, host: str, seconds: float) -> None:
        with self.lock:
            self.not_before[host] = max(self.not_before.get(host, 0.0), self.clock() + seconds)


class Fetcher:
    """GETs JSON, HTML and images for the providers. Safe to share across threads."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        gate: RateGate | None = None,
        limits: Limits = Limits(),
        cancelled: threading.Event | None = None,
    ) -> None:
        self.client = client or httpx.Client(
            timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )
        self.gate = gate or RateGate()
        self.limits = limits
        self.cancelled = cancelled or threading.Event()

    def close(self) -> None:
        self.client.close()

    def get_json(self, url: str, params: dict[str, str] | None = None) -> Any:
        body, _type = self._get(
            url, params, ("application/json", "application/jrd+json"), self.limits.json_bytes
        )
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise BadResponse(f"{_host(url)} sent something that is not valid JSON.") from None

    def get_html(self, url: str) -> str:
        body, content_type = self._get(
            url,
            None,
            ("text/html", "application/xhtml+xml"),
            self.limits.html_bytes,
            truncate=True,
        )
        charset = "utf-8"
        if "charset=" in content_type:
            charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            return body.decode("utf-8", errors="replace")

    def get_image(self, url: str) -> tuple[bytes, str]:
        """The image's bytes and kind ("png", "jpg", ...), checked by its content."""
        body, _type = self._get(url, None, ("image/",), self.limits.image_bytes)
        kind = image_kind(body)
        if kind is None:
            raise BadResponse(f"{_host(url)} sent an image that is not a PNG, JPEG, GIF or WebP.")
        return body, kind

    def _get(
        self,
        url: str,
        params: dict[str, str] | None,
        types: tuple[str, ...],
        limit: int,
        *,
        truncate: bool = False,
    ) -> tuple[bytes, str]:
        origin = _origin(url)
        host = _host(url)
        for _ in range(MAX_REDIRECTS + 1):
            self._check_cancelled()
            if self.cancelled.wait(self.gate.claim(host)):
                raise Cancelled("Cancelled.")
            try:
                with self.client.stream("GET", url, params=params) as response:
                    log.info("GET %s: HTTP %s", _logged(url), response.status_code)
                    if response.is_redirect:
                        target = urljoin(str(response.url), response.headers.get("location", ""))
                        if _origin(target) != origin:
                            raise BadResponse(
                                f"{host} redirected to another site ({_host(target)}); "
                                "not followed."
                            )
                        url, params = target, None
                        continue
                    self._check_status(response, host)
                    content_type = response.headers.get("content-type", "").lower()
                    if not content_type.startswith(types):
                        raise BadResponse(
                            f"{host} sent {content_type or 'an unlabelled body'}, "
                            f"not {types[0].rstrip('/')}."
                        )
                    return self._read(response, limit, host, truncate), content_type
            except httpx.TimeoutException:
                raise Unavailable(f"{host} did not answer in time.") from None
            except httpx.TransportError as error:
                log.info("GET %s failed: %s", _logged(url), error.__class__.__name__)
                raise Unreachable(
                    f"Could not reach {host} ({error.__class__.__name__}).", host
                ) from None
        raise BadResponse(f"{host} redirected too many times.")

    def _check_status(self, response: httpx.Response, host: str) -> None:
        status = response.status_code
        if status in (404, 410):
            raise NotFound(f"{host} says this profile does not exist (HTTP {status}).")
        if status == 429:
            wait = retry_after(response.headers.get("retry-after"), response.headers.get("date"))
            self.gate.back_off(host, wait)
            raise RateLimited(f"{host} asked us to slow down (HTTP 429).", wait)
        if status >= 500:
            raise Unavailable(f"{host} had a problem (HTTP {status}); trying again later.")
        if not 200 <= status < 300:
            raise BadResponse(f"{host} answered HTTP {status}.")

    def _read(self, response: httpx.Response, limit: int, host: str, truncate: bool) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            self._check_cancelled()
            size += len(chunk)
            chunks.append(chunk)
            if size > limit:
                if truncate:  # a page's <head> is at its start; the rest is not needed
                    return b"".join(chunks)[:limit]
                raise BadResponse(f"{host} sent more than {limit // 1000:,} kB; not read.")
        return b"".join(chunks)

    def _check_cancelled(self) -> None:
        if self.cancelled.is_set():
            raise Cancelled("Cancelled.")


def retry_after(value: str | None, server_date: str | None = None, default: float = 60.0) -> float:
    """Seconds to wait from a Retry-After header, capped at a day.

    An HTTP date is read against the response's own Date header, so this computer's
    clock being off changes nothing; without one the default applies.
    """
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return min(float(value), 86_400.0)
    try:
        when = email.utils.parsedate_to_datetime(value)
        sent = email.utils.parsedate_to_datetime(server_date or "")
    except (TypeError, ValueError):
        return default
    return max(0.0, min((when - sent).total_seconds(), 86_400.0))


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _logged(url: str) -> str:
    """A URL as the log shows it: host and path, never credentials or a query."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url
