"""Building the search index, once, from the concepts in rank order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

from api.build.search.definitions import definition_words, stopwords
from api.build.search.index import SearchIndex
from api.build.search.normalisation import label_key, words
from api.build.search.postings import Postings, frozen, invert
from api.build.search.substrings import offsets
from api.build.search.typos import alphabet
from api.model import Concept, Text


def build_search(concepts: Sequence[Concept], languages: Sequence[str]) -> SearchIndex:
    """The search index of ``concepts`` (in rank order) with their default languages."""
    labels = sorted(_labels(concepts), key=itemgetter(0, 1, 2))
    columns: list[tuple[Any, ...]] = list(zip(*labels, strict=True)) or [()] * 5
    entry_key: tuple[str, ...] = columns[3]
    ordered = sorted(range(len(labels)), key=entry_key.__getitem__)
    label_words = invert(enumerate(map(words, entry_key)))
    sorted_words = tuple(sorted(label_words))
    definitions = invert(definition_words(concepts))
    common = stopwords(definitions, len(concepts))
    return SearchIndex(
        concepts=tuple(concepts),
        languages=tuple(languages),
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
    )


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
