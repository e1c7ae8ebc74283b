"""Sorted sequences the index is made of: packed postings (word → ascending item numbers),
their intersection and union, and the span of sorted keys sharing a prefix."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

#: The most candidate entries a tier examines, bounding the latency of a query whose
#: filters reject most candidates (and the head of a postings list ``intersect`` bisects).
SCAN = 1000


def frozen(items: Iterable[int]) -> memoryview:
    """An immutable, compact sequence of unsigned 32-bit ints."""
    return memoryview(array("I", items).tobytes()).cast("I")


@dataclass(frozen=True, slots=True, eq=False)
class Postings:
    """Word -> ascending item numbers, packed into one read-only buffer."""

    items: memoryview
    spans: Mapping[str, int]

    @classmethod
    def pack(cls, postings: Mapping[str, Sequence[int]]) -> Postings:
        flat, spans = array("I"), {}
        for word, items in postings.items():
            spans[word] = len(flat) << 32 | len(items)
            flat.extend(items)
        return cls(frozen(flat), MappingProxyType(spans))

    def get(self, word: str) -> Sequence[int]:
        span = self.spans.get(word)
        if span is None:
            return ()
        start = span >> 32
        return self.items[start : start + (span & 0xFFFFFFFF)]

    def size(self, words: Iterable[str]) -> int:
        """How many items the postings of ``words`` (all present) hold together."""
        return sum(self.spans[word] & 0xFFFFFFFF for word in words)


def invert(items: Iterable[tuple[int, list[str]]]) -> dict[str, list[int]]:
    """Word -> ascending numbers of the items containing it."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number, item_words in items:
        for word in set(item_words):
            postings[word].append(number)
    return postings


def intersect(postings: Sequence[Sequence[int]]) -> Iterator[int]:
    """Items of the first (shortest) sorted sequence found in all the others, in order:
    by bisection for the first items (a query often needs only those), then by set
    intersection (C speed) for the rest of a long first sequence."""
    first, *others = postings
    for item in first[:SCAN]:
        if all(_contains(other, item) for other in others):
            yield item
    if len(first) > SCAN:
        yield from sorted(set(first[SCAN:]).intersection(*others))


def _contains(items: Sequence[int], item: int) -> bool:
    index = bisect_left(items, item)
    return index < len(items) and items[index] == item


def union(postings: Iterable[Sequence[int]]) -> list[int]:
    """The items of any of ``postings``, ascending."""
    return sorted(set().union(*postings))


def prefix_span(
    keys: Sequence[str], prefix: str, most: int, lo: int = 0, hi: int | None = None
) -> tuple[int, int]:
    """Start and stop of the (at most ``most``) sorted ``keys[lo:hi]`` starting with ``prefix``."""
    hi = len(keys) if hi is None else hi
    start = bisect_left(keys, prefix, lo, hi)
    stop = bisect_left(keys, prefix + "\U0010ffff", start, hi)
    return start, min(stop, start + most)
