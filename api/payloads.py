"""The JSON wire contract: pydantic models (mirrored in ``openapi/openapi.yaml``) and the
functions that project read-model records onto them.

Field names are camelCase on the wire (``prefLabel``, ``scopeNotes``), as in SKOS. A text is
always ``{value, language}`` so that a client can tell when we fell back to another language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel
from starlette.requests import Request

from .languages import filter_language, pick
from .model import Collection, Concept, Distinction, LabelMatch, Scheme, Source, Text
from .negotiation import Format
from .state import Snapshot


@dataclass(frozen=True, slots=True)
class Languages:
    """The client's preferred language tags (best first) and the scheme's default."""

    preferred: tuple[str, ...]
    default: str

    def pick(self, texts: Sequence[Text]) -> LanguageText | None:
        chosen = pick(texts, self.preferred, self.default)
        return None if chosen is None else text(chosen)

    def filter(self, texts: Sequence[Text]) -> list[LanguageText]:
        return texts_of(filter_language(texts, self.preferred, self.default))


class Payload(BaseModel):
    """Base of every wire model: camelCase aliases, immutable."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class LanguageText(Payload):
    value: str
    language: str | None


class ConceptRef(Payload):
    id: str
    iri: str
    pref_label: LanguageText | None


class SchemeRef(Payload):
    id: str
    iri: str
    title: LanguageText | None


class CollectionRef(Payload):
    id: str
    iri: str
    label: LanguageText | None


class SourcePayload(Payload):
    iri: str | None
    citation: str | None


class DistinctionPayload(Payload):
    concept: ConceptRef
    direction: Literal["outgoing", "incoming"]
    reason: LanguageText | None
    statement: LanguageText | None


class Mappings(Payload):
    exact_match: list[str]
    close_match: list[str]
    broad_match: list[str]
    narrow_match: list[str]
    related_match: list[str]


class Alternate(Payload):
    format: str
    media_type: str
    href: str


class Links(Payload):
    self: str
    html: str | None
    alternates: list[Alternate]


class ConceptPayload(Payload):
    id: str
    iri: str
    scheme: SchemeRef | None
    schemes: list[SchemeRef]
    top_concept_of: list[str]
    pref_label: LanguageText | None
    pref_labels: list[LanguageText]
    alt_labels: list[LanguageText]
    hidden_labels: list[LanguageText]
    notation: str | None
    notations: list[str]
    definition: LanguageText | None
    definitions: list[LanguageText]
    scope_notes: list[LanguageText]
    examples: list[LanguageText]
    notes: list[LanguageText]
    history_notes: list[LanguageText]
    editorial_notes: list[LanguageText]
    change_notes: list[LanguageText]
    criteria: list[LanguageText]
    stances: list[LanguageText]
    roles: list[LanguageText]
    sources: list[SourcePayload]
    see_also: list[str]
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    broader_partitive: list[ConceptRef]
    narrower_partitive: list[ConceptRef]
    related: list[ConceptRef]
    collections: list[CollectionRef]
    distinctions: list[DistinctionPayload]
    mappings: Mappings
    links: Links


class SchemePayload(Payload):
    id: str
    iri: str
    title: LanguageText | None
    titles: list[LanguageText]
    description: LanguageText | None
    descriptions: list[LanguageText]
    version: str | None
    issued: str | None
    modified: str | None
    creators: list[str]
    publishers: list[str]
    sources: list[SourcePayload]
    rights: LanguageText | None
    license: str | None
    citation: LanguageText | None
    notes: list[LanguageText]
    default_language: str
    concept_count: int
    top_concepts: list[ConceptRef]
    links: Links


class CollectionPayload(Payload):
    id: str
    iri: str
    label: LanguageText | None
    labels: list[LanguageText]
    ordered: bool
    member_count: int
    members: list[ConceptRef]
    member_collections: list[CollectionRef]
    definition: LanguageText | None
    definitions: list[LanguageText]
    notes: list[LanguageText]
    schemes: list[SchemeRef]
    links: Links


class SchemeSummary(Payload):
    id: str
    iri: str
    title: LanguageText | None
    concept_count: int


class CollectionSummary(Payload):
    id: str
    iri: str
    label: LanguageText | None
    ordered: bool
    member_count: int


class SchemeList(Payload):
    items: list[SchemeSummary]


class CollectionList(Payload):
    items: list[CollectionSummary]


class TopConcepts(Payload):
    scheme: SchemeRef
    items: list[ConceptRef]


class ConceptPage(Payload):
    items: list[ConceptRef]
    total: int
    limit: int
    next: str | None


