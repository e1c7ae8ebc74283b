"""What the rules read: the SKOS (and ISO 25964) classes and properties they use and how
reports name them; graph walks over string nodes (closures, strongly connected components,
a shortest cycle; all iterative, since hierarchies can be deep); and ``Facts``, collected in
one pass over the store with every node as a string."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from pyoxigraph import BlankNode, NamedNode, Store
from pyoxigraph import Literal as RdfLiteral

from api.namespaces import ISO_THES, OWL, PREFIXES, RDF_FIRST, RDF_REST, RDF_TYPE, RDFS, SKOS

# --- Terms ----------------------------------------------------------------------------

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
HAS_TOP_CONCEPT: Final = SKOS + "hasTopConcept"
MEMBER_LIST: Final = SKOS + "memberList"
DEPRECATED: Final = OWL + "deprecated"
#: The mapping properties (SKOS §10): with the others above, what keeps a concept no orphan.
MAPPINGS: Final = tuple(
    SKOS + name
    for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
)
#: Every property whose triples the rules read (besides the labels).
RELATIONS: Final = frozenset(
    {RDF_TYPE, SUBCLASS_OF, *BROADER, *NARROWER, *RELATED, *TARGETS, *IN_SCHEME, *MAPPINGS}
    | {MEMBER_LIST, RDF_FIRST, RDF_REST, DEPRECATED}
)


def curie(iri: str) -> str:
    """``skos:broader`` for a known namespace, ``<iri>`` otherwise."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


# --- Graph walks ----------------------------------------------------------------------


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


def cycle_through(start: str, parents: Mapping[str, set[str]], within: frozenset[str]) -> list[str]:
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


# --- Facts ----------------------------------------------------------------------------

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


def collect(store: Store) -> Facts:
    """One pass over ``store`` gathering the relations, labels and types the rules use."""
    edges: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    labels: defaultdict[str, list[LabelValue]] = defaultdict(list)
    label_errors: list[Finding] = []
    for quad in store:
        predicate = quad.predicate.value
        if predicate in RELATIONS:
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


def label_of(facts: Facts, term: str, language: str | None = "en") -> str | None:
    """The term's skos:prefLabel in ``language`` (the vocabulary's default), else an untagged
    or any prefLabel, for reports."""
    labels = [label for label in facts.labels.get(term, ()) if label[0] == PREF_LABEL]
    ranked = sorted(labels, key=lambda label: (label[2] != language, label[2] is not None, label))
    return ranked[0][1] if ranked else None
