"""Mapping rules: S46 (exactMatch is disjoint from the hierarchical and related matches)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from api.checking.integrity.facts import Facts, Finding
from api.checking.integrity.terms import EXACT_MATCH, NOT_EXACT, curie


def s46_exact_not_hierarchical(facts: Facts) -> Iterator[Finding]:
    """S46: skos:exactMatch (transitive, symmetric) is disjoint from broad/narrow/relatedMatch.

    Hierarchical links count too; a link stated in both directions is reported once.
    """
    root = _union_find(facts.pairs(EXACT_MATCH))
    reported: set[frozenset[str]] = set()
    for prop in NOT_EXACT:
        for one, other in facts.edges.get(prop, ()):
            pair = frozenset((one, other))
            if pair not in reported and _same_class(root, one, other):
                reported.add(pair)
                yield one, "S46", f"{curie(prop)} <{other}> but also skos:exactMatch"


def _same_class(root: dict[str, str], one: str, other: str) -> bool:
    """Whether two different nodes are linked by a chain of skos:exactMatch."""
    in_classes = one in root and other in root and one != other
    return in_classes and _find(root, one) == _find(root, other)


def _union_find(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    root: dict[str, str] = {}
    for one, other in pairs:
        root.setdefault(one, one)
        root.setdefault(other, other)
        root[_find(root, one)] = _find(root, other)
    return root


def _find(root: dict[str, str], item: str) -> str:
    while root[item] != item:
        root[item] = root[root[item]]
        item = root[item]
    return item