class Relations(Payload):
    concept: ConceptRef
    relation: Literal["broader", "narrower", "related"]
    transitive: bool
    truncated: bool
    items: list[ConceptRef]


class Hierarchy(Payload):
    concept: ConceptRef
    paths: list[list[ConceptRef]]


class Distinctions(Payload):
    concept: ConceptRef
    items: list[DistinctionPayload]


class LabelHit(Payload):
    concept: ConceptRef
    label: LanguageText
    label_type: Literal["prefLabel", "altLabel", "hiddenLabel"]
    field: str
    match: Literal["exact", "prefix", "word", "substring", "typo", "definition"]
    score: float


class LookupResult(Payload):
    label: str
    items: list[LabelHit]


class SearchResult(Payload):
    query: str
    limit: int
    items: list[LabelHit]


class Counts(Payload):
    schemes: int
    concepts: int
    collections: int
    triples: int


class Health(Payload):
    status: Literal["ok"]
    version: str
    digest: str
    counts: Counts
    files: list[str]
    loaded_at: str


# Projections -------------------------------------------------------------------------


def text(value: Text) -> LanguageText:
    return LanguageText(value=value.value, language=value.language)


def texts_of(values: Iterable[Text]) -> list[LanguageText]:
    return [text(value) for value in values]


def languages_for(
    snapshot: Snapshot, preferred: tuple[str, ...], schemes: Sequence[str]
) -> Languages:
    """The preference for a resource: the client's tags, then its first scheme's default."""
    index = snapshot.index
    for scheme_id in schemes:
        scheme = index.schemes.get(scheme_id)
        if scheme is not None:
            return Languages(preferred, scheme.default_language)
    return Languages(preferred, index.default_language)


def concept_ref(snapshot: Snapshot, concept_id: str, langs: Languages) -> ConceptRef:
    concept = snapshot.index.concepts[concept_id]
    return ConceptRef(id=concept.id, iri=concept.iri, pref_label=langs.pick(concept.pref_labels))


def concept_refs(snapshot: Snapshot, ids: Iterable[str], langs: Languages) -> list[ConceptRef]:
    known = snapshot.index.concepts
    return [concept_ref(snapshot, i, langs) for i in ids if i in known]


def scheme_ref(scheme: Scheme, langs: Languages) -> SchemeRef:
    return SchemeRef(id=scheme.id, iri=scheme.iri, title=langs.pick(scheme.titles))


def scheme_refs(snapshot: Snapshot, ids: Iterable[str], langs: Languages) -> list[SchemeRef]:
    schemes = snapshot.index.schemes
    return [scheme_ref(schemes[i], langs) for i in ids if i in schemes]


def collection_ref(collection: Collection, langs: Languages) -> CollectionRef:
    return CollectionRef(id=collection.id, iri=collection.iri, label=langs.pick(collection.labels))


def collection_refs(
    snapshot: Snapshot, ids: Iterable[str], langs: Languages
) -> list[CollectionRef]:
    known = snapshot.index.collections
    return [collection_ref(known[i], langs) for i in ids if i in known]


def source(value: Source) -> SourcePayload:
    return SourcePayload(iri=value.iri, citation=value.citation)


def distinction(snapshot: Snapshot, value: Distinction, langs: Languages) -> DistinctionPayload:
    return DistinctionPayload(
        concept=concept_ref(snapshot, value.other, langs),
        direction=value.direction,
        reason=langs.pick(value.reason),
        statement=langs.pick(value.statement),
    )


def links(request: Request, route: str, resource_id: str) -> Links:
    """``self``, the HTML page and every alternate format the registry offers."""
    # The registry is read from the request (not imported) to keep imports flowing one way.
    formats: Sequence[Format] = request.state.renderers.formats
    base = str(request.url_for(route, id=resource_id))
    alternates = [
        Alternate(format=f.name, media_type=f.media_type, href=f"{base}.{f.name}") for f in formats
    ]
    html = f"{base}.html" if any(f.name == "html" for f in formats) else None
    return Links(self=base, html=html, alternates=alternates)


