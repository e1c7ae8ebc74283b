"""The HTTP/1.1 connection: uvicorn's httptools protocol with limits at the edge.

uvicorn reads a request head of any size (httptools buffers a 32 MB header whole), waits
forever for a client that sends half a head or a declared body it never sends, accepts
every connection, and answers what it cannot parse with a bare ``text/plain`` 400. h11's
protocol bounds head bytes but has no read timeouts either, and costs a third of the
throughput, so :class:`LimitedProtocol` keeps httptools and adds, per connection:

- a cap on the bytes of the request line and headers, and on the number of header lines
  (431), checked before the bytes reach the parser;
- exactly one ``Host`` header (RFC 9112 §3.2: 400 otherwise, HTTP/1.0 included);
- a deadline for the head, from connecting (or from the first byte after a keep-alive
  wait) and one for the body, from the end of the head (408, then close);
- a cap on open connections (503, then close);

and answers each refusal as a problem body with the security headers the app would add.
``glossary serve`` passes it to uvicorn, with :class:`Limits` from the settings.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState

from api.http.errors import BadRequest, Problem, ServiceUnavailable
from api.http.security import raw_problem
from api.settings import Settings


class HeadersTooLarge(Problem):
    status, slug, title = 431, "headers-too-large", "Request header fields too large"


class RequestTimeout(Problem):
    status, slug, title = 408, "request-timeout", "Request timeout"


@dataclass(frozen=True)
class Limits:
    """What one connection may send, and how slowly (see the settings of the same names)."""

    header_bytes: int
    header_count: int
    header_timeout: float
    body_timeout: float
    connections: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            header_bytes=settings.max_header_bytes,
            header_count=settings.max_header_count,
            header_timeout=settings.header_timeout,
            body_timeout=settings.body_timeout,
            connections=settings.max_connections,
        )


class _Refused(Exception):
    """Raised in a parser callback to stop parsing; the refusal is on the protocol."""


class LimitedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with :class:`Limits`; pass it as ``partial(cls, limits=)``."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        limits: Limits,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = limits
        self.in_head = True  # the next bytes belong to a request line or headers
        self.head_bytes = 0
        self.head_lines = 0
        self.hosts = 0
        self.has_body = False
        self.heads = 0  # request heads read on this connection
        self.deadline: asyncio.TimerHandle | None = None
        self.refusal: Problem | None = None

    # Connections ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.connections:
            self.refuse(ServiceUnavailable("Too many open connections; try again shortly."))
            return
        self.arm(self.limits.header_timeout, self.head_timed_out)

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self.in_head:
            super().data_received(data)
            return
        room = self.limits.header_bytes - self.head_bytes
        self.head_bytes += len(data)
        if len(data) <= room:
            super().data_received(data)
            return
        # Only the bytes within the limit reach the parser: if the head has not ended by
        # then, it is too large, however much more the client has sent.
        heads = self.heads
        super().data_received(data[:room])
        if self.transport.is_closing():
            return
        if self.heads == heads:
            self.refuse(HeadersTooLarge(_too_large(self.limits)))
            return
        # The rest is a body, or the next request's head (pipelined), counted afresh; that
        # head's first bytes were in the part just parsed, so it may exceed the limit by them.
        self.data_received(data[room:])

    # Parser callbacks -----------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.deadline is None:  # after a keep-alive wait: the head's clock starts now
            self.arm(self.limits.header_timeout, self.head_timed_out)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head_lines += 1
        if self.head_lines > self.limits.header_count:
            self.refusal = HeadersTooLarge(_too_large(self.limits))
            raise _Refused
        lowered = name.lower()
        if lowered == b"host":
            self.hosts += 1
        elif lowered in (b"content-length", b"transfer-encoding"):
            self.has_body = True
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self.disarm()
        self.in_head = False
        self.heads += 1
        if self.hosts != 1:
            self.refusal = BadRequest("A request needs exactly one Host header.")
            raise _Refused
        super().on_headers_complete()
        if self.has_body:
            self.arm(self.limits.body_timeout, self.body_timed_out)

    def on_message_complete(self) -> None:
        self.disarm()
        super().on_message_complete()
        self.in_head, self.head_bytes, self.head_lines = True, 0, 0
        self.hosts, self.has_body = 0, False

    # Refusals ---------------------------------------------------------------------------

    def send_400_response(self, msg: str) -> None:
        """What uvicorn calls when the parser fails: our refusal, or a 400 problem."""
        problem = self.refusal or BadRequest("The request is not well-formed HTTP/1.1.")
        self.refuse(problem)

    def refuse(self, problem: Problem) -> None:
        """Answer ``problem`` (headers and body written at once) and close the connection."""
        self.disarm()
        metrics = self.app_state.get("metrics")  # the lifespan's api.http.metrics.Metrics
        if metrics is not None:
            metrics.reject(problem.status)
        headers, body = raw_problem(problem, self.scheme == "https")
        lines = [STATUS_LINE[problem.status]]
        for name, value in (*self.server_state.default_headers, *headers):
            lines.append(name + b": " + value + b"\r\n")
        lines.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(lines) + body)
        self.transport.close()

    def head_timed_out(self) -> None:
        self.deadline = None
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()  # a pipelined head while a response is still going out
            return
        self.refuse(RequestTimeout("The request line and headers took too long to arrive."))

    def body_timed_out(self) -> None:
        self.deadline = None
        cycle = self.cycle
        if cycle.response_started:
            self.transport.close()
            return
        # The app may be waiting for the body: it hears a disconnect and its answer, if any,
        # is dropped, so the 408 is the only response on the wire.
        cycle.disconnected = True
        cycle.message_event.set()
        self.refuse(RequestTimeout("The request body took too long to arrive."))

    def arm(self, seconds: float, callback: Any) -> None:
        self.disarm()
        self.deadline = self.loop.call_later(seconds, callback)

    def disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None


def _too_large(limits: Limits) -> str:
    return (
        f"The request line and headers are limited to {limits.header_bytes} bytes "
        f"and {limits.header_count} lines."
    )
