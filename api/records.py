"""Reading the frozen records of the read model (concepts, schemes, collections) from triples.

Nothing is specific to one vocabulary. Relations come out in both directions whichever one
the data states, as ids sorted by the target's preferred label, so output is stable.
Large vocabularies are the design case (100,000 concepts, about 700,000 triples): the
store is read once per predicate, fields are gathered per field rather than per concept,
and equal tuples (a scheme list, siblings' broader list) are shared.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from .languages import pick, tag_of
from .model import Collection, Concept, Distinction, Scheme, Source, Text
from .search import normalise
from .triples import Objects, Triples, Value, first_value, is_iri, lexical
from .vocabulary import DC, DCT, FOAF, GLOSS, ISO_THES, OWL, RDF, RDFS, SCHEMA, SKOS

_ID = re.compile(r"[A-Za-z0-9_-]+")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")
_NAMES = (FOAF + "name", SKOS + "prefLabel", RDFS + "label", DCT + "title")
_CITATIONS = (DCT + "bibliographicCitation", DCT + "title", RDFS + "label", FOAF + "name")
_LINKS = (SCHEMA + "url", FOAF + "page", FOAF + "homepage", RDFS + "seeAlso")
_SOURCES = (DCT + "source", DC + "source")

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


@dataclass(frozen=True, slots=True)
class Records:
    """Every concept (by preferred label, then id), scheme (by id) and collection (by label)."""

    concepts: tuple[Concept, ...]
    schemes: tuple[Scheme, ...]
    collections: tuple[Collection, ...]


def read_records(triples: Triples) -> Records:
    """The records of every SKOS concept, scheme and collection with an IRI in ``triples``."""
    return _Builder(triples).records()


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


def _invert(edges: Mapping[str, Sequence[str]], order: Iterable[str]) -> dict[str, list[str]]:
    """Target -> sources of ``edges``, each list in ``order`` (repeats stay adjacent)."""
    inverted: defaultdict[str, list[str]] = defaultdict(list)
    for source in order:
        for target in edges.get(source, ()):
            inverted[target].append(source)
    return inverted


class _Builder:
    """The build's working state: resources by kind, their ids, concept fields by field."""

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
        self._read_texts()
        self.schemes_of, self.stated_tops = self._memberships()
        self.languages = self._scheme_languages()
        self.ranked = sorted(self.concepts, key=self._sort_key)
        self.rank = {iri: position for position, iri in enumerate(self.ranked)}

    def _share(self, items: tuple[str, ...]) -> tuple[str, ...]:
        """One tuple object for equal tuples (most concepts share their scheme tuple)."""
        return self.shared.setdefault(items, items)

    # --- literals ------------------------------------------------------------------------

    def _read_texts(self) -> None:
        """Literal fields, notations, sources and ``rdfs:seeAlso`` of every concept."""
        for field, predicates in CONCEPT_TEXTS.items():
            for predicate in predicates:
                self._read_literals(field, self.triples.take(predicate))
        for iri, values in self._concept_objects(SKOS + "notation"):
            self.fields["notations"][iri] = tuple(sorted({lexical(v) for v in values}))
        for iri in {*self.reified, *(s for p in _SOURCES for s in self.triples.get(p))}:
            if iri in self.concepts:
                self._set("sources", iri, self._sources(iri))
        for iri, values in self._concept_objects(RDFS + "seeAlso"):
            self._set("see_also", iri, tuple(sorted({v for v in values if is_iri(v)})))

    def _read_literals(self, field: str, objects: Objects) -> None:
        found = self.fields[field]
        for iri, values in objects.items():
            if iri in self.concepts:
                if iri in found:
                    values = [*found[iri], *values]
                found[iri] = self.triples.literals(values)
                if len(found[iri]) != len(values) or not isinstance(values[0], Text):
                    self.reified[iri] += [v for v in values if isinstance(v, str)]

    def _concept_objects(self, predicate: str) -> Iterator[tuple[str, Sequence[Value]]]:
        return ((s, o) for s, o in self.triples.take(predicate).items() if s in self.concepts)

    def _set(self, field: str, iri: str, value: tuple[Any, ...]) -> None:
        if value:
            self.fields[field][iri] = value

    def _sources(self, iri: str) -> tuple[Source, ...]:
        """The concept's ``dct:source`` and those of its reified notes and definitions."""
        values = self.triples.values(iri, *_SOURCES)
        for node in self.reified.get(iri, ()):
            values += self.triples.values(node, *_SOURCES)
        return self.triples.sources(values, _CITATIONS, _LINKS)

    # --- schemes, languages and order ----------------------------------------------------

    def _memberships(self) -> tuple[dict[str, tuple[str, ...]], dict[str, set[str]]]:
        """Concept -> its scheme ids (``inScheme``, ``topConceptOf``, ``hasTopConcept``), and
        scheme IRI -> its stated top concepts."""
        member: dict[str, tuple[str, ...]] = {}
        tops: defaultdict[str, set[str]] = defaultdict(set)
        for concept, scheme in self._scheme_pairs(SKOS + "topConceptOf", SKOS + "hasTopConcept"):
            tops[scheme].add(concept)
            member[concept] = (*member.get(concept, ()), self.scheme_ids[scheme])
        for concept, scheme in self._scheme_pairs(SKOS + "inScheme", None):
            member[concept] = (*member.get(concept, ()), self.scheme_ids[scheme])
        share = self._share
        shared = {c: share(s if len(s) == 1 else tuple(sorted(set(s)))) for c, s in member.items()}
        return shared, dict(tops)

    def _scheme_pairs(self, forward: str, inverse: str | None) -> Iterator[tuple[str, str]]:
        """(concept, scheme) pairs stated as ``concept forward scheme`` or the inverse."""
        for concept, schemes in self.triples.take(forward).items():
            if concept in self.concepts:
                yield from ((concept, s) for s in schemes if s in self.scheme_iris)
        for scheme, concepts in self.triples.take(inverse).items() if inverse else ():
            if scheme in self.scheme_iris:
                yield from ((c, scheme) for c in concepts if c in self.concepts)

    def _scheme_languages(self) -> dict[str, str]:
        """Scheme id -> ``dct:language`` (the most used if several), else the commonest
        language of its concepts' preferred labels, else ``en``."""
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        labels = self.fields["pref_labels"]
        for concept, schemes in self.schemes_of.items():
            languages = [text.language for text in labels.get(concept, ()) if text.language]
            for scheme in schemes:
                counts[scheme].update(languages)
        return {
            self.scheme_ids[iri]: self._language(iri, counts[self.scheme_ids[iri]])
            for iri in self.scheme_iris
        }

    def _language(self, iri: str, counts: Counter[str]) -> str:
        values = self.triples.values(iri, DCT + "language", DC + "language")
        stated = sorted({tag for value in values if (tag := tag_of(lexical(value)))})
        if stated:
            return max(stated, key=lambda tag: counts[tag])
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[0][0] if ranked else "en"

    def language_of(self, iri: str) -> str:
        """A concept's default language: that of its first scheme (by id)."""
        schemes = self.schemes_of.get(iri)
        return self.languages[schemes[0]] if schemes else "en"

    def _sort_key(self, iri: str) -> tuple[int, str, str, str]:
        labels = self.fields["pref_labels"].get(iri, ())
        label = labels[0] if len(labels) == 1 else pick(labels, (), self.language_of(iri))
        if label is None:
            return (1, "", "", self.ids[iri])
        return (0, normalise(label.value), label.value, self.ids[iri])

    def _ordered_ids(self, iris: Sequence[str]) -> tuple[str, ...]:
        """Ids of the concepts among ``iris``, by preferred label then id, each once;
        equal tuples are shared (siblings share their broader tuple)."""
        if len(iris) == 1 or (len(iris) == 2 and iris[0] == iris[1]):
            return self._share((self.ids[iris[0]],)) if iris[0] in self.rank else ()
        found = sorted({i for i in iris if i in self.rank}, key=self.rank.__getitem__)
        return self._share(tuple(map(self.ids.__getitem__, found)))

    # --- relations -----------------------------------------------------------------------

    def _relations(self) -> None:
        """Hierarchical and partitive links both ways, and ``skos:related`` symmetrically."""
        for (up_field, down_field), (up, down) in CONCEPT_HIERARCHIES.items():
            edges = self._edges(self.triples.take(up), self.triples.take(down))
            if up_field == "broader":
                self.parents = edges
            self._set_ids(up_field, edges)
            self._set_ids(down_field, _invert(edges, self.ranked), ranked=True)
        related = self.triples.take(SKOS + "related")
        self._set_ids("related", self._edges(related, related))

    def _edges(self, forward: Objects, inverse: Objects) -> dict[str, list[str]]:
        """Concept -> concepts it links to by ``forward`` or is the object of by ``inverse``
        (self links dropped; a link stated both ways appears twice)."""
        edges: defaultdict[str, list[str]] = defaultdict(list)
        concepts = self.concepts
        for subject, objects in forward.items():
            if subject in concepts:
                edges[subject] += [o for o in objects if o in concepts and o != subject]
        for subject, objects in inverse.items():
            if subject in concepts:
                for target in (o for o in objects if o in concepts and o != subject):
                    edges[target].append(subject)
        return edges

    def _set_ids(
        self, field: str, edges: Mapping[str, Sequence[str]], *, ranked: bool = False
    ) -> None:
        """Store ``edges`` as id tuples; ``ranked`` lists are already in rank order."""
        found, ids, share = self.fields[field], self.ids, self._share
        for iri, targets in edges.items():
            if ranked:
                found[iri] = share(tuple(map(ids.__getitem__, dict.fromkeys(targets))))
            elif targets:
                found[iri] = self._ordered_ids(targets)

    def _mappings(self) -> None:
        """Mapping IRIs: loaded concepts first (by label), then other IRIs alphabetically."""
        for field, (forward, inverse) in CONCEPT_MAPPINGS.items():
            found: defaultdict[str, set[str]] = defaultdict(set)
            for subject, objects in self.triples.get(forward).items():
                if subject in self.concepts:
                    found[subject].update(o for o in objects if is_iri(o))
            for subject, objects in self.triples.get(inverse).items():
                for target in (o for o in objects if o in self.concepts and is_iri(subject)):
                    found[target].add(subject)
            for iri, targets in found.items():
                self._set(field, iri, tuple(sorted(targets, key=self._mapping_key)))

    def _mapping_key(self, iri: str) -> tuple[int, str]:
        return (0, f"{self.rank[iri]:012d}") if iri in self.rank else (1, iri)

    def _distinctions(self) -> None:
        """``gloss:distinction`` nodes: ``outgoing`` on the owner, ``incoming`` on the target."""
        found: defaultdict[str, list[tuple[int, int, Distinction]]] = defaultdict(list)
        for owner, nodes in self.triples.take(GLOSS + "distinction").items():
            for node in (n for n in nodes if owner in self.concepts and isinstance(n, str)):
                for target, reason, statement in self._distinction(node):
                    out = Distinction(self.ids[target], reason, "outgoing", statement)
                    back = Distinction(self.ids[owner], reason, "incoming", statement)
                    found[owner].append((self.rank[target], 0, out))
                    found[target].append((self.rank[owner], 1, back))
        for iri, items in found.items():
            self._set("distinctions", iri, tuple(d for *_, d in sorted(items, key=_first_two)))

    def _distinction(self, node: str) -> list[tuple[str, tuple[Text, ...], tuple[Text, ...]]]:
        """(target, reason, statement) of a distinction node, or of a bare target concept."""
        if node in self.concepts:
            return [(node, (), ())]
        targets = self.triples.values(node, GLOSS + "distinctionTarget")
        reason = self.triples.texts(node, GLOSS + "reason")
        statement = self.triples.texts(node, RDF + "value", RDFS + "comment", SKOS + "note")
        found = sorted(t for t in targets if isinstance(t, str) and t in self.concepts)
        return [(target, reason, statement) for target in found]

    def _tops(self) -> dict[str, tuple[str, ...]]:
        """Scheme id -> top concept ids: stated, else members with no broader in the scheme."""
        members: defaultdict[str, list[str]] = defaultdict(list)
        for concept, schemes in self.schemes_of.items():
            for scheme in schemes:
                members[scheme].append(concept)
        tops: dict[str, tuple[str, ...]] = {}
        of: defaultdict[str, list[str]] = defaultdict(list)
        for iri in self.scheme_iris:
            scheme = self.scheme_ids[iri]
            found = self.stated_tops.get(iri) or self._roots(scheme, members[scheme])
            tops[scheme] = self._ordered_ids(list(found))
            for concept in found:
                of[concept].append(scheme)
        for concept, top_of in of.items():
            self.fields["top_concept_of"][concept] = self._share(tuple(sorted(top_of)))
        return tops

    def _roots(self, scheme: str, members: Iterable[str]) -> list[str]:
        """Members of ``scheme`` with no broader concept in it."""
        parents = self.parents
        return [
            c
            for c in members
            if not any(scheme in self.schemes_of.get(p, ()) for p in parents.get(c, ()))
        ]

    # --- records -------------------------------------------------------------------------

    def records(self) -> Records:
        """Concepts by preferred label then id, schemes by id, collections by label then id."""
        self._relations()
        self._mappings()
        self._distinctions()
        tops = self._tops()
        collections = self._collections()
        schemes = [self._scheme(iri, tops[self.scheme_ids[iri]]) for iri in self.scheme_iris]
        return Records(self._concepts(), tuple(sorted(schemes, key=attrgetter("id"))), collections)

    def _concepts(self) -> tuple[Concept, ...]:
        """Every concept, by rank, with the fields gathered for it."""
        fields = [(name, values) for name, values in self.fields.items() if values]
        ranked = self.ranked
        concepts = tuple(self._concept(iri, fields) for iri in ranked)
        self.fields.clear()
        return concepts

    def _concept(self, iri: str, fields: list[tuple[str, dict[str, tuple[Any, ...]]]]) -> Concept:
        found = {name: values[iri] for name, values in fields if iri in values}
        return Concept(
            id=self.ids[iri],
            iri=iri,
            schemes=self.schemes_of.get(iri, ()),
            pref_labels=found.pop("pref_labels", ()),
            **found,
        )

    def _collections(self) -> tuple[Collection, ...]:
        """Collections by label then id; also records each concept's collections."""
        built = sorted(map(self._collection, self.collection_iris), key=_collection_key)
        by_id = {self.ids[iri]: iri for iri in self.concepts}
        within: defaultdict[str, list[str]] = defaultdict(list)
        for collection in built:
            for member in collection.members:
                within[by_id[member]].append(collection.id)
        for concept, ids in within.items():
            self.fields["collections"][concept] = self._share(tuple(ids))
        return tuple(built)

    def _collection(self, iri: str) -> Collection:
        """A collection: an ordered one's list order first, then other members by label."""
        heads = self.triples.values(iri, SKOS + "memberList")
        listed = [m for head in heads if isinstance(head, str) for m in self.triples.walk(head)]
        stated = [m for m in self.triples.values(iri, SKOS + "member") if isinstance(m, str)]
        first = tuple(self.ids[m] for m in dict.fromkeys(listed) if m in self.concepts)
        in_list = set(listed)
        rest = self._ordered_ids([m for m in stated if m not in in_list])
        nested = [m for m in dict.fromkeys(listed + sorted(stated)) if m in self.collection_ids]
        schemes = {
            self.scheme_ids[s]
            for s in self.triples.values(iri, SKOS + "inScheme")
            if s in self.scheme_ids
        }
        schemes.update(s for m in listed + stated for s in self.schemes_of.get(m, ()))
        texts = self.triples.texts
        return Collection(
            id=self.collection_ids[iri],
            iri=iri,
            labels=texts(iri, SKOS + "prefLabel") or texts(iri, RDFS + "label"),
            ordered=iri in self.ordered or bool(heads),
            members=first + rest,
            definitions=texts(iri, SKOS + "definition"),
            notes=texts(iri, SKOS + "note", SKOS + "scopeNote", RDFS + "comment"),
            schemes=tuple(sorted(schemes)),
            member_collections=tuple(self.collection_ids[m] for m in nested),
        )

    def _scheme(self, iri: str, tops: tuple[str, ...]) -> Scheme:
        """A scheme with its Dublin Core metadata."""
        get, texts, names = self.triples.values, self.triples.texts, self.triples.names
        return Scheme(
            id=self.scheme_ids[iri],
            iri=iri,
            titles=texts(iri, DCT + "title", SKOS + "prefLabel", RDFS + "label", DC + "title"),
            descriptions=texts(iri, DCT + "description", SKOS + "definition", DC + "description"),
            version=first_value(get(iri, OWL + "versionInfo")),
            issued=first_value(get(iri, DCT + "issued")),
            modified=first_value(get(iri, DCT + "modified")),
            creators=names(get(iri, DCT + "creator", DC + "creator"), _NAMES),
            publishers=names(get(iri, DCT + "publisher", DC + "publisher"), _NAMES),
            sources=self.triples.sources(get(iri, *_SOURCES), _CITATIONS, _LINKS),
            rights=self._plain_texts(get(iri, DCT + "rights", DC + "rights")),
            license=first_value(get(iri, DCT + "license")),
            citation=texts(iri, DCT + "bibliographicCitation"),
            notes=texts(iri, SKOS + "note", RDFS + "comment"),
            default_language=self.languages[self.scheme_ids[iri]],
            top_concepts=tops,
        )

    def _plain_texts(self, values: Iterable[Value]) -> tuple[Text, ...]:
        """Literals as they are; a resource as a text of its name, else of its IRI."""
        names = self.triples.names
        found = [v if isinstance(v, Text) else Text(n) for v in values for n in names([v], _NAMES)]
        return tuple(dict.fromkeys(found))


def _first_two(item: tuple[int, int, Distinction]) -> tuple[int, int]:
    return item[0], item[1]


def _collection_key(collection: Collection) -> tuple[str, str]:
    label = collection.labels[0].value if collection.labels else "\U0010ffff"
    return normalise(label), collection.id
