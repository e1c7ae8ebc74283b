"""Fair shares: a token bucket per client on the expensive routes, answered 429 when empty.

A client is its address as the server sees it (``scope["client"]``, which a trusted proxy's
``X-Forwarded-For`` may have set). Buckets live in one bounded :class:`~api.runtime.lru.LRU`,
so a flood of addresses forgets the least recently seen clients rather than growing the
table; a forgotten client starts again with a full bucket. The limits are per worker
process. As on Wikidata's and DBpedia's public SPARQL endpoints, a client over its share
gets 429 Too Many Requests with ``Retry-After`` (RFC 6585 §4). docs/linked-data.md.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.http.errors import Problem, problem_response
from api.runtime.lru import LRU
from api.settings import Settings

#: The routes whose requests cost enough to be shared out (their paths).
EXPENSIVE: Final = frozenset({"/sparql", "/search", "/annotate", "/graphql", "/reconcile", "/mcp"})
#: Protocol routes that search the index too, as (start, end) of their paths: a Skosmos
#: vocabulary id sits between the two (``/rest/v1/{vocid}/search``). FHIR's
#: ``ValueSet/$expand`` is not among them: its errors must be OperationOutcomes, and this
#: 429 is a problem body (docs/protocols.md).
EXPENSIVE_ENDS: Final = (("/rest/v1/", "/search"),)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TooManyRequests(Problem):
    """The client is over its share; ``Retry-After`` says when to come back."""

    status, slug, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)}, retry_after=retry_after)


def networks(items: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (``10.0.0.0/8``, ``::1``) parsed."""
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


def client_of(scope: Scope, exempt: tuple[Network, ...] = ()) -> str | None:
    """The client's address, or ``None`` when it is unknown or exempt from fair shares."""
    client = scope.get("client")
    if not client:
        return None
    return _client(str(client[0]), exempt)


#: Client addresses whose exemption is kept decided (parsing an address costs more than
#: the rest of a fair-share check); bounded, so a flood of addresses only evicts.
CLIENT_MEMO_SIZE = 4096


@lru_cache(maxsize=CLIENT_MEMO_SIZE)
def _client(host: str, exempt: tuple[Network, ...]) -> str | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a Unix socket, or a test client's name: still one client
        return host
    return None if any(address in network for network in exempt) else host


@dataclass(slots=True)
class Bucket:
    """Tokens a client has left, as of ``stamp`` (a monotonic time)."""

    tokens: float
    stamp: float

    def take(self, now: float, rate: float, burst: int) -> float:
        """Spend a token if there is one (0.0), else the seconds until there will be."""
        self.tokens = min(burst, self.tokens + (now - self.stamp) * rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / rate


class RateLimiter:
    """Token buckets per client: ``rate`` requests a second on average, ``burst`` at once."""

    def __init__(
        self,
        rate: float,
        burst: int,
        clients: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._buckets: LRU[str, Bucket] = LRU(clients)

    def wait(self, client: str) -> float:
        """Take one request from ``client``'s bucket: 0.0, or the seconds it must wait."""
        now = self._clock()
        bucket = self._buckets.get_or_make(client, lambda: Bucket(self.burst, now))
        return bucket.take(now, self.rate, self.burst)


class FairShares:
    """Which requests are shared out (:data:`EXPENSIVE`) and each client's bucket: one per
    app, so the middleware and the replay in front (``api.http.front``) charge one bucket."""

    def __init__(self, settings: Settings, paths: Collection[str] = EXPENSIVE) -> None:
        self.paths = frozenset(paths)
        self.ends = EXPENSIVE_ENDS if paths is EXPENSIVE else ()
        # Every path is tested, so the starts are tested at once first (0.5 -> 0.1 µs for
        # the REST paths, which none of them starts).
        self.starts = tuple(start for start, _ in self.ends)
        self.exempt = networks(settings.rate_limit_exempt)
        self.limiter = (
            RateLimiter(
                settings.rate_limit_per_second,
                settings.rate_limit_burst,
                settings.rate_limit_clients,
            )
            if settings.rate_limit_per_second > 0
            else None
        )

    def counts(self, path: str) -> bool:
        """Whether requests to ``path`` are shared out (one set lookup for most paths)."""
        if self.limiter is None:
            return False
        if path in self.paths:
            return True
        if not path.startswith(self.starts):
            return False
        return any(path.startswith(start) and path.endswith(end) for start, end in self.ends)

    def charge(self, scope: Scope) -> float:
        """Take one request from the client's bucket: 0.0, or the seconds it must wait."""
        client = client_of(scope, self.exempt)
        if client is None or self.limiter is None:
            return 0.0
        return self.limiter.wait(client)


#: Where a layer in front that has charged the client already leaves the seconds it must
#: wait, so that the client is charged once and the refusal is answered here.
CHARGED: Final = "glossary.fair-share-charged"


class FairShareMiddleware:
    """Pure ASGI middleware: a 429 problem for a client over its rate on :data:`EXPENSIVE`."""

    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        paths: Collection[str] = EXPENSIVE,
        shares: FairShares | None = None,
    ) -> None:
        self.app = app
        self.shares = shares if shares is not None else FairShares(settings, paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.shares.counts(scope["path"]):
            await self.app(scope, receive, send)
            return
        charged = scope.get(CHARGED)
        wait = self.shares.charge(scope) if charged is None else charged
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        limiter = self.shares.limiter
        assert limiter is not None  # counts() is False without one
        seconds = max(1, math.ceil(wait))  # Retry-After is whole seconds (RFC 9110 §10.2.3)
        problem = TooManyRequests(
            f"Too many requests from your address: at most {limiter.rate:g} a second "
            f"on average ({limiter.burst} at once). Try again in {seconds} s.",
            retry_after=seconds,
        )
        await problem_response(Request(scope), problem)(scope, receive, send)
