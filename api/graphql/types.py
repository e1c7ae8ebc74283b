"""GraphQL types: thin projections of the read model's frozen records.

Each type keeps its record in a ``strawberry.Private`` field and resolves everything else
from that record and the index in the context. Relations are ids in the read model and
become objects here, one dictionary lookup each; nothing here reads RDF.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, TypeVar

import strawberry
from strawberry.relay import GlobalID

from api import model
from api.build import annotator as annotate
from api.build.index import Paths
from api.graphql import arguments
from api.graphql.arguments import InvalidArgumentError
from api.graphql.context import Info
from api.graphql.fields import (
    Direction,
    IncludeDeprecated,
    Label,
    Lang,
    MaxDepth,
    Source,
    Text,
    field,
    one_in_language,
    text_field,
    texts_field,
)
from api.payloads.listings import Listing, browse

T = TypeVar("T")
GLOBAL_ID = "The Relay global id, unique across types; `node(id:)` fetches the object by it."


def global_id(type_name: str, local_id: str) -> strawberry.ID:
    """The opaque Relay id of an object: base64 of ``Type:id``, as strawberry's relay does."""
    return strawberry.ID(str(GlobalID(type_name, local_id)))


def concept_list(info: Info, ids: Iterable[str]) -> list[Concept]:
    """The concepts with these ids, in this order; ids the index does not know are skipped."""
    found = (info.context.index.concept(concept_id) for concept_id in ids)
    return spent(info, [Concept.from_concept(record) for record in found if record is not None])


def collection_list(info: Info, ids: Iterable[str]) -> list[Collection]:
    found = (info.context.index.collection(collection_id) for collection_id in ids)
    return spent(info, [Collection.from_collection(r) for r in found if r is not None])


def scheme_list(info: Info, ids: Iterable[str]) -> list[Scheme]:
    found = (info.context.index.scheme(scheme_id) for scheme_id in ids)
    return spent(info, [Scheme.from_scheme(record) for record in found if record is not None])


def transitive_cap(info: Info) -> int:
    """Most concepts a transitive answer (a closure, or all paths together) holds."""
    return info.context.settings.max_transitive


def spent(info: Info, objects: list[T]) -> list[T]:
    """``objects``, once charged to this request's budget (a clear error when it runs out)."""
    info.context.budget.spend(len(objects))
    return objects


@strawberry.interface(description="An object that `node(id:)` can fetch again by its global id.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="The id in this object's REST URL; unique among objects of its type."
    )
    global_id: strawberry.ID = strawberry.field(description=GLOBAL_ID)


@strawberry.type(description='An "it\'s not X because ..." statement between two concepts.')
class Distinction:
    record: strawberry.Private[model.Distinction]
    schemes: strawberry.Private[tuple[str, ...]]

    @classmethod
    def from_distinction(cls, record: model.Distinction, owner: model.Concept) -> Distinction:
        return cls(record=record, schemes=owner.schemes)

    @field("The other concept of the statement.")
    def concept(self, info: Info) -> Concept:
        record = info.context.index.concept(self.record.other)
        assert record is not None  # Concept.distinctions keeps only known concepts
        return Concept.from_concept(record)

    @field("Why the two are not the same, verbatim.")
    def reason(self, info: Info, lang: Lang = None) -> str | None:
        return one_in_language(info, self.record.reason, lang, self.schemes)

    @field("The whole statement as the source words it, when it has one.")
    def statement(self, info: Info, lang: Lang = None) -> str | None:
        return one_in_language(info, self.record.statement, lang, self.schemes)

    @field("Whether this concept or the other is the one that is not.")
    def direction(self) -> Direction:
        return Direction(self.record.direction)


