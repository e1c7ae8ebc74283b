"""SKOS integrity conditions and our profile's structural rules, checked in plain Python.

Rule ids ``S13`` ... ``S46`` are the integrity conditions of the SKOS Reference
(https://www.w3.org/TR/skos-reference/); the others are this service's profile. One pass
over the store collects the triples the rules need, so a check of 100,000 concepts takes
seconds, not minutes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from pyoxigraph import BlankNode, NamedNode, Store
from pyoxigraph import Literal as RdfLiteral

from api.vocabulary import ISO_THES, PREFIXES, RDF_TYPE, RDFS, SKOS

Severity = Literal["violation", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule on one resource (``term``, an IRI or ``_:`` blank node id)."""

    term: str
    label: str | None
    rule: str
    message: str
    severity: Severity = "violation"


CONCEPT: Final = SKOS + "Concept"
SCHEME: Final = SKOS + "ConceptScheme"
COLLECTIONS: Final = frozenset({SKOS + "Collection", SKOS + "OrderedCollection"})
LABELS: Final = (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel")
PREF_LABEL: Final = LABELS[0]
EXACT_MATCH: Final = SKOS + "exactMatch"
IN_SCHEME: Final = (SKOS + "inScheme", SKOS + "topConceptOf")

#: Sub-properties of skos:broader (SKOS §8.6.4, §10.6.4; ISO 25964 SKOS extension).
BROADER: Final = tuple(SKOS + name for name in ("broader", "broadMatch")) + tuple(
    ISO_THES + name for name in ("broaderGeneric", "broaderPartitive", "broaderInstantial")
)
#: Their inverses, position for position.
NARROWER: Final = tuple(SKOS + name for name in ("narrower", "narrowMatch")) + tuple(
    ISO_THES + name for name in ("narrowerGeneric", "narrowerPartitive", "narrowerInstantial")
)
RELATED: Final = (SKOS + "related", SKOS + "relatedMatch")
#: S46: exactMatch is disjoint from these (and, by inverse and symmetry, the others here).
NOT_EXACT: Final = (*BROADER, *NARROWER, SKOS + "relatedMatch")
#: Inverse pairs that our profile requires to be stated both ways (mappings are exempt:
#: their targets usually live in other vocabularies).
INVERSES: Final = (
    *((b, n) for b, n in zip(BROADER, NARROWER, strict=True) if "Match" not in b),
    (SKOS + "topConceptOf", SKOS + "hasTopConcept"),
)
#: Property → the classes its objects must have in the loaded data.
TARGETS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        **{
            iri: frozenset({CONCEPT})
            for iri in (*BROADER, *NARROWER, *RELATED)
            if "Match" not in iri
        },
        SKOS + "hasTopConcept": frozenset({CONCEPT}),
        SKOS + "inScheme": frozenset({SCHEME}),
        SKOS + "topConceptOf": frozenset({SCHEME}),
        SKOS + "member": frozenset({CONCEPT}) | COLLECTIONS,
    }
)
SUBCLASS_OF: Final = RDFS + "subClassOf"
_RELATIONS: Final = frozenset(
    {RDF_TYPE, SUBCLASS_OF, EXACT_MATCH, *BROADER, *NARROWER, *RELATED, *TARGETS, *IN_SCHEME}
)

Pairs = tuple[tuple[str, str], ...]
LabelValue = tuple[str, str, str | None]  # property, lexical form, language (None: not tagged)
Finding = tuple[str, str, str]  # term, rule, message


@dataclass(frozen=True, slots=True)
class Facts:
    """The triples the rules read, with nodes as strings (IRIs, ``_:id``, literals in N-Triples)."""

    edges: Mapping[str, Pairs]
    labels: Mapping[str, tuple[LabelValue, ...]]
    label_errors: tuple[Finding, ...]
    types: Mapping[str, frozenset[str]]

    def pairs(self, *properties: str) -> Iterator[tuple[str, str]]:
        """Every (subject, object) of any of ``properties``."""
        for iri in properties:
            yield from self.edges.get(iri, ())

    def instances(self, *classes: str) -> Iterator[str]:
        """Nodes typed with any of ``classes``."""
        wanted = frozenset(classes)
        return (node for node, types in self.types.items() if types & wanted)


