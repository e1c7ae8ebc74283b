"""The one cache type: bounded in entries and weight, least recently used out first."""

from __future__ import annotations

import threading
import time

from api.runtime.lru import LRU


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)
    assert len(cache) == 2


def test_total_weight_is_bounded_and_a_value_too_heavy_is_not_kept() -> None:
    cache: LRU[str, str] = LRU(100, max_weight=10, weigh=len)
    cache.put("a", "x" * 6)
    cache.put("b", "x" * 6)
    assert "a" not in cache
    assert "b" in cache
    cache.put("huge", "x" * 11)
    assert "huge" not in cache
    assert "b" in cache


def test_replacing_a_value_keeps_the_weight_right() -> None:
    cache: LRU[str, str] = LRU(100, max_weight=10, weigh=len)
    for _ in range(5):
        cache.put("a", "x" * 8)
    cache.put("b", "xx")
    assert "a" in cache
    assert "b" in cache


def test_hits_and_misses_are_counted() -> None:
    cache: LRU[str, int] = LRU(4)
    cache.get("a")
    cache.put("a", 1)
    cache.get("a")
    cache.get("a")
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.entries, stats.capacity) == (2, 1, 1, 4)
    assert stats.hit_rate == 2 / 3
    assert stats.weight is None  # each value counts one: there is no weight to report


def test_the_weight_held_is_reported() -> None:
    cache: LRU[str, bytes] = LRU(2, max_weight=100, weigh=len)
    for key in "abc":
        cache.put(key, bytes(30))
    assert cache.stats().weight == 60  # "a" was dropped with its 30


def test_a_missing_value_is_made_once_under_concurrency() -> None:
    cache: LRU[str, int] = LRU(4)
    made: list[int] = []

    def make() -> int:
        time.sleep(0.05)
        made.append(1)
        return 42

    threads = [threading.Thread(target=lambda: cache.get_or_make("k", make)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [1]
    assert cache.get("k") == 42
