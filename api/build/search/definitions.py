"""The definition tier, last: concepts whose definition has every query word. In large
vocabularies the commonest definition words (stopwords) are not indexed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from api.build.search.normalisation import fold, normalise, words
from api.build.search.postings import intersect
from api.build.search.query import SCORES, Query, in_language
from api.languages import pick
from api.model import Concept, LabelMatch, Text

if TYPE_CHECKING:
    from api.build.search.index import SearchIndex

#: In vocabularies of at least this many concepts, definition words found in more than
#: this share of definitions are not indexed (they would match nearly everything).
_STOPWORD_MIN, _STOPWORD_SHARE = 1000, 0.2


def definition(index: SearchIndex, query: Query) -> None:
    """Concepts whose definition contains every query word (stopwords aside)."""
    wanted = [w for w in query.words if w not in index.stopwords]
    postings = sorted((index.definition_words.get(w) for w in wanted), key=len)
    if not postings or not postings[0]:
        return
    for rank in query.budget(intersect(postings)):
        _definition_hit(index, query, rank, wanted)


def _definition_hit(index: SearchIndex, query: Query, rank: int, wanted: list[str]) -> None:
    concept = index.concepts[rank]
    if rank in query.seen or (query.scheme and query.scheme not in concept.schemes):
        return
    if query.lang and not any(_defines(text, query.lang, wanted) for text in concept.definitions):
        return
    label = pick(concept.pref_labels, (query.lang,) if query.lang else (), index.languages[rank])
    query.seen[rank] = LabelMatch(
        concept=concept.id,
        label=label or Text(concept.id),
        label_type="prefLabel",
        field="definition",
        score=SCORES["definition"],
        match="definition",
    )


def _defines(text: Text, lang: str, wanted: list[str]) -> bool:
    """Whether ``text`` is in language ``lang`` and has all the ``wanted`` words."""
    return in_language(text.language, lang) and set(wanted) <= set(words(normalise(text.value)))


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
