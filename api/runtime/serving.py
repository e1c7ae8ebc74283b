"""The :class:`Runtime`: owner of everything mutable, and the :class:`Serving` a request reads.

A snapshot is data; what is made from it while serving (prepared responses, rendered bytes,
the annotator, SPARQL workers) is kept in one :class:`Serving` per snapshot. The lifespan
builds one ``Runtime``, which holds the current ``Serving``, starts it, swaps in a new one
on reload and closes the old. A request pins the ``Serving`` it first reads
(:func:`current`), so a reload never mixes two vocabularies in one response.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping, MutableMapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Generic, Literal, Protocol, TypeVar, runtime_checkable

import anyio
from starlette.requests import HTTPConnection

from api.build.annotator import Annotator, build_annotator
from api.build.index import Index
from api.runtime.lru import LRU, Stats
from api.runtime.snapshot import Snapshot
from api.settings import Settings

#: Where a request keeps the ``Serving`` it answers from (see :func:`current`).
SERVING_KEY = "glossary.serving"


class Service(Protocol):
    """Something a snapshot needs while serving that holds resources (worker processes)."""

    def start(self) -> None:
        """Get ready in the background, so the first request does not wait."""

    def close(self) -> None:
        """Release everything now."""


@runtime_checkable
class Reporting(Protocol):
    """A service that says how it is doing, for ``/metrics`` (the SPARQL pool's workers)."""

    #: The metric's name (``sparql_workers``).
    figures_name: str

    def figures(self) -> Mapping[str, float]:
        """Values by state (``idle``, ``busy``, ...): a small, fixed set of names."""


S = TypeVar("S", bound=Service)


@dataclass(frozen=True)
class ServiceKind(Generic[S]):
    """How to make a service for a snapshot, and whether to start it with the snapshot."""

    kind: type[S]
    make: Callable[[Snapshot], S]
    eager: Callable[[Snapshot], bool] = field(default=lambda snapshot: False)


@dataclass(frozen=True)
class CacheSizes:
    """Entries kept per snapshot in each cache, and the bytes the caches of whole answers may
    hold. The defaults fit a busy day's hot set of a 100,000-concept vocabulary: 16,384
    negotiated representations (a concept's JSON is 1-5 kB; 4,096 concepts in 4 languages)
    and as many GraphQL answers, each cache within ``cache_bytes`` (the ``cache_mb``
    setting), so neither can grow past its budget whatever is asked."""

    responses: int = 16384
    renderings: int = 16384
    resources: int = 4096
    documents: int = 256
    answers: int = 16384
    sparql: int = 16384
    pages: int = 32
    reconcile_queries: int = 16384
    reconcile_batches: int = 4096
    cache_bytes: int = 64 * 1024 * 1024
    #: Whole answers replayed in front of the stack (``api.http.front``); 0: none.
    front: int = 16384

    @classmethod
    def from_settings(cls, settings: Settings, processes: int = 1) -> CacheSizes:
        """The sizes ``settings`` ask for, shared out among ``processes`` workers."""
        whole = cls(cache_bytes=settings.cache_mb * 1024 * 1024, front=settings.front_replays)
        return whole.shared_by(processes)

    def shared_by(self, processes: int) -> CacheSizes:
        """Each of ``processes`` workers' share: every size divided by their number (at least
        one entry; none stays none), so that the caches of ``--workers N`` together hold
        what one process's would. Each worker's caches fill with the same hot answers, so
        whole budgets per worker made the tree's memory grow N-fold with use."""
        if processes <= 1:
            return self
        shares = {
            f.name: max(1, value // processes) if (value := getattr(self, f.name)) else 0
            for f in fields(self)
        }
        return CacheSizes(**shares)


def weight(value: object) -> int:
    """Bytes a cached answer holds: its body and raw headers (a fixed guess for others)."""
    body = getattr(value, "body", value)
    headers = getattr(value, "headers", ())
    size = len(body) if isinstance(body, bytes) else 512
    return size + sum(len(name) + len(text) for name, text in headers if isinstance(text, bytes))


class Caches:
    """One snapshot's caches; dropped whole with it on reload."""

    def __init__(self, sizes: CacheSizes) -> None:
        budget = sizes.cache_bytes
        #: Prepared responses, by the negotiated facts they depend on (``http.renderers``).
        self.responses: LRU[Hashable, object] = LRU(
            sizes.responses, max_weight=budget, weigh=weight
        )
        #: Rendered bytes (a resource's JSON per language and base URL).
        self.renderings: LRU[Hashable, bytes] = LRU(
            sizes.renderings, max_weight=budget, weigh=weight
        )
        #: RDF descriptions of resources, per format.
        self.resources: LRU[Hashable, bytes] = LRU(sizes.resources, max_weight=budget, weigh=weight)
        #: Whole documents: dumps, VoID, the ontology, the service description.
        self.documents: LRU[Hashable, bytes] = LRU(sizes.documents)
        #: Whole GraphQL answers to small, error-free requests.
        self.answers: LRU[Hashable, object] = LRU(sizes.answers, max_weight=budget, weigh=weight)
        #: Small SPARQL answers, by query text, result formats and caps.
        self.sparql: LRU[Hashable, object] = LRU(sizes.sparql, max_weight=budget, weigh=weight)
        #: Whole answers as sent (status, every header, body), by the request facts they
        #: depend on (``api.http.front``); their bodies are those of ``responses``, shared.
        self.front: LRU[Hashable, object] = LRU(sizes.front, max_weight=budget, weigh=weight)
        #: What HTML pages read that takes a walk over every concept (the A-Z, per language
        #: preference): apart from ``responses``, so crawling concepts does not evict it.
        self.pages: LRU[Hashable, object] = LRU(sizes.pages)
        #: Each reconciliation query's candidates as JSON, by query, languages and dialect.
        self.reconcile_queries: LRU[Hashable, bytes] = LRU(
            sizes.reconcile_queries, max_weight=budget, weigh=weight
        )
        #: Whole reconciliation answers, by the request body's digest and what it was read with.
        self.reconcile_batches: LRU[Hashable, object] = LRU(
            sizes.reconcile_batches, max_weight=budget, weigh=weight
        )

    def stats(self) -> dict[str, Stats]:
        """Entries, capacity, hits and misses of each cache, by name."""
        return {name: cache.stats() for name, cache in vars(self).items() if isinstance(cache, LRU)}


class Builds:
    """The gate of first-time work that holds a whole document in memory while it is made (a
    dump): a thread limiter, shared by every snapshot of a runtime so that a reload does not
    double it, sized on first use (from the settings, which the runtime does not hold)."""

    def __init__(self) -> None:
        self._limiter: anyio.CapacityLimiter | None = None
        self._lock = threading.Lock()

    def limiter(self, size: int) -> anyio.CapacityLimiter:
        """At most ``size`` threads at once; waiting callers hold no thread."""
        with self._lock:
            if self._limiter is None:
                self._limiter = anyio.CapacityLimiter(size)
            return self._limiter


class Serving:
    """One snapshot, with the caches and services made for it while it is served."""

    def __init__(
        self,
        snapshot: Snapshot,
        kinds: Mapping[type[Any], ServiceKind[Any]],
        sizes: CacheSizes,
        builds: Builds | None = None,
        made: Mapping[type[Any], Service] | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.caches = Caches(sizes)
        self.builds = builds if builds is not None else Builds()
        self._kinds = kinds
        self._services: dict[type[Any], Service] = dict(made or {})
        self._made = frozenset(self._services)
        self._lock = threading.Lock()
        self._closed = False

    @property
    def index(self) -> Index:
        return self.snapshot.index

    @cached_property
    def annotator(self) -> Annotator:
        """The label index of ``/annotate``, built on first use, once per snapshot."""
        return build_annotator(self.snapshot.index)

    def service(self, kind: type[S]) -> S:
        """This snapshot's service of ``kind``, made on first use."""
        with self._lock:
            found = self._services.get(kind)
            if found is None:
                if self._closed:
                    raise RuntimeError("this snapshot is no longer served")
                found = self._services[kind] = self._kinds[kind].make(self.snapshot)
        assert isinstance(found, kind)
        return found

    def figures(self) -> dict[str, Mapping[str, float]]:
        """What the services made so far report, by their ``figures_name``."""
        with self._lock:
            services = list(self._services.values())
        reporting = [service for service in services if isinstance(service, Reporting)]
        return {service.figures_name: service.figures() for service in reporting}

    def start(self) -> None:
        """Start the services that should be ready before the first request needs them."""
        for kind, spec in self._kinds.items():
            if spec.eager(self.snapshot) and kind not in self._made:
                self.service(kind).start()

    def close(self) -> None:
        """Stop this snapshot's services, if any were made."""
        with self._lock:
            self._closed = True
            services = list(self._services.values())
            self._services.clear()
        for service in services:
            service.close()


@dataclass(frozen=True, slots=True)
class Pinned:
    """One answer's hold on the snapshot it started from: read once per request, so a
    reload mid-answer never mixes two vocabularies (GraphQL's context, MCP's questions)."""

    serving: Serving

    @property
    def snapshot(self) -> Snapshot:
        return self.serving.snapshot

    @property
    def index(self) -> Index:
        return self.serving.index


@dataclass(frozen=True)
class ReloadStatus:
    """What became of the last reloads, for ``/health``: all ``None`` until one is tried."""

    #: How many reloads were tried (a part of /health's ETag).
    attempts: int = 0
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    #: ``None`` if the last attempt succeeded, else why not.
    outcome: Literal["failed", "held-back"] | None = None
    #: Why, for people: file name (never its path), line and rule.
    reason: str | None = None


class Runtime:
    """Built by the lifespan: the current :class:`Serving`, swapped whole on reload."""

    def __init__(
        self,
        snapshot: Snapshot,
        services: tuple[ServiceKind[Any], ...] = (),
        sizes: CacheSizes | None = None,
        made: Mapping[type[Any], Service] | None = None,
    ) -> None:
        """``made``: services of ``snapshot`` made and started already (by the supervisor of
        forked workers, so that they share them rather than each make its own)."""
        self._kinds: Mapping[type[Any], ServiceKind[Any]] = {s.kind: s for s in services}
        self._sizes = sizes or CacheSizes()
        self._builds = Builds()
        self._current = Serving(snapshot, self._kinds, self._sizes, self._builds, made)
        self.reload_status = ReloadStatus()

    @property
    def current(self) -> Serving:
        return self._current

    @property
    def snapshot(self) -> Snapshot:
        return self._current.snapshot

    def start(self) -> None:
        self._current.start()

    def swap(self, snapshot: Snapshot) -> None:
        """Serve ``snapshot`` from now on; requests already running finish on the old one."""
        serving = Serving(snapshot, self._kinds, self._sizes, self._builds)
        previous, self._current = self._current, serving
        serving.start()
        previous.close()

    def close(self) -> None:
        self._current.close()

    def record_reload(
        self, outcome: Literal["failed", "held-back"] | None = None, reason: str | None = None
    ) -> None:
        """Note a reload attempt: ``outcome`` ``None`` for a success (swap first)."""
        now = datetime.now(UTC)
        status = self.reload_status
        self.reload_status = replace(
            status,
            attempts=status.attempts + 1,
            last_attempt=now,
            last_success=now if outcome is None else status.last_success,
            outcome=outcome,
            reason=reason,
        )


def current(connection: HTTPConnection) -> Serving:
    """The ``Serving`` this request answers from: the runtime's current one, pinned on first
    use so that every later read in the same request sees the same snapshot."""
    serving = pinned(connection.scope)
    assert serving is not None, "no runtime: the lifespan has not run"
    return serving


def pinned(scope: MutableMapping[str, Any]) -> Serving | None:
    """:func:`current` from an ASGI scope (for pure ASGI layers, which make no request), or
    ``None`` before the lifespan has made a runtime."""
    serving = scope.get(SERVING_KEY)
    if serving is None:
        runtime = (scope.get("state") or {}).get("runtime")
        if not isinstance(runtime, Runtime):
            return None
        serving = scope[SERVING_KEY] = runtime.current
    return serving if isinstance(serving, Serving) else None
