"""Structural rules of our profile: inverses stated both ways, every concept in a scheme,
no dangling references; and S9, S37 (disjoint classes)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from api.checking.integrity.facts import Facts, Finding
from api.checking.integrity.terms import (
    COLLECTIONS,
    CONCEPT,
    IN_SCHEME,
    INVERSES,
    SCHEME,
    TARGETS,
    curie,
)


def inverse_stated(facts: Facts) -> Iterator[Finding]:
    """Our profile states both directions of broader/narrower and topConceptOf/hasTopConcept."""
    for forward, backward in INVERSES:
        there = set(facts.edges.get(forward, ()))
        back = {(o, s) for s, o in facts.edges.get(backward, ())}
        yield from _one_way(facts, there - back, forward, backward)
        yield from _one_way(facts, {(o, s) for s, o in back - there}, backward, forward)


def _one_way(
    facts: Facts, pairs: Iterable[tuple[str, str]], stated: str, missing: str
) -> Iterator[Finding]:
    for subject, target in pairs:
        if target in facts.types:  # else `dangling` reports it
            message = f"{curie(stated)} <{target}>, but <{target}> states no {curie(missing)} back"
            yield subject, "inverse-stated", message


def in_scheme(facts: Facts) -> Iterator[Finding]:
    """Every concept is in a concept scheme (skos:topConceptOf implies skos:inScheme)."""
    placed = {subject for subject, _ in facts.pairs(*IN_SCHEME)}
    for concept in facts.instances(CONCEPT):
        if concept not in placed:
            yield concept, "in-scheme", "a skos:Concept not skos:inScheme any concept scheme"


def dangling(facts: Facts) -> Iterator[Finding]:
    """Relations point to resources declared, with the right class, in the loaded data."""
    for prop, classes in TARGETS.items():
        wanted = " or ".join(sorted(curie(cls) for cls in classes))
        for subject, target in facts.edges.get(prop, ()):
            if not facts.types.get(target, frozenset()) & classes:
                yield subject, "dangling", f"{curie(prop)} <{target}> is not a {wanted} here"


def disjoint_classes(facts: Facts) -> Iterator[Finding]:
    """S9: ConceptScheme is disjoint from Concept; S37: Collection from both."""
    for subject, types in facts.types.items():
        if CONCEPT in types and SCHEME in types:
            yield subject, "S9", "both a skos:Concept and a skos:ConceptScheme"
        if types & COLLECTIONS and types & {CONCEPT, SCHEME}:
            yield subject, "S37", "a skos:Collection and also a skos:Concept or skos:ConceptScheme"
