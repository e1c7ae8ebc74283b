"""One query: its key, words and filters, the hits found so far, and how hits rank."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from types import MappingProxyType
from typing import TypeVar

from api.build.search.normalisation import normalise, words
from api.build.search.postings import SCAN
from api.languages import InvalidLanguageTag, normalise_tag
from api.model import LabelMatch, MatchKind

T = TypeVar("T")

#: The score of a hit by tier; a label type below prefLabel costs 0.02 a step.
SCORES: Mapping[MatchKind, float] = MappingProxyType(
    {"exact": 1.0, "prefix": 0.8, "word": 0.6, "substring": 0.4, "typo": 0.3, "definition": 0.1}
)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query with its filters and the hits found so far (local to one call)."""

    key: str
    words: tuple[str, ...]
    lang: str | None
    scheme: str | None
    limit: int
    seen: dict[int, LabelMatch]

    @classmethod
    def parse(cls, text: str, lang: str | None, scheme: str | None, limit: int) -> Query:
        key = normalise(text)
        return cls(key, tuple(words(key)), _tag(lang), scheme, limit, {})

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
    """Whether a text tagged ``language`` is in ``wanted`` (``en`` covers ``en-GB``)."""
    return language is not None and (language == wanted or language.startswith(wanted + "-"))