@strawberry.type(description="A SKOS concept and everything the vocabulary says about it.")
class Concept(Node):
    record: strawberry.Private[model.Concept]

    @classmethod
    def from_concept(cls, record: model.Concept) -> Concept:
        return cls(
            record=record, id=strawberry.ID(record.id), global_id=global_id("Concept", record.id)
        )

    @field("The concept's IRI.")
    def iri(self) -> str:
        return self.record.iri

    pref_label = text_field("pref_labels", "The preferred label (skos:prefLabel).")
    alt_labels = texts_field("alt_labels", "Alternative labels: synonyms, acronyms.")
    hidden_labels = texts_field("hidden_labels", "Hidden labels: misspellings found by search.")
    definition = text_field("definitions", "The definition (skos:definition).")
    scope_notes = texts_field("scope_notes", "Notes on what the concept covers.")
    examples = texts_field("examples", "Examples of the concept.")
    notes = texts_field("notes", "General notes (skos:note).")
    criteria = texts_field("criteria", 'How to recognise it: "How we know it\'s X".')
    stances = texts_field("stances", 'The organisation\'s "We ..." statements on the spectrum.')
    roles = texts_field("roles", "Who holds the knowledge, makes and acts on the decisions.")

    @field("The notation (a code), when the concept has one.")
    def notation(self) -> str | None:
        return self.record.notations[0] if self.record.notations else None

    @field(
        "Whether the concept is withdrawn (owl:deprecated): kept so that old links resolve, "
        "left out of lists unless asked for; `replacedBy` says what to use instead."
    )
    def deprecated(self) -> bool:
        return self.record.deprecated

    @field("What to use instead of this withdrawn concept (dct:isReplacedBy).")
    def replaced_by(self) -> list[ConceptLink]:
        return [ConceptLink(iri=iri) for iri in self.record.replaced_by]

    @field("The withdrawn concepts this one replaces (dct:replaces).")
    def replaces(self) -> list[ConceptLink]:
        return [ConceptLink(iri=iri) for iri in self.record.replaces]

    @field("Every lexical label in every language.")
    def labels(self) -> list[Label]:
        kinds: tuple[tuple[model.LabelType, tuple[model.Text, ...]], ...] = (
            ("prefLabel", self.record.pref_labels),
            ("altLabel", self.record.alt_labels),
            ("hiddenLabel", self.record.hidden_labels),
        )
        return [Label.from_text(text, kind) for kind, texts in kinds for text in texts]

    @field("Where the definition and notes come from.")
    def sources(self) -> list[Source]:
        return [Source.from_source(source) for source in self.record.sources]

    @field("Broader concepts (skos:broader), one level up.")
    def broader(self, info: Info) -> list[Concept]:
        return concept_list(info, self.record.broader)

    @field(
        "Narrower concepts (skos:narrower), one level down, in the read model's order; "
        "with `orderedBy`, in the order of that ordered collection (e.g. a spectrum)."
    )
    def narrower(
        self,
        info: Info,
        ordered_by: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="An ordered collection's id: members come in its order, then the rest."
            ),
        ] = None,
    ) -> list[Concept]:
        ids = self.record.narrower
        if ordered_by is not None:
            ids = in_collection_order(info, ids, ordered_by)
        return concept_list(info, ids)

    @field("Related concepts (skos:related).")
    def related(self, info: Info) -> list[Concept]:
        return concept_list(info, self.record.related)

    @field("Concepts this one is a part of (iso-thes:broaderPartitive).")
    def broader_partitive(self, info: Info) -> list[Concept]:
        return concept_list(info, self.record.broader_partitive)

    @field("The parts of this concept (iso-thes:narrowerPartitive).")
    def narrower_partitive(self, info: Info) -> list[Concept]:
        return concept_list(info, self.record.narrower_partitive)

    @field("Every broader concept up to `maxDepth` levels, nearest first; capped in length.")
    def broader_transitive(self, info: Info, max_depth: MaxDepth = None) -> list[Concept]:
        return concept_list(info, self._above(info, max_depth)[: transitive_cap(info)])

    @field(
        "Whether `broaderTransitive` with the same `maxDepth` was cut at the server's cap "
        "(the `max_transitive` setting) and more broader concepts exist."
    )
    def broader_transitive_truncated(self, info: Info, max_depth: MaxDepth = None) -> bool:
        return len(self._above(info, max_depth)) > transitive_cap(info)

    @field("Every narrower concept down `maxDepth` levels, nearest first; capped in length.")
    def narrower_transitive(self, info: Info, max_depth: MaxDepth = None) -> list[Concept]:
        return concept_list(info, self._below(info, max_depth)[: transitive_cap(info)])

    @field(
        "Whether `narrowerTransitive` with the same `maxDepth` was cut at the server's cap "
        "(the `max_transitive` setting) and more narrower concepts exist."
    )
    def narrower_transitive_truncated(self, info: Info, max_depth: MaxDepth = None) -> bool:
        return len(self._below(info, max_depth)) > transitive_cap(info)

    @field(
        "Every path from a top concept down to this one, with at most the server's cap (the "
        "`max_transitive` setting) of concepts on all paths together; a path longer than "
        "what is left keeps the concepts nearest this one (`hierarchyTruncated` says so)."
    )
    def hierarchy(self, info: Info) -> list[list[Concept]]:
        return [concept_list(info, path) for path in self._paths(info).paths]

    @field("Whether `hierarchy` left out paths, or cut one short of its top, to stay in the cap.")
    def hierarchy_truncated(self, info: Info) -> bool:
        return self._paths(info).cut

    def _above(self, info: Info, max_depth: int | None) -> tuple[str, ...]:
        # One more than the cap, so that the *Truncated fields can tell there are more.
        depth, limit = arguments.depth(max_depth), transitive_cap(info) + 1
        return info.context.index.broader_transitive(self.record.id, depth, limit)

    def _below(self, info: Info, max_depth: int | None) -> tuple[str, ...]:
        depth, limit = arguments.depth(max_depth), transitive_cap(info) + 1
        return info.context.index.narrower_transitive(self.record.id, depth, limit)

    def _paths(self, info: Info) -> Paths:
        return info.context.index.hierarchy(self.record.id, max_concepts=transitive_cap(info))

    @field("The collections this concept is a member of.")
    def collections(self, info: Info) -> list[Collection]:
        return collection_list(info, self.record.collections)

    @field("The concept scheme this concept belongs to (the first one).")
    def scheme(self, info: Info) -> Scheme | None:
        found = scheme_list(info, self.record.schemes[:1])
        return found[0] if found else None

    @field("Every concept scheme this concept belongs to.")
    def schemes(self, info: Info) -> list[Scheme]:
        return scheme_list(info, self.record.schemes)

    @field('"It\'s not X because ..." statements, both directions.')
    def distinctions(self, info: Info) -> list[Distinction]:
        index = info.context.index
        known = (d for d in self.record.distinctions if index.concept(d.other) is not None)
        return [Distinction.from_distinction(d, self.record) for d in known]


