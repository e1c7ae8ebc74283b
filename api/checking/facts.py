"""Collecting the facts the rules read: one pass over the store, every node as a string."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pyoxigraph import BlankNode, NamedNode, Store
from pyoxigraph import Literal as RdfLiteral

from api.checking.integrity.graphs import ancestors
from api.checking.integrity.terms import LABELS, PREF_LABEL, RELATIONS, SUBCLASS_OF, curie
from api.namespaces import RDF_TYPE

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


def label_of(facts: Facts, term: str) -> str | None:
    """The term's English skos:prefLabel, else an untagged or any prefLabel, for reports."""
    labels = [label for label in facts.labels.get(term, ()) if label[0] == PREF_LABEL]
    ranked = sorted(labels, key=lambda label: (label[2] != "en", label[2] is not None, label))
    return ranked[0][1] if ranked else None
