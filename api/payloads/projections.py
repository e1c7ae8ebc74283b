"""Records projected onto the wire models: texts in the client's languages, references to
other records (with sources, distinctions and search hits), and whole resources (a concept,
scheme or collection with everything known about it, their summaries in lists, and the
links to every representation of them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from starlette.requests import Request

from api.http.negotiation import Format
from api.languages import filter_language, pick
from api.model import Collection, Concept, Distinction, LabelMatch, Scheme, Source, Text
from api.payloads.models import (
    Alternate,
    CollectionPayload,
    CollectionRef,
    CollectionSummary,
    ConceptPayload,
    ConceptRef,
    DistinctionPayload,
    LabelHit,
    LanguageText,
    Links,
    Mappings,
    ReplacementRef,
    SchemePayload,
    SchemeRef,
    SchemeSummary,
    SourcePayload,
)
from api.runtime.snapshot import Snapshot

# Texts, and the client's languages -----------------------------------------------------


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


Record = TypeVar("Record")
Ref = TypeVar("Ref")


def concept_ref(snapshot: Snapshot, concept_id: str, langs: Languages) -> ConceptRef:
    return _concept_ref(snapshot.index.concepts[concept_id], langs)


def _concept_ref(concept: Concept, langs: Languages) -> ConceptRef:
    label = langs.pick(concept.pref_labels)
    return ConceptRef(
        id=concept.id, iri=concept.iri, pref_label=label, deprecated=concept.deprecated
    )


def concept_refs(snapshot: Snapshot, ids: Iterable[str], langs: Languages) -> list[ConceptRef]:
    return _refs(snapshot.index.concepts, ids, _concept_ref, langs)


def replacement_refs(
    snapshot: Snapshot, iris: Iterable[str], langs: Languages
) -> list[ReplacementRef]:
    """References to the concepts ``dct:isReplacedBy``/``dct:replaces`` name: by id and label
    when loaded here, by IRI alone when not."""
    refs = []
    for iri in iris:
        found = snapshot.index.concept_by_iri(iri)
        label = None if found is None else langs.pick(found.pref_labels)
        refs.append(
            ReplacementRef(id=None if found is None else found.id, iri=iri, pref_label=label)
        )
    return refs


def scheme_ref(scheme: Scheme, langs: Languages) -> SchemeRef:
    return SchemeRef(id=scheme.id, iri=scheme.iri, title=langs.pick(scheme.titles))


def scheme_refs(snapshot: Snapshot, ids: Iterable[str], langs: Languages) -> list[SchemeRef]:
    return _refs(snapshot.index.schemes, ids, scheme_ref, langs)


def collection_ref(collection: Collection, langs: Languages) -> CollectionRef:
    return CollectionRef(id=collection.id, iri=collection.iri, label=langs.pick(collection.labels))


def collection_refs(
    snapshot: Snapshot, ids: Iterable[str], langs: Languages
) -> list[CollectionRef]:
    return _refs(snapshot.index.collections, ids, collection_ref, langs)


def _refs(
    records: Mapping[str, Record],
    ids: Iterable[str],
    ref: Callable[[Record, Languages], Ref],
    langs: Languages,
) -> list[Ref]:
    """References to the records among ``ids``, in order; unknown ids are left out."""
    return [ref(records[i], langs) for i in ids if i in records]


def source(value: Source) -> SourcePayload:
    return SourcePayload(iri=value.iri, citation=value.citation)


def distinction(snapshot: Snapshot, value: Distinction, langs: Languages) -> DistinctionPayload:
    return DistinctionPayload(
        concept=concept_ref(snapshot, value.other, langs),
        direction=value.direction,
        reason=langs.pick(value.reason),
        statement=langs.pick(value.statement),
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
    """Everything the service knows about one concept, labels in the wanted language (long
    only because it names each of the wire model's fields once)."""

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
        deprecated=concept.deprecated,
        replaced_by=replacement_refs(snapshot, concept.replaced_by, langs),
        replaces=replacement_refs(snapshot, concept.replaces, langs),
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
        concept_count=_concept_count(snapshot, scheme),
        top_concepts=concept_refs(snapshot, current_ids(snapshot, scheme.top_concepts), langs),
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
    count = _concept_count(snapshot, scheme)
    return SchemeSummary(
        id=scheme.id, iri=scheme.iri, title=langs.pick(scheme.titles), concept_count=count
    )


def current_ids(snapshot: Snapshot, ids: Iterable[str]) -> list[str]:
    """``ids`` without the withdrawn (``owl:deprecated``) concepts, for lists people browse."""
    concepts = snapshot.index.concepts
    return [i for i in ids if i in concepts and not concepts[i].deprecated]


def _concept_count(snapshot: Snapshot, scheme: Scheme) -> int:
    return len(snapshot.index.concept_ids(scheme=scheme.id))


def collection_summary(collection: Collection, langs: Languages) -> CollectionSummary:
    return CollectionSummary(
        id=collection.id,
        iri=collection.iri,
        label=langs.pick(collection.labels),
        ordered=collection.ordered,
        member_count=len(collection.members),
    )