def concept_payload(
    request: Request, snapshot: Snapshot, concept: Concept, langs: Languages
) -> ConceptPayload:
    """Everything the service knows about one concept, labels in the wanted language."""

    def refs(ids: Iterable[str]) -> list[ConceptRef]:
        return concept_refs(snapshot, ids, langs)

    schemes = scheme_refs(snapshot, concept.schemes, langs)
    return ConceptPayload(
        id=concept.id,
        iri=concept.iri,
        scheme=schemes[0] if schemes else None,
        schemes=schemes,
        top_concept_of=list(concept.top_concept_of),
        pref_label=langs.pick(concept.pref_labels),
        pref_labels=texts_of(concept.pref_labels),
        alt_labels=langs.filter(concept.alt_labels),
        hidden_labels=langs.filter(concept.hidden_labels),
        notation=concept.notations[0] if concept.notations else None,
        notations=list(concept.notations),
        definition=langs.pick(concept.definitions),
        definitions=texts_of(concept.definitions),
        scope_notes=langs.filter(concept.scope_notes),
        examples=langs.filter(concept.examples),
        notes=langs.filter(concept.notes),
        history_notes=langs.filter(concept.history_notes),
        editorial_notes=langs.filter(concept.editorial_notes),
        change_notes=langs.filter(concept.change_notes),
        criteria=langs.filter(concept.criteria),
        stances=langs.filter(concept.stances),
        roles=langs.filter(concept.roles),
        sources=[source(s) for s in concept.sources],
        see_also=list(concept.see_also),
        broader=refs(concept.broader),
        narrower=refs(concept.narrower),
        broader_partitive=refs(concept.broader_partitive),
        narrower_partitive=refs(concept.narrower_partitive),
        related=refs(concept.related),
        collections=collection_refs(snapshot, concept.collections, langs),
        distinctions=[distinction(snapshot, d, langs) for d in concept.distinctions],
        mappings=mappings(concept),
        links=links(request, "concept", concept.id),
    )


def mappings(concept: Concept) -> Mappings:
    return Mappings(
        exact_match=list(concept.exact_match),
        close_match=list(concept.close_match),
        broad_match=list(concept.broad_match),
        narrow_match=list(concept.narrow_match),
        related_match=list(concept.related_match),
    )


def scheme_payload(
    request: Request, snapshot: Snapshot, scheme: Scheme, langs: Languages
) -> SchemePayload:
    """A scheme's metadata and top concepts."""
    return SchemePayload(
        id=scheme.id,
        iri=scheme.iri,
        title=langs.pick(scheme.titles),
        titles=texts_of(scheme.titles),
        description=langs.pick(scheme.descriptions),
        descriptions=texts_of(scheme.descriptions),
        version=scheme.version,
        issued=scheme.issued,
        modified=scheme.modified,
        creators=list(scheme.creators),
        publishers=list(scheme.publishers),
        sources=[source(s) for s in scheme.sources],
        rights=langs.pick(scheme.rights),
        license=scheme.license,
        citation=langs.pick(scheme.citation),
        notes=langs.filter(scheme.notes),
        default_language=scheme.default_language,
        concept_count=len(snapshot.index.concept_ids(scheme=scheme.id)),
        top_concepts=concept_refs(snapshot, scheme.top_concepts, langs),
        links=links(request, "scheme", scheme.id),
    )


def collection_payload(
    request: Request, snapshot: Snapshot, collection: Collection, langs: Languages
) -> CollectionPayload:
    """A collection with its members, in list order when the collection is ordered."""
    return CollectionPayload(
        id=collection.id,
        iri=collection.iri,
        label=langs.pick(collection.labels),
        labels=texts_of(collection.labels),
        ordered=collection.ordered,
        member_count=len(collection.members),
        members=concept_refs(snapshot, collection.members, langs),
        member_collections=collection_refs(snapshot, collection.member_collections, langs),
        definition=langs.pick(collection.definitions),
        definitions=texts_of(collection.definitions),
        notes=langs.filter(collection.notes),
        schemes=scheme_refs(snapshot, collection.schemes, langs),
        links=links(request, "collection", collection.id),
    )


def scheme_summary(snapshot: Snapshot, scheme: Scheme, langs: Languages) -> SchemeSummary:
    count = len(snapshot.index.concept_ids(scheme=scheme.id))
    return SchemeSummary(
        id=scheme.id, iri=scheme.iri, title=langs.pick(scheme.titles), concept_count=count
    )


def collection_summary(collection: Collection, langs: Languages) -> CollectionSummary:
    return CollectionSummary(
        id=collection.id,
        iri=collection.iri,
        label=langs.pick(collection.labels),
        ordered=collection.ordered,
        member_count=len(collection.members),
    )


def label_hit(snapshot: Snapshot, match: LabelMatch, langs: Languages) -> LabelHit:
    return LabelHit(
        concept=concept_ref(snapshot, match.concept, langs),
        label=text(match.label),
        label_type=match.label_type,
        field=match.field,
        match=match.match,
        score=match.score,
    )
