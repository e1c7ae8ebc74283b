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

import re
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
_EXACT = frozenset(("prefLabel", "altLabel"))
_NOT_ALNUM = re.compile(r"[\W_]+")


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
    return _NOT_ALNUM.sub("", fold(text))


def similarity(query: str, label: str) -> float:
    """How alike two compact spellings are, 0 to 1: difflib's ratio (2 * matching characters
    / both lengths), without difflib when one holds the other (most hits: prefixes, words)."""
    if query == label:
        return 1.0
    if query in label or label in query:
        return 2 * min(len(query), len(label)) / (len(query) + len(label))
    return SequenceMatcher(None, query, label, autojunk=False).ratio()


@dataclass(frozen=True, slots=True)
class Bounded:
    """A label a search hit, with the most its score can be (``bound``) before it is worked
    out; ``weight``: the share a hit of its field counts."""

    bound: float
    weight: float
    concept: str
    label: str
    spelled: str


def candidates(index: Index, query: Query) -> tuple[Candidate, ...]:
    """Up to ``query.limit`` candidates, best first; see the module docstring."""
    wanted = compact(query.text)
    exact: set[str] = set()  # concepts with a preferred or alternative label spelled so
    bounded: list[Bounded] = []
    # One score per concept, label and field: tiers and words find the same label again.
    for concept_id, label, label_type, field in dict.fromkeys(
        (hit.concept, hit.label.value, hit.label_type, hit.field) for hit in _hits(index, query)
    ):
        spelled = compact(label)
        if wanted and spelled == wanted and field != "definition" and label_type in _EXACT:
            exact.add(concept_id)
        weight = DEFINITION_WEIGHT if field == "definition" else 1.0
        bound = weight * _length_bound(wanted, spelled)
        bounded.append(Bounded(bound, weight, concept_id, label, spelled))
    ranked = _best(index, query, wanted, sorted(bounded, key=lambda b: -b.bound))
    return _with_match(ranked, exact)


def _length_bound(query: str, label: str) -> float:
    """The most :func:`similarity` can be for strings of these lengths (difflib's
    ``real_quick_ratio``)."""
    total = len(query) + len(label)
    return 2 * min(len(query), len(label)) / total if total else 1.0


def _best(index: Index, query: Query, wanted: str, bounded: Sequence[Bounded]) -> list[Candidate]:
    """The ``query.limit`` best candidates of hits sorted by their score's upper bound: the
    exact score is computed (difflib, the costly part) only until no hit left could enter."""
    best: dict[str, Candidate] = {}
    for hit in bounded:
        most = round(100 * hit.bound, 1)
        kept = sorted((c.score for c in best.values()), reverse=True)
        if len(kept) >= query.limit and kept[query.limit - 1] >= most:
            break
        known = best.get(hit.concept)
        if known is not None and known.score >= most:
            continue
        score = 100 * hit.weight * similarity(wanted, hit.spelled)
        concept = index.concepts[hit.concept]
        if not agrees(index, concept, query.properties):
            score *= PROPERTY_MISS_WEIGHT
        if known is None or round(score, 1) > known.score:
            best[hit.concept] = Candidate(concept, round(score, 1), False, hit.label)
    return sorted(best.values(), key=lambda c: -c.score)[: query.limit]


def _hits(index: Index, query: Query) -> list[LabelMatch]:
    """Search hits for the whole text; when they are fewer than the limit and the text has
    several words, hits for each word too."""
    schemes = query.schemes or (None,)
    per_scheme = max(query.limit, 5)
    hits = [h for s in schemes for h in index.search(query.text, scheme=s, limit=per_scheme)]
    query_words = dict.fromkeys(words(normalise(query.text)))
    if len(query_words) > 1 and len({hit.concept for hit in hits}) < query.limit:
        for word in query_words:
            hits += [h for s in schemes for h in index.search(word, scheme=s, limit=per_scheme)]
    return hits


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


def _with_match(ranked: Sequence[Candidate], exact: set[str]) -> tuple[Candidate, ...]:
    """``ranked`` with ``match`` set on the first when it alone has an exact label. The hits
    hold every concept with one: the search index ranks exact labels first, and asks for
    more hits than one, so a second such concept is among them."""
    if len(exact) != 1 or not ranked or ranked[0].score < 100 or ranked[0].concept.id not in exact:
        return tuple(ranked)
    best = ranked[0]
    return (Candidate(best.concept, best.score, True, best.label), *ranked[1:])
