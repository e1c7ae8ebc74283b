"""The whole-label tiers: exact label, prefix of a label, every query word a label word."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from api.build.search.postings import SCAN, intersect, prefix_span
from api.build.search.query import Query

if TYPE_CHECKING:
    from api.build.search.index import SearchIndex


def exact(index: SearchIndex, query: Query) -> None:
    """Labels equal to the query (every one: ``lookup`` wants them all)."""
    start = bisect_left(index.sorted_keys, query.key)
    stop = bisect_right(index.sorted_keys, query.key, lo=start)
    for entry in sorted(index.sorted_entries[start:stop]):
        index.hit(query, entry, "exact")


def prefix(index: SearchIndex, query: Query) -> None:
    """Labels starting with the query."""
    start, stop = prefix_span(index.sorted_keys, query.key, SCAN)
    index.take(query, index.sorted_entries[start:stop], "prefix")


def word(index: SearchIndex, query: Query) -> None:
    """Labels with every query word as a whole word."""
    postings = sorted(map(index.label_words.get, query.words), key=len)
    if postings and postings[0]:
        index.take(query, intersect(postings), "word")
