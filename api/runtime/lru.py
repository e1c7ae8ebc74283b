"""The one bounded cache type: a thread-safe least-recently-used map with hit counts.

Every cache in the service is one of these (prepared responses, rendered JSON, RDF
serialisations, GraphQL answers, persisted queries, SPARQL query forms, security headers),
so every cache is bounded in entries (and, when asked, in total weight), and its hit rate
can be reported. Callers key entries on decisions they have made (a negotiated format,
parsed languages), never on raw header bytes, so hostile header churn cannot flush them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Stats:
    """What a cache holds and how often it answered."""

    entries: int
    capacity: int
    hits: int
    misses: int
    #: The total weight held, when values are weighed (in bytes, for the caches of answers);
    #: ``None`` when each counts one.
    weight: int | None = None

    @property
    def hit_rate(self) -> float:
        asked = self.hits + self.misses
        return self.hits / asked if asked else 0.0


def _one(_: object) -> int:
    return 1


class LRU(Generic[K, V]):
    """At most ``capacity`` values (and at most ``max_weight`` in total, each weighing
    ``weigh(value)``), least recently used dropped first; safe to share between threads."""

    def __init__(
        self,
        capacity: int,
        *,
        max_weight: int | None = None,
        weigh: Callable[[V], int] = _one,
    ) -> None:
        self.capacity = capacity
        self._max_weight = max_weight
        self._weigh = weigh
        self._weight = 0
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[K, threading.Lock] = {}
        self._hits = 0
        self._misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        """The value kept for ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self._misses += 1
                return None
            self._hits += 1
            self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used beyond the bounds.

        A value heavier than the whole budget is not kept at all."""
        weight = self._weigh(value)
        if self._max_weight is not None and weight > self._max_weight:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._weight -= self._weigh(old)
            self._items[key] = value
            self._weight += weight
            while len(self._items) > self.capacity or (
                self._max_weight is not None and self._weight > self._max_weight
            ):
                _, dropped = self._items.popitem(last=False)
                self._weight -= self._weigh(dropped)

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value for ``key``, made by ``make()`` when absent; concurrent callers asking
        for the same missing key wait for one ``make()`` instead of each running it."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                found = self._items.get(key)
            if found is not None:
                return found
            try:
                value = make()
            finally:
                with self._lock:
                    self._making.pop(key, None)
            self.put(key, value)
            return value

    def stats(self) -> Stats:
        weight = None if self._weigh is _one else self._weight
        return Stats(len(self._items), self.capacity, self._hits, self._misses, weight)
