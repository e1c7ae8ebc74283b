"""The SKOS (and ISO 25964) classes and properties the rules read, and how reports name them."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from api.namespaces import ISO_THES, PREFIXES, RDF_TYPE, RDFS, SKOS

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
#: Every property whose triples the rules read (besides the labels).
RELATIONS: Final = frozenset(
    {RDF_TYPE, SUBCLASS_OF, EXACT_MATCH, *BROADER, *NARROWER, *RELATED, *TARGETS, *IN_SCHEME}
)


def curie(iri: str) -> str:
    """``skos:broader`` for a known namespace, ``<iri>`` otherwise."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"
