"""What every reader shares: ``Reading`` (the working state of one read), the ids that name
resources in URLs, and the properties records are read from."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from api.build.triples import Triples, Value
from api.namespaces import DC, DCT, FOAF, GLOSS, ISO_THES, RDFS, SCHEMA, SKOS

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

# --- Ids ------------------------------------------------------------------------------

_ID = re.compile(r"[A-Za-z0-9_-]+")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def mint_ids(iris: Iterable[str]) -> dict[str, str]:
    """Ids for resources of one kind: the IRI's last segment when it is ``[A-Za-z0-9_-]+``
    and unique, else that segment's allowed characters, ``-`` and 8 hex digits of SHA-256."""
    names = {iri: iri[max(iri.rfind("/"), iri.rfind("#")) + 1 :] for iri in iris}
    counts = Counter(names.values())
    return {
        iri: name if counts[name] == 1 and _ID.fullmatch(name) else _hashed(iri, name)
        for iri, name in names.items()
    }


def _hashed(iri: str, name: str) -> str:
    digest = hashlib.sha256(iri.encode()).hexdigest()[:8]
    clean = _NOT_ID.sub("", name)
    return f"{clean}-{digest}" if clean else digest


# --- The working state of one read ----------------------------------------------------


class Reading:
    """Resources by kind and their ids, concept fields gathered by field, and what later
    readers need from earlier ones (scheme memberships, languages, the concepts' order)."""

    def __init__(self, triples: Triples) -> None:
        self.triples = triples
        self.concepts = triples.instances(SKOS + "Concept")
        self.scheme_iris = triples.instances(SKOS + "ConceptScheme")
        self.collection_iris = triples.instances(SKOS + "Collection", SKOS + "OrderedCollection")
        self.ordered = triples.instances(SKOS + "OrderedCollection")
        triples.share(self.concepts | self.scheme_iris | self.collection_iris)
        self.ids = mint_ids(self.concepts)
        self.scheme_ids = mint_ids(self.scheme_iris)
        self.collection_ids = mint_ids(self.collection_iris)
        self.fields: dict[str, dict[str, tuple[Any, ...]]] = defaultdict(dict)
        self.reified: defaultdict[str, list[str]] = defaultdict(list)
        self.shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: Concept -> its scheme ids; scheme IRI -> its stated top concepts.
        self.schemes_of: dict[str, tuple[str, ...]] = {}
        self.stated_tops: dict[str, set[str]] = {}
        #: Scheme id -> its default language.
        self.languages: dict[str, str] = {}
        #: Concept IRIs by preferred label, then id; and each one's position there.
        self.ranked: list[str] = []
        self.rank: dict[str, int] = {}

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
        return self.languages[schemes[0]] if schemes else "en"

    def ordered_ids(self, iris: Sequence[str]) -> tuple[str, ...]:
        """Ids of the concepts among ``iris``, by preferred label then id, each once;
        equal tuples are shared (siblings share their broader tuple)."""
        if len(iris) == 1 or (len(iris) == 2 and iris[0] == iris[1]):
            return self.share((self.ids[iris[0]],)) if iris[0] in self.rank else ()
        found = sorted({i for i in iris if i in self.rank}, key=self.rank.__getitem__)
        return self.share(tuple(map(self.ids.__getitem__, found)))