@strawberry.type(description="A concept named by its IRI, which may be loaded here or not.")
class ConceptLink:
    iri: str = strawberry.field(description="The concept's IRI.")

    @field("The concept, when it is loaded here; null when only its IRI is known.")
    def concept(self, info: Info) -> Concept | None:
        record = info.context.index.concept_by_iri(self.iri)
        return None if record is None else spent(info, [Concept.from_concept(record)])[0]


def in_collection_order(info: Info, ids: Sequence[str], collection_id: str) -> tuple[str, ...]:
    """``ids`` sorted by position in an ordered collection; ids outside it keep their order."""
    collection = info.context.index.collection(collection_id)
    if collection is None:
        raise InvalidArgumentError("orderedBy", f"names no collection: '{collection_id[:100]}'")
    position = {member: rank for rank, member in enumerate(collection.members)}
    return tuple(sorted(ids, key=lambda i: position.get(i, len(position))))


@strawberry.type(description="A SKOS concept scheme: a vocabulary, with its metadata.")
class Scheme(Node):
    record: strawberry.Private[model.Scheme]

    @classmethod
    def from_scheme(cls, record: model.Scheme) -> Scheme:
        return cls(
            record=record, id=strawberry.ID(record.id), global_id=global_id("Scheme", record.id)
        )

    @field("The scheme's IRI.")
    def iri(self) -> str:
        return self.record.iri

    title = text_field("titles", "The title (dct:title).")
    description = text_field("descriptions", "What the scheme is (dct:description).")
    rights = text_field("rights", "The rights statement (dct:rights).")
    citation = text_field("citation", "How to cite it (dct:bibliographicCitation).")
    notes = texts_field("notes", "General notes (skos:note).")

    @field("Every title in every language.")
    def titles(self) -> list[Text]:
        return [Text.from_text(text) for text in self.record.titles]

    @field("The version (owl:versionInfo).")
    def version(self) -> str | None:
        return self.record.version

    @field("When it was first issued (dct:issued).")
    def issued(self) -> str | None:
        return self.record.issued

    @field("When it was last modified (dct:modified).")
    def modified(self) -> str | None:
        return self.record.modified

    @field("Its creators, by name or IRI.")
    def creators(self) -> list[str]:
        return list(self.record.creators)

    @field("Its publishers, by name or IRI.")
    def publishers(self) -> list[str]:
        return list(self.record.publishers)

    @field("The licence IRI (dct:license).")
    def license(self) -> str | None:
        return self.record.license

    @field("Where the vocabulary comes from.")
    def sources(self) -> list[Source]:
        return [Source.from_source(source) for source in self.record.sources]

    @field("The language texts fall back to when none is asked for.")
    def default_language(self) -> str:
        return self.record.default_language

    @field(
        "The top concepts of the hierarchy (skos:hasTopConcept), withdrawn ones only with "
        "`includeDeprecated`."
    )
    def top_concepts(
        self, info: Info, include_deprecated: IncludeDeprecated = False
    ) -> list[Concept]:
        listing = Listing(include_deprecated=include_deprecated)
        return concept_list(
            info, browse(info.context.serving).top_concepts(self.record.id, listing)
        )

    @field("How many concepts the scheme has.")
    def concept_count(self, info: Info) -> int:
        return len(info.context.index.concept_ids(scheme=self.record.id))


