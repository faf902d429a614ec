"""Careful HTTP for public profile sources: short timeouts and an overall deadline per
request, capped bodies, expected content types only, redirects only within the same
host, no private, loopback, link-local or multicast targets (addresses come from
contact data, which anyone can write), per-host rate limits that honour 429 and
Retry-After across runs, and cancellation between chunks.

Every failure is a FetchError subclass, so a caller keeps its last good snapshot.
"""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from db.errors import CallsheetError
from desktop import __version__
from desktop.image_kinds import image_kind
from desktop.settings import SOURCE_URLS

log = logging.getLogger(__name__)
# httpx logs each request's whole URL, credentials of a proxy override included; this
# module logs them itself, without credentials or queries.
logging.getLogger("httpx").setLevel(logging.WARNING)
USER_AGENT = f"Callsheet/{__version__} (contact manager; public profile snapshots)"
TIMEOUT = httpx.Timeout(6.0, connect=3.0)
MAX_REDIRECTS = 3
DEFAULT_SPACING_S = 0.5
MAX_POLITE_WAIT_S = 2.0
REQUEST_DEADLINE_S = 20.0  # the whole request, however slowly a server drips its bytes
WAITS_FILE = "profile-source-waits.json"


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
    """When each host may be asked again (monotonic seconds). A gate `kept` in a file
    remembers a host's request to wait (Retry-After) for the next run too, by `wall`
    time (seconds since the epoch)."""

    clock: Callable[[], float] = time.monotonic
    spacing_s: float = DEFAULT_SPACING_S
    not_before: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    kept: Path | None = None
    wall: Callable[[], float] = time.time

    @classmethod
    def kept_in(cls, data_dir: Path, wall: Callable[[], float] = time.time) -> RateGate:
        """A gate that remembers waits in `data_dir` between runs."""
        gate = cls(kept=data_dir / WAITS_FILE, wall=wall)
        now, wall_now = gate.clock(), wall()
        for host, until in gate._read_kept().items():
            if until > wall_now:
                gate.not_before[host] = now + (until - wall_now)
        return gate

    def _read_kept(self) -> dict[str, float]:
        if self.kept is None:
            return {}
        try:
            data = json.loads(self.kept.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(host): float(until)
            for host, until in data.items()
            if isinstance(until, int | float) and not isinstance(until, bool)
        }

    def _keep(self, host: str, seconds: float) -> None:
        if self.kept is None:
            return
        wall_now = self.wall()
        waits = {h: u for h, u in self._read_kept().items() if u > wall_now}
        waits[host] = max(waits.get(host, 0.0), wall_now + seconds)
        partial = self.kept.with_name(f"{self.kept.name}.part")
        with contextlib.suppress(OSError):  # only a politeness: never worth failing over
            partial.write_text(json.dumps(waits), "utf-8")
            os.replace(partial, self.kept)

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
            self._keep(host, seconds)


class Fetcher:
    """GETs JSON, HTML and images for the providers. Safe to share across threads."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        gate: RateGate | None = None,
        limits: Limits = Limits(),
        cancelled: threading.Event | None = None,
        trusted: Iterable[str] | None = None,
        deadline_s: float = REQUEST_DEADLINE_S,
    ) -> None:
        """`trusted`: base URLs whose hosts may be private or local (a proxy, a
        self-hosted server, a test server); by default the `CALLSHEET_<NAME>_URL`
        overrides."""
        self.client = client or httpx.Client(
            timeout=TIMEOUT,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            # A new connection per request, so each request's deadline has its socket.
            limits=httpx.Limits(max_keepalive_connections=0),
        )
        self.gate = gate or RateGate()
        self.limits = limits
        self.cancelled = cancelled or threading.Event()
        if trusted is None:
            trusted = filter(
                None, (os.environ.get(f"CALLSHEET_{n.upper()}_URL") for n in SOURCE_URLS)
            )
        self.trusted = {_origin(url) for url in trusted}
        self.deadline_s = deadline_s

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
            self._check_target(url)
            if self.cancelled.wait(self.gate.claim(host)):
                raise Cancelled("Cancelled.")
            try:
                with (
                    _Deadline(self.deadline_s) as deadline,
                    self.client.stream(
                        "GET", url, params=params, extensions={"trace": deadline.trace}
                    ) as response,
                ):
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
                    body = self._read(response, limit, host, truncate, deadline)
                    return body, content_type
            except httpx.TimeoutException:
                raise Unavailable(f"{host} did not answer in time.") from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol):
                raise BadResponse(f"“{_logged(url)}” is not a web address; not fetched.") from None
            except httpx.TransportError as error:
                if deadline.expired:
                    raise Unavailable(f"{host} took too long to answer.") from None
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

    def _check_target(self, url: str) -> None:
        """Refuse a URL whose host is (or resolves to) an address that is not public:
        a profile, avatar or redirect must not make Callsheet reach into the user's
        network or this computer. Trusted base URLs aside."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 (reading it checks it: "http://host:99999" fails here)
        except ValueError:
            raise BadResponse("A source gave an address that is not a web address.") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadResponse(f"“{_logged(url)}” is not a web address; not fetched.")
        if _origin(url) in self.trusted:
            return
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise Unreachable(f"Could not find {parts.hostname}.", parts.hostname) from None
        for address in {str(info[4][0]) for info in found}:
            if not _public(address):
                log.warning("refused %s: %s is not a public address", _logged(url), address)
                raise BadResponse(
                    f"{parts.hostname} points at a private or local address ({address}); "
                    "not fetched."
                )

    def _read(
        self,
        response: httpx.Response,
        limit: int,
        host: str,
        truncate: bool,
        deadline: _Deadline,
    ) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            self._check_cancelled()
            if deadline.expired:
                raise Unavailable(f"{host} took too long to answer.")
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
    """The host (and port) of `url`, as messages name it: never its credentials."""
    parts = urlsplit(url)
    if not parts.hostname:
        return _logged(url)
    return parts.hostname + (f":{parts.port}" if parts.port else "")


def _public(address: str) -> bool:
    """Whether `address` is a public unicast address (an IPv4-mapped one as its IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _Deadline:
    """Ends a request that runs past `seconds`, however its server trickles bytes:
    its socket (seen through httpx's trace hook) is shut when time is up."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
                    if self.expired:
                        self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
