"""Prometheus metrics: a pure ASGI middleware that counts and times requests, and ``/metrics``.

Requests are labelled by route template (``/concepts/{id}``, never the raw path), method
and status; latencies by route template; refusals by a reason named from the status. The
label values are bounded: routes come from the route table (the IRI catch-all is one
value, ``<iri>``), methods outside :data:`METHODS` are ``other``, and a status is one of
the few the service answers. The middleware keeps the labelled children it has made, so a
request costs two dictionary lookups, two increments and an observation (a few µs,
docs/benchmarks.md). What the runtime knows (the snapshot, its caches, the SPARQL pool) is
read when ``/metrics`` is scraped, by :class:`RuntimeCollector`, never counted per request.

With several worker processes (``glossary serve --workers``), the supervisor sets
``PROMETHEUS_MULTIPROC_DIR`` before anything imports ``prometheus_client``; request
counters are then kept in per-process files that any worker sums when scraped, so the
counters never go backwards whichever worker answers. docs/deployment.md.
"""

from __future__ import annotations

import ipaddress
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.errors import NotFound
from api.http.fairness import networks
from api.runtime.serving import Runtime
from api.settings import Settings

#: Methods counted by name; any other is ``other`` (a client may send any token).
METHODS: Final = frozenset({"GET", "HEAD", "POST", "OPTIONS"})
#: The label of requests no route matched (the IRI catch-all, ``api.rdf.routes.iri_path``).
UNROUTED: Final = "<iri>"
#: The label of requests refused before routing (a client over its rate).
REFUSED: Final = "<refused>"
#: Why a request was refused, by status: what a platform team alerts on.
REJECTIONS: Final = {
    408: "request-timeout",
    413: "payload-too-large",
    414: "uri-too-long",
    429: "too-many-requests",
    431: "headers-too-large",
    503: "unavailable",
    504: "query-timeout",
}
#: Latency buckets (seconds): a replayed REST answer takes tens of µs, a SPARQL query may
#: take the whole timeout.
BUCKETS: Final = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
)  # fmt: skip
#: Where the supervisor of several workers keeps their counters (prometheus_client's name).
MULTIPROCESS_DIR: Final = "PROMETHEUS_MULTIPROC_DIR"
#: What the scrape answers with (Prometheus' text format 0.0.4).
CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """One app's request metrics, in a registry of its own (tests build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "glossary_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ("route", "method", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "glossary_http_request_duration_seconds",
            "Seconds from a request's arrival to its response's last byte, by route template.",
            ("route",),
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.rejected = Counter(
            "glossary_http_rejected_requests",
            "Requests refused for a limit (rate, size, time, load), by reason.",
            ("reason",),
            registry=self.registry,
        )
        # Labelled children already made: labels() takes a lock and builds a tuple.
        self._counted: dict[tuple[str, str, int], Callable[[], None]] = {}
        self._timed: dict[str, Callable[[float], None]] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and its latency."""
        key = (route, method, status)
        count = self._counted.get(key)
        if count is None:
            count = self._counted[key] = self._child(route, method, status)
        count()
        time_it = self._timed.get(route)
        if time_it is None:
            time_it = self._timed[route] = self.latency.labels(route).observe
        time_it(seconds)

    def _child(self, route: str, method: str, status: int) -> Callable[[], None]:
        method = method if method in METHODS else "other"
        counted = self.requests.labels(route, method, str(status)).inc
        reason = REJECTIONS.get(status)
        if reason is None:
            return counted
        refused = self.rejected.labels(reason).inc

        def both() -> None:
            counted()
            refused()

        return both

    def reject(self, status: int) -> None:
        """Count a refusal made before the app saw the request (``api.http.connections``)."""
        self.rejected.labels(REJECTIONS.get(status, "bad-request")).inc()

    def scrape(self, runtime: Runtime) -> bytes:
        """The exposition: request metrics (every worker's, if several) and the runtime's."""
        registry = self.registry
        folder = os.environ.get(MULTIPROCESS_DIR)
        if folder:
            registry = CollectorRegistry(auto_describe=False)
            MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
        registry.register(collector := RuntimeCollector(runtime))
        try:
            return generate_latest(registry)
        finally:
            registry.unregister(collector)


class AccessLog(Protocol):
    """Writes one request's line (``api.http.logs.access_line``)."""

    def __call__(self, scope: Scope, route: str, status: int, seconds: float) -> None: ...


