"""What every reader shares: ``Reading`` (the working state of one read: which resources are
concepts, schemes and collections, and their ids), and the properties records are read from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from api.build.records.ids import concept_ids, mint_ids
from api.build.triples import Triples, Value, is_iri
from api.namespaces import (
    DC,
    DCT,
    FOAF,
    GLOSS,
    ISO_THES,
    ONTOLOGY_NAMESPACES,
    OWL,
    RDFS,
    SCHEMA,
    SKOS,
    SKOSXL,
)

# --- The properties records are read from ---------------------------------------------

NAMES = (FOAF + "name", SKOS + "prefLabel", RDFS + "label", DCT + "title")
CITATIONS = (DCT + "bibliographicCitation", DCT + "title", RDFS + "label", FOAF + "name")
LINKS = (SCHEMA + "url", FOAF + "page", FOAF + "homepage", RDFS + "seeAlso")
SOURCES = (DCT + "source", DC + "source")

#: Concept fields holding literals, and the properties they are read from.
CONCEPT_TEXTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "pref_labels": (SKOS + "prefLabel",),
        "alt_labels": (SKOS + "altLabel",),
        "hidden_labels": (SKOS + "hiddenLabel",),
        "definitions": (SKOS + "definition",),
        "scope_notes": (SKOS + "scopeNote",),
        "examples": (SKOS + "example",),
        "notes": (SKOS + "note",),
        "history_notes": (SKOS + "historyNote",),
        "editorial_notes": (SKOS + "editorialNote",),
        "change_notes": (SKOS + "changeNote",),
        "criteria": (GLOSS + "recognitionCriterion",),
        "stances": (GLOSS + "stance",),
        "roles": (GLOSS + "roles",),
    }
)
#: (upward field, downward field) -> (upward property, downward property): each pair of
#: fields holds the same links, read from either property.
CONCEPT_HIERARCHIES: Mapping[tuple[str, str], tuple[str, str]] = MappingProxyType(
    {
        ("broader", "narrower"): (SKOS + "broader", SKOS + "narrower"),
        ("broader_partitive", "narrower_partitive"): (
            ISO_THES + "broaderPartitive",
            ISO_THES + "narrowerPartitive",
        ),
    }
)
#: Mapping fields (IRIs, usually outside the loaded data) -> (property, inverse property);
#: a mapping to a loaded concept is mirrored onto it.
CONCEPT_MAPPINGS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "exact_match": (SKOS + "exactMatch", SKOS + "exactMatch"),
        "close_match": (SKOS + "closeMatch", SKOS + "closeMatch"),
        "broad_match": (SKOS + "broadMatch", SKOS + "narrowMatch"),
        "narrow_match": (SKOS + "narrowMatch", SKOS + "broadMatch"),
        "related_match": (SKOS + "relatedMatch", SKOS + "relatedMatch"),
    }
)
#: Replacements of deprecated concepts, read like mappings (IRIs: a replacement may be in
#: another vocabulary) and mirrored the same way: A replaced by B, so B replaces A.
CONCEPT_REPLACEMENTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "replaced_by": (DCT + "isReplacedBy", DCT + "replaces"),
        "replaces": (DCT + "replaces", DCT + "isReplacedBy"),
    }
)
#: Label fields -> the SKOS-XL property whose label resources' ``literalForm`` they hold.
CONCEPT_XL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "pref_labels": SKOSXL + "prefLabel",
        "alt_labels": SKOSXL + "altLabel",
        "hidden_labels": SKOSXL + "hiddenLabel",
    }
)
LITERAL_FORM = SKOSXL + "literalForm"
DEPRECATED = OWL + "deprecated"
#: Scheme memberships a concept states (each also makes a resource a concept).
IN_SCHEME = SKOS + "inScheme"
TOP_CONCEPT_OF = SKOS + "topConceptOf"
HAS_TOP_CONCEPT = SKOS + "hasTopConcept"

# --- The working state of one read ----------------------------------------------------


class Reading:
    """Resources by kind and their ids, concept fields gathered by field, and what later
    readers need from earlier ones (scheme memberships, languages, the concepts' order)."""

    def __init__(self, triples: Triples) -> None:
        self.triples = triples
        self.scheme_iris = _own(triples.instances(SKOS + "ConceptScheme"))
        self.collection_iris = _own(
            triples.instances(SKOS + "Collection", SKOS + "OrderedCollection")
        )
        self.ordered = triples.instances(SKOS + "OrderedCollection")
        self.concepts = _concepts(triples, self.scheme_iris) - self.scheme_iris
        self.concepts -= self.collection_iris | triples.instances(SKOSXL + "Label")
        triples.share(self.concepts | self.scheme_iris | self.collection_iris)
        self.scheme_ids = mint_ids(self.scheme_iris)
        self.collection_ids = mint_ids(self.collection_iris)
        #: Concept IRI -> id (see ``name_concepts``); bare id -> ids, when ambiguous.
        self.ids: dict[str, str] = {}
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        self.deprecated: set[str] = set()
        self.fields: dict[str, dict[str, tuple[Any, ...]]] = defaultdict(dict)
        self.reified: defaultdict[str, list[str]] = defaultdict(list)
        self.shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: Concept -> its scheme ids, and the id of its first scheme by IRI; scheme IRI ->
        #: its stated top concepts.
        self.schemes_of: dict[str, tuple[str, ...]] = {}
        self.first_schemes: dict[str, str] = {}
        self.stated_tops: dict[str, set[str]] = {}
        #: Scheme id -> its default language; the index's.
        self.languages: dict[str, str] = {}
        self.index_language = "en"
        #: Concept IRIs by preferred label, then id; and each one's position there.
        self.ranked: list[str] = []
        self.rank: dict[str, int] = {}

    def name_concepts(self) -> None:
        """Mint the concepts' ids, once their schemes are known (``ids`` module)."""
        named = concept_ids(self.concepts, self.first_schemes)
        self.ids, self.ambiguous = named.ids, named.ambiguous

    def share(self, items: tuple[str, ...]) -> tuple[str, ...]:
        """One tuple object for equal tuples (most concepts share their scheme tuple)."""
        return self.shared.setdefault(items, items)

    def put(self, field: str, iri: str, value: tuple[Any, ...]) -> None:
        """Set a concept's ``field`` to ``value`` unless it is empty."""
        if value:
            self.fields[field][iri] = value

    def concept_objects(self, predicate: str) -> Iterator[tuple[str, Sequence[Value]]]:
        """(concept, objects) of ``predicate``, consuming it."""
        return ((s, o) for s, o in self.triples.take(predicate).items() if s in self.concepts)

    def language_of(self, iri: str) -> str:
        """A concept's default language: that of its first scheme (by id)."""
        schemes = self.schemes_of.get(iri)
        return self.languages[schemes[0]] if schemes else self.index_language

    def ordered_ids(self, iris: Sequence[str]) -> tuple[str, ...]:
        """Ids of the concepts among ``iris``, by preferred label then id, each once;
        equal tuples are shared (siblings share their broader tuple)."""
        if len(iris) == 1 or (len(iris) == 2 and iris[0] == iris[1]):
            return self.share((self.ids[iris[0]],)) if iris[0] in self.rank else ()
        found = sorted({i for i in iris if i in self.rank}, key=self.rank.__getitem__)
        return self.share(tuple(map(self.ids.__getitem__, found)))


def _own(iris: set[str]) -> set[str]:
    """``iris`` but the terms of SKOS, SKOS-XL, OWL, RDF and RDFS themselves."""
    return {iri for iri in iris if not iri.startswith(ONTOLOGY_NAMESPACES)}


def _concepts(triples: Triples, schemes: set[str]) -> set[str]:
    """What counts as a concept: typed ``skos:Concept`` or a subclass declared in the data;
    the subject of ``inScheme`` or ``topConceptOf`` a loaded scheme; the object of a loaded
    scheme's ``hasTopConcept`` that the data describes (a bare IRI in a list of top concepts
    is a reference to another file, not a concept to serve). Blank nodes (no IRI to serve)
    and the terms of SKOS, SKOS-XL, OWL, RDF and RDFS themselves are left out (and, by the
    caller, schemes, collections and SKOS-XL labels: YSO puts its labels ``inScheme``)."""
    found = triples.instances(SKOS + "Concept")
    for predicate in (IN_SCHEME, TOP_CONCEPT_OF):
        stated = triples.get(predicate).items()
        found.update(c for c, objects in stated if any(o in schemes for o in objects))
    for scheme, objects in triples.get(HAS_TOP_CONCEPT).items():
        if scheme in schemes:
            fresh = [o for o in objects if o not in found and is_iri(o)]
            found.update(o for o in fresh if triples.describes(o))
    return {iri for iri in _own(found) if is_iri(iri)}
