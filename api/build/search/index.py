"""``SearchIndex``: the frozen label and definition tables with the searches over them, and
``build_search``, which builds them once from the concepts in rank order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from api.build.search.normalisation import (
    fold,
    is_english,
    joined,
    label_key,
    normalise,
    plural_key,
    words,
)
from api.build.search.postings import Postings, frozen, invert
from api.build.search.ranking import Query, SearchData
from api.build.search.tiers import (
    definition,
    exact,
    joined_exact,
    joined_prefix,
    notation,
    plural_exact,
    prefix,
    substring,
    typo,
    word,
)
from api.model import Concept, LabelMatch, Text

#: The tiers, best first; a search stops after the tier that fills it.
TIERS: tuple[Callable[[SearchData, Query], None], ...] = (
    notation,
    exact,
    joined_exact,
    plural_exact,
    prefix,
    joined_prefix,
    word,
    substring,
    typo,
    definition,
)
#: In vocabularies of at least this many concepts, definition words found in more than
#: this share of definitions are not indexed (they would match nearly everything).
_STOPWORD_MIN, _STOPWORD_SHARE = 1000, 0.2
#: Typo candidates are made of this many letters, the most frequent in label words.
_ALPHABET = 40


@dataclass(frozen=True, slots=True, eq=False)
class SearchIndex(SearchData):
    """Label and definition indexes over concepts in rank order; see the package docstring."""

    def lookup(
        self, label: str, lang: str | None = None, scheme: str | None = None
    ) -> tuple[LabelMatch, ...]:
        """Concepts with a label equal to ``label`` ignoring case, accents and spacing;
        prefLabel matches before altLabel before hiddenLabel. Deprecated concepts too: an
        old label still leads to the concept, which says it is withdrawn."""
        query = Query.parse(label, lang, scheme, len(self.ids) or 1, deprecated=True)
        exact(self, query)
        return query.ranked()

    def lookup_notation(
        self, code: str, lang: str | None = None, scheme: str | None = None
    ) -> tuple[LabelMatch, ...]:
        """Concepts with a notation equal to ``code`` ignoring case and spacing (deprecated
        ones too), each shown with its preferred label in ``lang``."""
        query = Query.parse(code, lang, scheme, len(self.ids) or 1, deprecated=True)
        notation(self, query)
        return query.ranked()

    def search(
        self,
        text: str,
        lang: str | None = None,
        scheme: str | None = None,
        limit: int = 20,
        *,
        include_deprecated: bool = False,
    ) -> tuple[LabelMatch, ...]:
        """Up to ``limit`` concepts matching ``text``, best first, one hit per concept;
        deprecated concepts only with ``include_deprecated``."""
        query = Query.parse(text, lang, scheme, limit, include_deprecated)
        for tier in TIERS if query.key and limit > 0 else ():
            tier(self, query)
            if query.full:
                break
        return query.ranked()


# --- Building -------------------------------------------------------------------------


def build_search(
    concepts: Sequence[Concept],
    languages: Sequence[str],
    *,
    kept: Sequence[Concept] | None = None,
) -> SearchIndex:
    """The search index of ``concepts`` (in rank order) with their default languages; it
    reads the concepts from ``kept`` (the same, packed: ``api.build.packed``) if given."""
    labels = sorted(_labels(concepts), key=itemgetter(0, 1, 2))
    columns: list[tuple[Any, ...]] = list(zip(*labels, strict=True)) or [()] * 5
    entry_key: tuple[str, ...] = columns[3]
    ordered = sorted(range(len(labels)), key=entry_key.__getitem__)
    joined_keys = [_shared(joined(key), key) for key in entry_key]
    by_joined = sorted(range(len(labels)), key=joined_keys.__getitem__)
    plural = {
        entry: _shared(plural_key(key), key)
        for entry, (key, text) in enumerate(zip(entry_key, columns[4], strict=True))
        if is_english(text.language)
    }
    by_plural = sorted(plural, key=plural.__getitem__)
    label_words = invert(enumerate(map(words, entry_key)))
    sorted_words = tuple(sorted(label_words))
    definitions = invert(definition_words(concepts))
    common = stopwords(definitions, len(concepts))
    return SearchIndex(
        concepts=tuple(concepts) if kept is None else kept,
        languages=tuple(languages),
        ids=tuple(c.id for c in concepts),
        schemes=tuple(c.schemes for c in concepts),
        deprecated=bytes(c.deprecated for c in concepts),
        entry_concept=frozen(columns[2]),
        entry_type=bytes(columns[0]),
        entry_text=columns[4],
        entry_key=entry_key,
        sorted_keys=tuple(entry_key[entry] for entry in ordered),
        sorted_entries=frozen(ordered),
        label_words=Postings.pack(label_words),
        sorted_words=sorted_words,
        joined_words="\n".join(sorted_words) + "\n",
        word_offsets=frozen(offsets(sorted_words)),
        definition_words=Postings.pack({w: p for w, p in definitions.items() if w not in common}),
        stopwords=common,
        alphabet=alphabet(label_words),
        notations=MappingProxyType(notations(concepts)),
        joined_keys=tuple(joined_keys[entry] for entry in by_joined),
        joined_entries=frozen(by_joined),
        plural_keys=tuple(plural[entry] for entry in by_plural),
        plural_entries=frozen(by_plural),
    )


def _shared(value: str, original: str) -> str:
    """``value``, or ``original`` when they are equal (one string instead of two)."""
    return original if value == original else value


def notations(concepts: Sequence[Concept]) -> dict[str, tuple[int, ...]]:
    """Normalised notation -> ranks of the concepts with it, ascending."""
    found: dict[str, list[int]] = {}
    for rank, concept in enumerate(concepts):
        for code in dict.fromkeys(normalise(value) for value in concept.notations):
            if code:
                found.setdefault(code, []).append(rank)
    return {code: tuple(ranks) for code, ranks in found.items()}


def _labels(concepts: Sequence[Concept]) -> Iterator[tuple[int, int, int, str, Text]]:
    """(label type, key length, concept rank, key, text) for every label; a concept's
    labels with the same key and language count once."""
    for rank, concept in enumerate(concepts):
        if not (concept.alt_labels or concept.hidden_labels or len(concept.pref_labels) > 1):
            for text in concept.pref_labels:
                key = label_key(text.value)
                yield 0, len(key), rank, key, text
            continue
        done: set[tuple[str, str | None]] = set()
        for kind, texts in enumerate(
            (concept.pref_labels, concept.alt_labels, concept.hidden_labels)
        ):
            for text in texts:
                key = label_key(text.value)
                if key and (key, text.language) not in done:
                    done.add((key, text.language))
                    yield kind, len(key), rank, key, text


def offsets(sorted_words: Sequence[str]) -> list[int]:
    """Start of each word in ``"\\n".join(sorted_words)``, plus one past the end."""
    found = [0]
    for label_word in sorted_words:
        found.append(found[-1] + len(label_word) + 1)
    return found


def alphabet(label_words: Mapping[str, Sequence[int]]) -> str:
    """The most frequent characters of label words: the letters typo candidates are made of."""
    counts = Counter("".join(label_words))
    return "".join(sorted(char for char, _ in counts.most_common(_ALPHABET)))


def definition_words(concepts: Sequence[Concept]) -> Iterator[tuple[int, list[str]]]:
    """(rank, words of its definitions) for every concept with a definition."""
    for rank, concept in enumerate(concepts):
        if len(concept.definitions) == 1:
            yield rank, words(fold(concept.definitions[0].value))
        elif concept.definitions:
            yield rank, words(fold(" ".join(text.value for text in concept.definitions)))


def stopwords(postings: Mapping[str, Sequence[int]], count: int) -> frozenset[str]:
    """Definition words too common to index, in a vocabulary of ``count`` concepts."""
    if count < _STOPWORD_MIN:
        return frozenset()
    return frozenset(w for w, items in postings.items() if len(items) > _STOPWORD_SHARE * count)