class Observer:
    """Counts, times and samples answered requests: for :class:`MetricsMiddleware`, and for
    the replay in front of it (``api.http.front``), which answers without entering it."""

    def __init__(
        self, metrics: Metrics | None, sample: float = 0.0, log: AccessLog | None = None
    ) -> None:
        self.metrics, self.sample, self.log = metrics, sample, log

    def record(self, scope: Scope, template: str, status: int, seconds: float) -> None:
        """Count and time one answer to ``scope``, and log it if it is in the sample."""
        if self.metrics is not None:
            self.metrics.observe(template, scope["method"], status, seconds)
        if self.log is not None and (self.sample >= 1 or random.random() < self.sample):
            self.log(scope, template, status, seconds)


def route_template(scope: Scope, status: int) -> str:
    """The label of an answered request: the template of the route the router chose
    (written into the scope), else why none did."""
    route = scope.get("route")
    if route is not None:
        return str(route.path)
    return REFUSED if status in REJECTIONS else UNROUTED


class MetricsMiddleware:
    """Pure ASGI: count and time every HTTP request; log a sample of them, if asked."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics | None,
        sample: float = 0.0,
        log: AccessLog | None = None,
    ) -> None:
        self.app = app
        self.observer = Observer(metrics, sample, log)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers if the app fails before starting a response

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            seconds = time.perf_counter() - started
            self.observer.record(scope, route_template(scope, status), status, seconds)


class RuntimeCollector(Collector):
    """What the runtime knows, read at scrape time: the snapshot served, its caches, the
    SPARQL pool and the last reload."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Metric]:
        serving = self.runtime.current
        snapshot = serving.snapshot
        yield InfoMetricFamily(
            "glossary_snapshot",
            "The vocabulary served: the digest of its files (the root of every ETag).",
            value={"digest": snapshot.digest},
        )
        age = (datetime.now(UTC) - snapshot.loaded_at).total_seconds()
        yield _gauge("glossary_snapshot_age_seconds", "Seconds since it was loaded.", age)
        yield _gauge(
            "glossary_snapshot_load_seconds",
            "Seconds its load took (check, parse, build, admit).",
            snapshot.load_seconds,
        )
        yield _gauge("glossary_snapshot_concepts", "Concepts served.", snapshot.index.concept_count)
        yield from _caches(serving.caches.stats())
        yield from _reloads(self.runtime)
        yield from _services(serving.figures())


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _caches(stats: Mapping[str, Any]) -> Iterator[Metric]:
    families: dict[str, CounterMetricFamily | GaugeMetricFamily] = {
        "hits": CounterMetricFamily(
            "glossary_cache_hits", "Answers found in the cache (this snapshot).", labels=["cache"]
        ),
        "misses": CounterMetricFamily(
            "glossary_cache_misses", "Answers not in the cache (this snapshot).", labels=["cache"]
        ),
        "entries": GaugeMetricFamily(
            "glossary_cache_entries", "Entries the cache holds.", labels=["cache"]
        ),
    }
    for name, figures in stats.items():
        for field, family in families.items():
            family.add_metric([name], getattr(figures, field))
    yield from families.values()


def _reloads(runtime: Runtime) -> Iterator[Metric]:
    status = runtime.reload_status
    yield CounterMetricFamily(
        "glossary_reload_attempts", "Reloads tried since start-up.", value=status.attempts
    )
    failing = GaugeMetricFamily(
        "glossary_reload_failing",
        "1 while the last reload failed or was held back (the old snapshot is served).",
        value=0 if status.outcome is None else 1,
    )
    yield failing


def _services(figures: Mapping[str, Mapping[str, float]]) -> Iterator[Metric]:
    """What the snapshot's services report (the SPARQL pool: its workers by state and the
    queries it has admitted), one gauge family each, labelled by figure."""
    for service, values in figures.items():
        family = GaugeMetricFamily(
            f"glossary_{service}",
            f"The {service.replace('_', ' ')}: its figures now.",
            labels=["figure"],
        )
        for figure, value in values.items():
            family.add_metric([figure], value)
        yield family


class MetricsEndpoint:
    """``GET /metrics``: the exposition, to allowed addresses only (the setting
    ``metrics_allow``); others get a 404, as if there were no such page."""

    def __init__(self, metrics: Metrics, settings: Settings) -> None:
        self.metrics = metrics
        self.allowed = networks(settings.metrics_allow)

    async def scrape(self, request: Request) -> Response:
        """The exposition, or a 404 for an address not allowed."""
        if not self._allows(request):
            raise NotFound("There is nothing at this address.")
        body = self.metrics.scrape(request.state.runtime)
        headers = {"Cache-Control": "no-store"}
        return Response(body, media_type=CONTENT_TYPE, headers=headers)

    def _allows(self, request: Request) -> bool:
        client = request.client
        if client is None:
            return False
        try:
            address = ipaddress.ip_address(client.host)
        except ValueError:  # a Unix socket's peer (or a test client's name): this machine
            return True
        return any(address in network for network in self.allowed)
