"""Hierarchy rules: no broader cycles, and S27 (related is disjoint from broaderTransitive)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from api.checking.integrity.facts import Facts, Finding
from api.checking.integrity.graphs import ancestors, cycle_through, strongly_connected
from api.checking.integrity.terms import BROADER, NARROWER, RELATED


def parents_of(facts: Facts) -> dict[str, set[str]]:
    """Node → its direct broader nodes, from every broader and (inverted) narrower link."""
    parents: defaultdict[str, set[str]] = defaultdict(set)
    for child, parent in facts.pairs(*BROADER):
        parents[child].add(parent)
    for parent, child in facts.pairs(*NARROWER):
        parents[child].add(parent)
    return dict(parents)


def broader_cycles(facts: Facts) -> Iterator[Finding]:
    """No concept is broader than itself: one report per cycle (strongly connected set)."""
    parents = parents_of(facts)
    for component in strongly_connected(parents):
        start = min(component)
        if len(component) > 1 or start in parents.get(start, ()):
            path = cycle_through(start, parents, component)
            shown = " → ".join(_short(member) for member in path)
            yield start, "broader-cycle", f"skos:broader cycle: {shown}"


def _short(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def s27_related_not_broader(facts: Facts) -> Iterator[Finding]:
    """S27: skos:related is disjoint from skos:broaderTransitive (and, by symmetry, narrower)."""
    parents = parents_of(facts)
    cache: dict[str, frozenset[str]] = {}
    for one, other in sorted({tuple(sorted(pair)) for pair in facts.pairs(*RELATED)}):
        if other in ancestors(one, parents, cache):
            yield one, "S27", f"skos:related <{other}>, which is also a broader concept"
        elif one in ancestors(other, parents, cache):
            yield one, "S27", f"skos:related <{other}>, which is also a narrower concept"
