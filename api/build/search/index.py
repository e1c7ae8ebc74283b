"""``SearchIndex``: the frozen label and definition indexes, answering lookups and searches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from api.build.search.definitions import definition
from api.build.search.postings import Postings
from api.build.search.query import SCORES, Query, in_language
from api.build.search.substrings import substring
from api.build.search.tiers import exact, prefix, word
from api.build.search.typos import typo
from api.model import Concept, LabelMatch, LabelType, MatchKind, Text

LABEL_TYPES: tuple[LabelType, ...] = ("prefLabel", "altLabel", "hiddenLabel")
#: The tiers, best first; a search stops after the tier that fills it.
TIERS: tuple[Callable[[SearchIndex, Query], None], ...] = (
    exact,
    prefix,
    word,
    substring,
    typo,
    definition,
)


@dataclass(frozen=True, slots=True, eq=False)
class SearchIndex:
    """Label and definition indexes over concepts in rank order; see the package docstring."""

    concepts: tuple[Concept, ...]
    languages: tuple[str, ...]
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

    def lookup(
        self, label: str, lang: str | None = None, scheme: str | None = None
    ) -> tuple[LabelMatch, ...]:
        """Concepts with a label equal to ``label`` ignoring case, accents and spacing;
        prefLabel matches before altLabel before hiddenLabel."""
        query = Query.parse(label, lang, scheme, len(self.concepts) or 1)
        exact(self, query)
        return query.ranked()

    def search(
        self, text: str, lang: str | None = None, scheme: str | None = None, limit: int = 20
    ) -> tuple[LabelMatch, ...]:
        """Up to ``limit`` concepts matching ``text``, best first, one hit per concept."""
        query = Query.parse(text, lang, scheme, limit)
        for tier in TIERS if query.key and limit > 0 else ():
            tier(self, query)
            if query.full:
                break
        return query.ranked()

    def passes(self, query: Query, entry: int) -> bool:
        """Whether ``entry`` passes the query's scheme and language filters."""
        schemes = self.concepts[self.entry_concept[entry]].schemes
        if query.scheme is not None and query.scheme not in schemes:
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
                concept=self.concepts[rank].id,
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
