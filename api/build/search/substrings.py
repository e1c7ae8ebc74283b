"""The substring tier: labels containing the query, at a word start before anywhere else.

Candidates come from the distinct label words, never from every label: the words are
sorted (for those starting with a fragment) and joined into one string (for those with
a fragment inside them)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from api.build.search.postings import SCAN, prefix_span, union
from api.build.search.query import Query

if TYPE_CHECKING:
    from api.build.search.index import SearchIndex

#: The most label words a substring may match.
_SUBSTRING_WORDS = 300


def substring(index: SearchIndex, query: Query) -> None:
    """Labels containing the query, at a word start before anywhere else. Candidates
    come from label words: for one query word, those starting with it and then those
    containing it; for two, see ``_pair``; for more, the rarest middle (whole) word."""
    if len(query.key) < 3 or not query.words:
        return
    first = query.words[0]
    if len(query.words) == 1:
        index.take(query, _containing(index, query, _starting(index, first)), "substring")
        index.take(query, _containing(index, query, _inside(index, first)), "substring", 0.05)
    elif len(query.words) == 2:
        pair = _pair(index, first, query.words[1])
        _substrings(index, query, _containing(index, query, pair))
    else:
        middle = min(query.words[1:-1], key=lambda word: len(index.label_words.get(word)))
        _substrings(index, query, _containing(index, query, [middle]))


def _substrings(index: SearchIndex, query: Query, entries: Iterable[int]) -> None:
    """Record substring hits, those at a word start scoring higher."""
    for entry in query.budget(entries):
        key = index.entry_key[entry]
        at = key.find(query.key)
        index.hit(query, entry, "substring", 0.0 if at == 0 or not key[at - 1].isalnum() else 0.05)


def _pair(index: SearchIndex, first: str, last: str) -> Sequence[str]:
    """The fewer-postings choice of: label words starting with ``last``, or ending with
    ``first`` (a two-word substring starts inside one word and ends inside the next)."""
    starting = _starting(index, last)
    if index.label_words.size(starting) <= SCAN:
        return starting
    ending = _inside(index, first + "\n")
    return min(starting, ending, key=index.label_words.size)


def _starting(index: SearchIndex, prefix: str) -> Sequence[str]:
    """Label words starting with ``prefix``."""
    start, stop = prefix_span(index.sorted_words, prefix, _SUBSTRING_WORDS)
    return index.sorted_words[start:stop]


def _inside(index: SearchIndex, fragment: str) -> list[str]:
    """Label words with ``fragment`` inside them, not at their start (a fragment ending
    in a newline finds the words it ends)."""
    found: list[str] = []
    starts, joined = index.word_offsets, index.joined_words
    position = joined.find(fragment)
    while position >= 0 and len(found) < _SUBSTRING_WORDS:
        number = bisect_right(starts, position) - 1
        if position > starts[number] or fragment.endswith("\n"):
            found.append(index.sorted_words[number])
        position = joined.find(fragment, starts[number + 1])
    return found


def _containing(index: SearchIndex, query: Query, label_words: Sequence[str]) -> Iterator[int]:
    """Entries with one of ``label_words`` whose key contains the whole query, in order.
    Only the first words' postings, up to a budget, are read: a query that vague gets
    some substring hits, not all."""
    postings, budget = [], SCAN * 3
    for word in label_words:
        postings.append(index.label_words.get(word))
        budget -= len(postings[-1])
        if budget < 0:
            break
    return (e for e in union(postings) if query.key in index.entry_key[e])


def offsets(words: Sequence[str]) -> list[int]:
    """Start of each word in ``"\\n".join(words)``, plus one past the end."""
    found = [0]
    for word in words:
        found.append(found[-1] + len(word) + 1)
    return found