def check_integrity(store: Store) -> tuple[Problem, ...]:
    """Every integrity problem in ``store``, sorted by term then rule."""
    return check_facts(collect(store))


def check_facts(facts: Facts) -> tuple[Problem, ...]:
    """Every integrity problem in already collected ``facts``, sorted by term then rule."""
    findings = sorted({finding for rule in RULES for finding in rule(facts)})
    return tuple(
        Problem(term, label_of(facts, term), rule, message) for term, rule, message in findings
    )


def collect(store: Store) -> Facts:
    """One pass over ``store`` gathering the relations, labels and types the rules use."""
    edges: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    labels: defaultdict[str, list[LabelValue]] = defaultdict(list)
    label_errors: list[Finding] = []
    for quad in store:
        predicate = quad.predicate.value
        if predicate in _RELATIONS:
            edges[predicate].append((node(quad.subject), node(quad.object)))
        elif predicate in LABELS:
            subject = node(quad.subject)
            if isinstance(quad.object, RdfLiteral):
                labels[subject].append((predicate, quad.object.value, quad.object.language))
            else:
                label_errors.append(
                    (subject, "label-literal", f"{curie(predicate)} is not a literal")
                )
    return Facts(
        edges=MappingProxyType({iri: tuple(pairs) for iri, pairs in edges.items()}),
        labels=MappingProxyType({subject: tuple(values) for subject, values in labels.items()}),
        label_errors=tuple(label_errors),
        types=MappingProxyType(types_of(edges.get(RDF_TYPE, ()), edges.get(SUBCLASS_OF, ()))),
    )


def types_of(
    typed: Iterable[tuple[str, str]], subclasses: Iterable[tuple[str, str]]
) -> dict[str, frozenset[str]]:
    """Node → its classes and their superclasses (``rdfs:subClassOf*``, as SHACL's sh:class)."""
    superclasses: defaultdict[str, set[str]] = defaultdict(set)
    for subclass, superclass in subclasses:
        superclasses[subclass].add(superclass)
    cache: dict[str, frozenset[str]] = {}
    types: defaultdict[str, set[str]] = defaultdict(set)
    for subject, cls in typed:
        types[subject] |= {cls} | ancestors(cls, superclasses, cache)
    return {subject: frozenset(classes) for subject, classes in types.items()}


def node(term: object) -> str:
    """A term as a string key: the IRI, ``_:id`` for blank nodes, N-Triples for the rest."""
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def curie(iri: str) -> str:
    """``skos:broader`` for a known namespace, ``<iri>`` otherwise."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def label_of(facts: Facts, term: str) -> str | None:
    """The term's English skos:prefLabel, else an untagged or any prefLabel, for reports."""
    labels = [label for label in facts.labels.get(term, ()) if label[0] == PREF_LABEL]
    ranked = sorted(labels, key=lambda label: (label[2] != "en", label[2] is not None, label))
    return ranked[0][1] if ranked else None


# --- Labels ---------------------------------------------------------------------------


def label_form(facts: Facts) -> Iterator[Finding]:
    """Labels are non-empty, language-tagged and without stray white space."""
    yield from facts.label_errors
    for subject, values in facts.labels.items():
        for prop, value, language in values:
            yield from _label_problems(subject, curie(prop), value, language)


def _label_problems(subject: str, prop: str, value: str, language: str | None) -> Iterator[Finding]:
    if not value.strip():
        yield subject, "label-empty", f"{prop} is empty"
    elif " ".join(value.split()) != value:
        yield subject, "label-spaces", f"{prop} {quote(value)} has stray spaces, tabs or newlines"
    if language is None:
        yield subject, "label-language", f"{prop} {quote(value)} has no language tag"


