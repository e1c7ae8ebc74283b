"""How a search ranks: one query (its key, words and filters, the hits found so far), the
score of a hit by tier, and ``SearchData``, the frozen tables the tiers read, which records
a label's hit for its concept unless the concept has a better one."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from types import MappingProxyType
from typing import TypeVar

from api.build.search.normalisation import is_english, joined, normalise, plural_key, words
from api.build.search.postings import SCAN, Postings, prefix_span
from api.languages import InvalidLanguageTag, answers, normalise_tag
from api.model import Concept, LabelMatch, LabelType, MatchKind, Text

T = TypeVar("T")

#: The score of a hit by tier; a label type below prefLabel costs 0.02 a step. A notation
#: equal to the query scores as an exact label does, and its tier runs first, so it ranks first.
SCORES: Mapping[MatchKind, float] = MappingProxyType(
    {
        "notation": 1.0,
        "exact": 1.0,
        "prefix": 0.8,
        "word": 0.6,
        "substring": 0.4,
        "typo": 0.3,
        "definition": 0.1,
    }
)
LABEL_TYPES: tuple[LabelType, ...] = ("prefLabel", "altLabel", "hiddenLabel")


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query with its filters and the hits found so far (local to one call);
    deprecated concepts pass only when ``deprecated`` is true."""

    key: str
    words: tuple[str, ...]
    lang: str | None
    scheme: str | None
    limit: int
    seen: dict[int, LabelMatch]
    deprecated: bool = False
    joined: str = ""
    plural: str = ""

    @classmethod
    def parse(
        cls, text: str, lang: str | None, scheme: str | None, limit: int, deprecated: bool = False
    ) -> Query:
        key, tag = normalise(text), _tag(lang)
        # English plurals are folded for a query in English, or in no stated language (it
        # then meets English labels only: no other label has a plural key).
        plural = plural_key(key) if tag is None or is_english(tag) else ""
        return cls(
            key, tuple(words(key)), tag, scheme, limit, {}, deprecated, joined(key), plural
        )  # fmt: skip

    def admits(self, schemes: tuple[str, ...], deprecated: bool) -> bool:
        """Whether a concept in ``schemes`` passes the scheme and deprecation filters."""
        if deprecated and not self.deprecated:
            return False
        return self.scheme is None or self.scheme in schemes

    @property
    def full(self) -> bool:
        return len(self.seen) >= self.limit

    def budget(self, candidates: Iterable[T]) -> Iterator[T]:
        """``candidates`` until the query is full or the scan budget is spent."""
        for candidate in islice(candidates, SCAN):
            if self.full:
                return
            yield candidate

    def ranked(self) -> tuple[LabelMatch, ...]:
        """The hits best first (a stable sort, so ties keep the tier's own order)."""
        return tuple(sorted(self.seen.values(), key=lambda match: -match.score)[: self.limit])


def _tag(lang: str | None) -> str | None:
    """``lang`` in canonical case when it is a well-formed tag (else as given, matching nothing)."""
    if lang is None:
        return None
    try:
        return normalise_tag(lang)
    except InvalidLanguageTag:
        return lang


def in_language(language: str | None, wanted: str) -> bool:
    """Whether a text tagged ``language`` answers a ``lang=wanted`` filter (RFC 4647: ``en``
    for ``en-GB``, ``en-GB`` for ``en``, an untagged text for any; see ``api.languages``)."""
    return answers(language, wanted)


@dataclass(frozen=True, slots=True, eq=False)
class SearchData:
    """Label and definition tables over concepts in rank order (see the package docstring);
    ``SearchIndex`` adds the searches."""

    concepts: Sequence[Concept]
    languages: tuple[str, ...]
    # What the filters read of each concept, by rank, so that a search decodes no concept
    # it only filters (``concepts`` may be packed: ``api.build.packed``): its id, its
    # schemes, and whether it is deprecated (1) or not (0).
    ids: tuple[str, ...]
    schemes: tuple[tuple[str, ...], ...]
    deprecated: bytes
    entry_concept: Sequence[int]
    entry_type: bytes
    entry_text: tuple[Text, ...]
    entry_key: tuple[str, ...]
    sorted_keys: tuple[str, ...]
    sorted_entries: Sequence[int]
    label_words: Postings
    sorted_words: tuple[str, ...]
    joined_words: str
    word_offsets: Sequence[int]
    definition_words: Postings
    stopwords: frozenset[str]
    alphabet: str
    notations: Mapping[str, tuple[int, ...]]
    joined_keys: tuple[str, ...]
    joined_entries: Sequence[int]
    plural_keys: tuple[str, ...] = ()
    plural_entries: Sequence[int] = ()

    # ``joined_keys`` holds every label's joined key (``joined``: its key without
    # separators), sorted, sharing the key's string where they are equal (a one-word label);
    # ``joined_entries`` the entry of each.

    def joined_span(self, key: str, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
        """Start and stop of the positions in ``joined_keys[lo:hi]`` starting with ``key``."""
        return prefix_span(self.joined_keys, key, len(self.joined_keys), lo, hi)

    def joined_equal(self, key: str) -> Sequence[int]:
        """The entries whose joined key is ``key``."""
        start = bisect_left(self.joined_keys, key)
        return self.joined_entries[start : bisect_right(self.joined_keys, key, lo=start)]

    # ``plural_keys`` holds the English labels' plural-folded keys (``plural_key``), sorted,
    # sharing the key's string where they are equal; ``plural_entries`` the entry of each.
    # Labels in other languages, or untagged, have none.

    def plural_equal(self, key: str) -> Sequence[int]:
        """The entries of English labels whose plural-folded key is ``key``."""
        start = bisect_left(self.plural_keys, key)
        return self.plural_entries[start : bisect_right(self.plural_keys, key, lo=start)]

    def plural_starts(self, key: str) -> bool:
        """Whether some English label's plural-folded key starts with ``key``."""
        at = bisect_left(self.plural_keys, key)
        return at < len(self.plural_keys) and self.plural_keys[at].startswith(key)

    def admitted(self, query: Query, rank: int) -> bool:
        """Whether the concept of ``rank`` passes the query's scheme and deprecation filters."""
        return query.admits(self.schemes[rank], bool(self.deprecated[rank]))

    def passes(self, query: Query, entry: int) -> bool:
        """Whether ``entry`` passes the query's scheme, deprecation and language filters."""
        if not self.admitted(query, self.entry_concept[entry]):
            return False
        return query.lang is None or in_language(self.entry_text[entry].language, query.lang)

    def hit(self, query: Query, entry: int, kind: MatchKind, penalty: float = 0.0) -> None:
        """Record ``entry`` as its concept's hit unless the concept has a better one already
        (from an earlier tier, or a better label type in this one) or the filters reject it."""
        rank, label_type = self.entry_concept[entry], self.entry_type[entry]
        score = round(SCORES[kind] - 0.02 * label_type - penalty, 3)
        previous = query.seen.get(rank)
        if (previous is None or previous.score < score) and self.passes(query, entry):
            query.seen[rank] = LabelMatch(
                concept=self.ids[rank],
                label=self.entry_text[entry],
                label_type=LABEL_TYPES[label_type],
                field=LABEL_TYPES[label_type],
                score=score,
                match=kind,
            )

    def take(
        self, query: Query, entries: Iterable[int], kind: MatchKind, penalty: float = 0.0
    ) -> None:
        """Record hits from ``entries`` until the query is full or the scan budget is spent."""
        for entry in query.budget(entries):
            self.hit(query, entry, kind, penalty)
