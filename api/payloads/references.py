"""References to other records (a concept, scheme or collection by id, IRI and label), and
the small projections made of them: sources, distinctions, search hits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from api.model import Collection, Concept, Distinction, LabelMatch, Scheme, Source
from api.payloads.models import (
    CollectionRef,
    ConceptRef,
    DistinctionPayload,
    LabelHit,
    SchemeRef,
    SourcePayload,
)
from api.payloads.texts import Languages, text
from api.runtime.snapshot import Snapshot

Record = TypeVar("Record")
Ref = TypeVar("Ref")


def concept_ref(snapshot: Snapshot, concept_id: str, langs: Languages) -> ConceptRef:
    return _concept_ref(snapshot.index.concepts[concept_id], langs)


def _concept_ref(concept: Concept, langs: Languages) -> ConceptRef:
    return ConceptRef(id=concept.id, iri=concept.iri, pref_label=langs.pick(concept.pref_labels))


def concept_refs(snapshot: Snapshot, ids: Iterable[str], langs: Languages) -> list[ConceptRef]:
    return _refs(snapshot.index.concepts, ids, _concept_ref, langs)


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