@strawberry.type(description="A SKOS collection: a labelled, possibly ordered group of concepts.")
class Collection(Node):
    record: strawberry.Private[model.Collection]

    @classmethod
    def from_collection(cls, record: model.Collection) -> Collection:
        return cls(
            record=record, id=strawberry.ID(record.id), global_id=global_id("Collection", record.id)
        )

    @field("The collection's IRI.")
    def iri(self) -> str:
        return self.record.iri

    label = text_field("labels", "The collection's label.")
    definition = text_field("definitions", "What the collection groups (skos:definition).")
    notes = texts_field("notes", "General notes (skos:note).")

    @field("Whether members have an order (skos:OrderedCollection).")
    def ordered(self) -> bool:
        return self.record.ordered

    @field("The member concepts, in the collection's order when ordered.")
    def members(self, info: Info) -> list[Concept]:
        return concept_list(info, self.record.members)

    @field("Member collections (a collection may nest others).")
    def subcollections(self, info: Info) -> list[Collection]:
        return collection_list(info, self.record.member_collections)

    @field("The concept schemes the collection belongs to.")
    def schemes(self, info: Info) -> list[Scheme]:
        return scheme_list(info, self.record.schemes)


@strawberry.type(description="One label of one concept that a lookup or search matched.")
class LabelMatch:
    record: strawberry.Private[model.LabelMatch]

    @classmethod
    def from_match(cls, record: model.LabelMatch) -> LabelMatch:
        return cls(record=record)

    @field("The concept the label belongs to.")
    def concept(self, info: Info) -> Concept | None:
        found = concept_list(info, (self.record.concept,))
        return found[0] if found else None

    @field("The label that matched.")
    def label(self) -> Label:
        return Label.from_text(self.record.label, self.record.label_type)

    @field("The field that matched: a label type, `definition` or `notation`.", name="field")
    def matched_field(self) -> str:
        return self.record.field

    @field("How it matched: notation, exact, prefix, word, substring, typo, definition.")
    def match(self) -> str:
        return self.record.match

    @field("How well it matched, from 0 to 1; results come best first.")
    def score(self) -> float:
        return self.record.score


@strawberry.type(description="A concept label found in a text: `text[start:end]` spells it.")
class Occurrence:
    record: strawberry.Private[annotate.Occurrence]

    @classmethod
    def from_occurrence(cls, record: annotate.Occurrence) -> Occurrence:
        return cls(record=record)

    @field("Where it starts, in code points (Unicode characters) from the text's start.")
    def start(self) -> int:
        return self.record.start

    @field("Where it ends (exclusive), in code points.")
    def end(self) -> int:
        return self.record.end

    @field("The words as they appear in the text.")
    def text(self) -> str:
        return self.record.text

    @field("The concept whose label this is.")
    def concept(self, info: Info) -> Concept | None:
        found = concept_list(info, (self.record.concept,))
        return found[0] if found else None

    @field("The label that matched, as the vocabulary has it.")
    def label(self) -> Label:
        return Label.from_text(self.record.label, self.record.label_type)


@strawberry.type(description="What distinguishes two concepts, in both directions.")
class Comparison:
    a: Concept = strawberry.field(description="The first concept asked about.")
    b: Concept = strawberry.field(description="The second concept asked about.")
    distinctions: list[Distinction] = strawberry.field(
        description=(
            "The statements between the two, seen from `a`: OUTGOING means a is not b, "
            "INCOMING means b is not a."
        )
    )
