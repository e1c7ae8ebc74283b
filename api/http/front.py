"""The replay in front: an answer asked for again, sent as the whole stack sent it, without
entering the router or the middleware inside this one.

A replayed REST answer costs ~20 µs in process, most of it the stack around it (the router
trying patterns in turn, the exception middleware, security headers, metrics: see
docs/benchmarks.md). :class:`FrontReplay` runs just inside ``HostMiddleware`` (which still
decides the origin and refuses bad hosts first). On a miss it runs the whole stack and,
when the endpoint marked the answer a function of the request's URL, origin and
negotiation headers alone (``http.caching.REPLAYABLE``: the ``replaying`` routes,
negotiated resources and SPARQL GETs), keeps the status, every header and the body
exactly as they were sent, per snapshot, in ``Caches.front``. Asked again, it sends those bytes.

What the key holds and what it refuses is the whole of its correctness:

- the key: method, path, raw path, raw query string, scheme, server, root path, and every
  value of the headers a layer reads to make such an answer (:data:`KEYED`), in order:
  ``Accept-Language`` parsed as every layer parses it (so its many spellings of one
  preference share an entry, as inside), the others as sent (two spellings of one
  ``Accept`` are two entries; a flood of spellings only evicts entries of this cache);
- any request header outside :data:`KEYED` and :data:`IGNORED` (``If-None-Match``,
  ``Cookie``, ``Authorization``, ``Range``, ``If-Modified-Since``, ...) sends the request
  through the whole stack, which answers it as it always did (304s included);
- GET and HEAD only, each under its own key (a HEAD answer is what the stack sent for HEAD);
- only complete 200s of one body message within ``KEEP_LIMIT`` bytes are kept; the body
  kept is the very ``bytes`` object of the prepared answer inside, shared, not copied;
- a route shared out by the rate limiter (``/search``) is charged here, in the same
  bucket; a client over its share goes through the whole stack, which answers the 429
  without charging it twice (``http.fairness.CHARGED``);
- a replay is counted and timed under the route template kept with it, and sampled for the
  access log, as the metrics middleware would have (``http.metrics.Observer``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.caching import KEEP_LIMIT, REPLAYABLE
from api.http.fairness import CHARGED, FairShares
from api.http.headers import accept_languages
from api.http.metrics import Observer, route_template
from api.runtime.serving import Serving, pinned

#: Request headers some layer reads to make a replayable answer: their values are in the key
#: (``Origin`` is read by none of them today; keyed, so a future CORS rule cannot leak).
KEYED: Final = frozenset({b"host", b"accept", b"accept-language", b"accept-encoding", b"origin"})
#: Request headers no layer reads to make a replayable answer, or whose effect the server
#: writes into the scope before the app sees it (``X-Forwarded-*`` from a trusted proxy sets
#: the client and scheme; the scheme is in the key): they may differ between replays.
IGNORED: Final = frozenset(
    {
        b"user-agent", b"connection", b"keep-alive", b"te", b"priority", b"referer", b"dnt",
        b"cache-control", b"pragma", b"upgrade-insecure-requests", b"x-request-id",
        b"x-forwarded-for", b"x-forwarded-proto", b"x-real-ip", b"forwarded", b"via",
        b"sec-fetch-site", b"sec-fetch-mode", b"sec-fetch-dest", b"sec-fetch-user",
        b"sec-ch-ua", b"sec-ch-ua-mobile", b"sec-ch-ua-platform", b"sec-gpc",
    }
)  # fmt: skip
METHODS: Final = frozenset({"GET", "HEAD"})

RawHeaders = tuple[tuple[bytes, bytes], ...]


@dataclass(frozen=True, slots=True)
class Kept:
    """One answer as the whole stack sent it, and the route template it is counted under."""

    route: str
    status: int
    headers: RawHeaders
    body: bytes


def key_of(scope: Scope) -> tuple[object, ...] | None:
    """Every fact of the request a replayable answer may depend on; ``None`` when the request
    carries a header this replay cannot vouch for (or is not a GET or HEAD)."""
    if scope["method"] not in METHODS:
        return None
    keyed: list[tuple[bytes, object]] = []
    for name, value in scope["headers"]:
        if name == b"accept-language":
            # As every layer reads it: the parsed preference (memoised), so the many ways
            # browsers spell one preference ("en-GB,en;q=0.9", "en-GB, en;q=0.9") share one
            # entry, as they share the answer inside (issue 12: keyed on decisions).
            keyed.append((name, accept_languages(value.decode("latin-1"))))
        elif name in KEYED:
            keyed.append((name, value))
        elif name not in IGNORED:
            return None
    server = scope.get("server")
    return (
        scope["method"],
        scope["path"],
        scope.get("raw_path"),
        scope.get("query_string", b""),
        scope["scheme"],
        None if server is None else tuple(server),
        scope.get("root_path", ""),
        tuple(keyed),
    )


class FrontReplay:
    """Pure ASGI: replay kept answers before the router; keep replayable ones on a miss."""

    def __init__(
        self, app: ASGIApp, shares: FairShares | None = None, observer: Observer | None = None
    ) -> None:
        self.app, self.shares, self.observer = app, shares, observer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        key = key_of(scope) if scope["type"] == "http" else None
        serving = pinned(scope) if key is not None else None
        if key is None or serving is None:
            await self.app(scope, receive, send)
            return
        kept = serving.caches.front.get(key)
        if not isinstance(kept, Kept):
            await self._keeping(scope, receive, send, key, serving)
        elif self._over_share(scope):
            await self.app(scope, receive, send)  # whose 429 has every header of the stack
        else:
            await send(
                {"type": "http.response.start", "status": kept.status, "headers": kept.headers}
            )
            await send({"type": "http.response.body", "body": kept.body})
            if self.observer is not None:
                self.observer.record(scope, kept.route, kept.status, time.perf_counter() - started)

    def _over_share(self, scope: Scope) -> bool:
        """Charge a shared-out route here; a client over its share is noted for the stack."""
        if self.shares is None or not self.shares.counts(scope["path"]):
            return False
        wait = self.shares.charge(scope)
        if wait <= 0:
            return False
        scope[CHARGED] = wait
        return True

    async def _keeping(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[object, ...], serving: Serving
    ) -> None:
        """The whole stack's answer, kept if the endpoint marked it replayable."""
        sent: list[Message] = []

        async def recorded(message: Message) -> None:
            sent.append(message)
            await send(message)

        await self.app(scope, receive, recorded)
        kept = _kept(scope, sent)
        if kept is not None:
            serving.caches.front.put(key, kept)


def _kept(scope: Scope, sent: list[Message]) -> Kept | None:
    """What to keep of the messages sent: a marked, complete 200 in one body message."""
    if not scope.get(REPLAYABLE) or len(sent) != 2:
        return None
    start, body = sent
    if start["type"] != "http.response.start" or start["status"] != 200:
        return None
    content = body.get("body", b"")
    if body["type"] != "http.response.body" or body.get("more_body", False):
        return None
    if not isinstance(content, bytes) or len(content) > KEEP_LIMIT:
        return None
    # The pairs are those of the prepared answer and of the security headers, shared: only
    # a pair some layer made as a list is copied (a tuple each would be ~1 kB an answer).
    headers = tuple(
        pair if type(pair) is tuple else (bytes(pair[0]), bytes(pair[1]))
        for pair in start.get("headers", ())
    )
    return Kept(route_template(scope, 200), 200, headers, content)
