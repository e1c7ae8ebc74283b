"""The properties records are read from: concept fields by property, and the properties
that name agents, cite sources and link to pages."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from api.namespaces import DC, DCT, FOAF, GLOSS, ISO_THES, RDFS, SCHEMA, SKOS

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
