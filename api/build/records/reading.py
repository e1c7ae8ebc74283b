"""``Reading``: the working state of one read, shared by the per-kind readers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from api.build.records.ids import mint_ids
from api.build.triples import Triples, Value
from api.namespaces import SKOS


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
