"""An HTTP transport that lets a real server's traffic fail the way networks fail:
the request lost on the way, the reply lost after the server acted on it, a request
sent twice, or an error status in place of the server's answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

Rule = Callable[[httpx.Request, int], str | int | None]


@dataclass
class FaultyTransport(httpx.BaseTransport):
    """Passes requests to a real transport unless `rule(request, n)` (n counts the
    requests so far) says "drop-request", "drop-reply", "timeout" (no answer in time,
    after the server acted), "duplicate" or a status code."""

    rule: Rule
    inner: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)
    sent: int = 0
    faults: list[str] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        fault = self.rule(request, self.sent)
        if fault is not None:
            self.faults.append(f"{request.method} {request.url.path}: {fault}")
        if fault == "drop-request":
            raise httpx.ConnectError("connection reset (injected)", request=request)
        if isinstance(fault, int):
            return httpx.Response(fault, request=request, text="injected")
        request.read()
        if fault == "duplicate":
            self.inner.handle_request(_copy(request)).close()
        response = self.inner.handle_request(request)
        if fault in ("drop-reply", "timeout"):
            response.read()
            response.close()
            if fault == "timeout":
                raise httpx.ReadTimeout("no answer in time (injected)")
            raise httpx.ReadError("connection lost after the server answered (injected)")
        return response

    def close(self) -> None:
        self.inner.close()


def _copy(request: httpx.Request) -> httpx.Request:
    return httpx.Request(
        request.method, request.url, headers=request.headers, content=request.content
    )


def on(method: str, fault: str | int, times: int = 1, after: int = 0) -> Rule:
    """The `after`+1-th to `after`+`times`-th `method` requests meet `fault`."""
    seen = 0

    def rule(request: httpx.Request, _n: int) -> str | int | None:
        nonlocal seen
        if request.method != method:
            return None
        seen += 1
        return fault if after < seen <= after + times else None

    return rule