def s13_disjoint_labels(facts: Facts) -> Iterator[Finding]:
    """S13: prefLabel, altLabel and hiddenLabel are pairwise disjoint."""
    for subject, values in facts.labels.items():
        seen: dict[tuple[str, str | None], str] = {}
        for prop, value, language in sorted(values, key=_label_order):
            first = seen.setdefault((value, language), prop)
            if first != prop:
                text = _literal(value, language)
                yield subject, "S13", f"{text} is both {curie(first)} and {curie(prop)}"


def s14_one_pref_label(facts: Facts) -> Iterator[Finding]:
    """S14: at most one skos:prefLabel per language tag."""
    for subject, values in facts.labels.items():
        by_language: defaultdict[str | None, list[str]] = defaultdict(list)
        for prop, value, language in values:
            if prop == PREF_LABEL:
                by_language[language].append(value)
        for language, texts in by_language.items():
            if len(texts) > 1:
                listed = ", ".join(_literal(text, language) for text in sorted(texts))
                yield subject, "S14", f"{len(texts)} skos:prefLabel in one language: {listed}"


def _label_order(label: LabelValue) -> tuple[int, str, str]:
    prop, value, language = label
    return LABELS.index(prop), value, language or ""


def _literal(value: str, language: str | None) -> str:
    return f"{quote(value)}@{language}" if language else quote(value)


def quote(text: str) -> str:
    """``text`` in double quotes, with quotes, backslashes and line breaks escaped (as JSON)."""
    return json.dumps(text, ensure_ascii=False)


# --- Hierarchy ------------------------------------------------------------------------


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
            path = _cycle_through(start, parents, component)
            shown = " → ".join(_short(member) for member in path)
            yield start, "broader-cycle", f"skos:broader cycle: {shown}"


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> Iterator[frozenset[str]]:
    """Tarjan's strongly connected components, iteratively (hierarchies can be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            vertex, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[vertex])
                if low[vertex] == index[vertex]:
                    yield _pop_component(vertex, stack, on_stack)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph.get(child, ()))))
            elif child in on_stack:
                low[vertex] = min(low[vertex], index[child])


def _pop_component(vertex: str, stack: list[str], on_stack: set[str]) -> frozenset[str]:
    members: set[str] = set()
    while vertex not in members:
        member = stack.pop()
        on_stack.discard(member)
        members.add(member)
    return frozenset(members)


def _cycle_through(
    start: str, parents: Mapping[str, set[str]], within: frozenset[str]
) -> list[str]:
    """A shortest path start → ... → start inside one strongly connected component."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier and start not in previous:
        following = []
        for vertex in frontier:
            for parent in sorted(parents.get(vertex, set()) & within):
                if parent not in previous:
                    previous[parent] = vertex
                    following.append(parent)
        frontier = following
    path = [start]
    while len(path) == 1 or path[-1] != start:
        path.append(previous[path[-1]])
    return path[::-1]


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


def ancestors(
    start: str, parents: Mapping[str, set[str]], cache: dict[str, frozenset[str]]
) -> frozenset[str]:
    """Every node transitively broader than ``start``; safe on cycles, memoised in ``cache``."""
    if start not in cache:
        seen: set[str] = set()
        stack = [start]
        while stack:
            fresh = parents.get(stack.pop(), set()) - seen
            seen |= fresh
            stack.extend(fresh)
        cache[start] = frozenset(seen)
    return cache[start]


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


# --- Structure ------------------------------------------------------------------------


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


RULES: Final[tuple[Callable[[Facts], Iterable[Finding]], ...]] = (
    label_form,
    s13_disjoint_labels,
    s14_one_pref_label,
    broader_cycles,
    s27_related_not_broader,
    s46_exact_not_hierarchical,
    inverse_stated,
    in_scheme,
    dangling,
    disjoint_classes,
)
"""Every rule, each a function from the collected facts to its findings."""
