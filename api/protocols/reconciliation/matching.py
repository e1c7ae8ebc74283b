"""Candidates for one reconciliation query, scored 0-100, from the snapshot's search index.

The search index finds the candidates (its tiers: exact, prefix, words, substring, typo,
definition); a query whose words are not all in one label is searched word by word too, so
"consultation exercise" still offers consultation. A candidate's score is how alike the query
and the label it matched are, spelled *compactly* (folded, letters and digits only, so
"coproduction", "Co production" and "co-production" are one spelling); a hit on the
definition alone counts half. ``match`` is set only for an unambiguous exact label: the best
candidate's preferred or alternative label spells the query compactly and no other concept
has a preferred or alternative label that does. Nothing here knows about HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from api.build.index import Index
from api.build.search.normalisation import fold, normalise, words
from api.model import Concept, LabelMatch

#: A candidate found only through its definition scores at most this share.
DEFINITION_WEIGHT = 0.5
#: A candidate whose given property values disagree with the query's keeps this share.
PROPERTY_MISS_WEIGHT = 0.5
_EXACT_LABELS = frozenset(("prefLabel", "altLabel"))


@dataclass(frozen=True, slots=True)
class PropertyValue:
    """A query's ``properties`` entry: one of :data:`QUERY_PROPERTIES` and the values asked."""

    pid: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """One reconciliation query, checked: the text, the schemes (types) it is limited to
    (empty: any), the most candidates wanted and property values that should agree."""

    text: str
    schemes: tuple[str, ...] = ()
    limit: int = 5
    properties: tuple[PropertyValue, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A concept offered for a query: its score (0-100), whether it is certainly the one,
    and the label of it that the query matched."""

    concept: Concept
    score: float
    match: bool
    label: str


def compact(text: str) -> str:
    """``text`` folded to letters and digits: spacing, hyphens and apostrophes do not count."""
    return "".join(char for char in fold(text) if char.isalnum())


def similarity(query: str, label: str) -> float:
    """How alike two compact spellings are, 0 to 1 (difflib's ratio: 2 * matches / length)."""
    if query == label:
        return 1.0
    return SequenceMatcher(None, query, label, autojunk=False).ratio()


def candidates(index: Index, query: Query) -> tuple[Candidate, ...]:
    """Up to ``query.limit`` candidates, best first; see the module docstring."""
    wanted = compact(query.text)
    found: dict[str, Candidate] = {}
    for hit in _hits(index, query):
        concept = index.concepts[hit.concept]
        score = 100 * similarity(wanted, compact(hit.label.value))
        if hit.field == "definition":
            score *= DEFINITION_WEIGHT
        if not agrees(index, concept, query.properties):
            score *= PROPERTY_MISS_WEIGHT
        known = found.get(concept.id)
        if known is None or score > known.score:
            found[concept.id] = Candidate(concept, round(score, 1), False, hit.label.value)
    ranked = sorted(found.values(), key=lambda c: -c.score)[: query.limit]
    return _with_match(index, query, wanted, ranked)


def _hits(index: Index, query: Query) -> list[LabelMatch]:
    """Search hits for the whole text, then (when it has several words) for each word."""
    schemes = query.schemes or (None,)
    per_scheme = max(query.limit, 5)
    hits = [h for s in schemes for h in index.search(query.text, scheme=s, limit=per_scheme)]
    query_words = dict.fromkeys(words(normalise(query.text)))
    if len(query_words) > 1:
        for word in query_words:
            hits += [h for s in schemes for h in index.search(word, scheme=s, limit=per_scheme)]
    return hits


def _with_match(
    index: Index, query: Query, wanted: str, ranked: Sequence[Candidate]
) -> tuple[Candidate, ...]:
    """``ranked`` with ``match`` set on the first when it alone has an exact label."""
    if not ranked or ranked[0].score < 100 or not wanted:
        return tuple(ranked)
    spelled = [
        concept_id
        for concept_id in exact_concepts(index, query.text)
        if not query.schemes or set(index.concepts[concept_id].schemes) & set(query.schemes)
    ]
    best = ranked[0]
    if spelled != [best.concept.id]:
        return tuple(ranked)
    first = Candidate(best.concept, best.score, True, best.label)
    return (first, *ranked[1:])


def exact_concepts(index: Index, text: str) -> list[str]:
    """Ids of the concepts with a preferred or alternative label spelled compactly as
    ``text``, from the index's exact and word tiers (which find every spacing of it)."""
    wanted = compact(text)
    hits = [*index.lookup(text), *index.search(text, limit=20)]
    return list(
        dict.fromkeys(
            hit.concept
            for hit in hits
            if hit.label_type in _EXACT_LABELS
            and hit.field != "definition"
            and compact(hit.label.value) == wanted
        )
    )


# Properties ---------------------------------------------------------------------------

#: Property ids a query may give values for, and what each compares.
QUERY_PROPERTIES = {
    "broader": "a broader concept, by id, IRI or label",
    "scheme": "the concept scheme, by id, IRI or title",
    "notation": "a notation",
}


def agrees(index: Index, concept: Concept, properties: Sequence[PropertyValue]) -> bool:
    """Whether each given property has at least one of its values on ``concept``."""
    for given in properties:
        known = _values_of(index, concept, given.pid)
        if not any(_spellings(value) & known for value in given.values):
            return False
    return True


def _spellings(value: str) -> set[str]:
    return {value, compact(value)}


def _values_of(index: Index, concept: Concept, pid: str) -> set[str]:
    """Every way a query might name ``concept``'s values of ``pid``: ids, IRIs, labels."""
    found: set[str] = set()
    if pid == "broader":
        for parent in filter(None, map(index.concepts.get, concept.broader)):
            found |= {parent.id, parent.iri}
            found |= {compact(label.value) for label in parent.pref_labels + parent.alt_labels}
    elif pid == "scheme":
        for scheme_id in concept.schemes:
            scheme = index.schemes[scheme_id]
            found |= {scheme.id, scheme.iri, *(compact(title.value) for title in scheme.titles)}
    elif pid == "notation":
        found |= {*concept.notations, *(compact(code) for code in concept.notations)}
    return found
