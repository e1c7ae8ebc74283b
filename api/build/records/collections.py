"""Collections: members in list order for ordered ones, nested collections, their schemes;
and each concept's ``collections`` field."""

from __future__ import annotations

from collections import defaultdict

from api.build.records.reading import Reading
from api.build.search import normalise
from api.model import Collection
from api.namespaces import RDFS, SKOS


def read_collections(reading: Reading) -> tuple[Collection, ...]:
    """Collections by label then id; also records each concept's collections."""
    built = sorted((_collection(reading, iri) for iri in reading.collection_iris), key=_order)
    by_id = {reading.ids[iri]: iri for iri in reading.concepts}
    within: defaultdict[str, list[str]] = defaultdict(list)
    for collection in built:
        for member in collection.members:
            within[by_id[member]].append(collection.id)
    for concept, ids in within.items():
        reading.fields["collections"][concept] = reading.share(tuple(ids))
    return tuple(built)


def _collection(reading: Reading, iri: str) -> Collection:
    """A collection: an ordered one's list order first, then other members by label."""
    triples, ids, collection_ids = reading.triples, reading.ids, reading.collection_ids
    heads = triples.values(iri, SKOS + "memberList")
    listed = [m for head in heads if isinstance(head, str) for m in triples.walk(head)]
    stated = [m for m in triples.values(iri, SKOS + "member") if isinstance(m, str)]
    first = tuple(ids[m] for m in dict.fromkeys(listed) if m in reading.concepts)
    in_list = set(listed)
    rest = reading.ordered_ids([m for m in stated if m not in in_list])
    nested = [m for m in dict.fromkeys(listed + sorted(stated)) if m in collection_ids]
    schemes = {
        reading.scheme_ids[s]
        for s in triples.values(iri, SKOS + "inScheme")
        if s in reading.scheme_ids
    }
    schemes.update(s for m in listed + stated for s in reading.schemes_of.get(m, ()))
    texts = triples.texts
    return Collection(
        id=collection_ids[iri],
        iri=iri,
        labels=texts(iri, SKOS + "prefLabel") or texts(iri, RDFS + "label"),
        ordered=iri in reading.ordered or bool(heads),
        members=first + rest,
        definitions=texts(iri, SKOS + "definition"),
        notes=texts(iri, SKOS + "note", SKOS + "scopeNote", RDFS + "comment"),
        schemes=tuple(sorted(schemes)),
        member_collections=tuple(collection_ids[m] for m in nested),
    )


def _order(collection: Collection) -> tuple[str, str]:
    label = collection.labels[0].value if collection.labels else "\U0010ffff"
    return normalise(label), collection.id
