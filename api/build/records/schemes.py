"""Concept schemes (which concepts each holds, its default language, its top concepts and
its Dublin Core metadata) and collections (members in list order for ordered ones, nested
collections, their schemes; and each concept's ``collections`` field)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from api.build.records.reading import (
    CITATIONS,
    HAS_TOP_CONCEPT,
    IN_SCHEME,
    LINKS,
    NAMES,
    SOURCES,
    TOP_CONCEPT_OF,
    Reading,
)
from api.build.search import normalise
from api.build.triples import Value, first_value
from api.model import Collection, Scheme, Text
from api.namespaces import DC, DCT, OWL, RDFS, SKOS

# --- Schemes --------------------------------------------------------------------------


def memberships(reading: Reading) -> None:
    """Each concept's schemes (``schemes_of``, ``first_schemes``) and each scheme's stated top
    concepts (``stated_tops``): from ``inScheme``, ``topConceptOf`` and ``hasTopConcept``, and,
    for a concept that states none of them, from the hierarchy below a scheme's top concepts."""
    member: defaultdict[str, set[str]] = defaultdict(set)
    tops: defaultdict[str, set[str]] = defaultdict(set)
    for concept, scheme in _scheme_pairs(reading, TOP_CONCEPT_OF, HAS_TOP_CONCEPT):
        tops[scheme].add(concept)
        member[concept].add(scheme)
    for concept, scheme in _scheme_pairs(reading, IN_SCHEME, None):
        member[concept].add(scheme)
    _inherit(reading, member, tops)
    ids, share = reading.scheme_ids, reading.share
    reading.schemes_of = {c: share(tuple(sorted(ids[s] for s in ss))) for c, ss in member.items()}
    reading.first_schemes = {c: ids[min(ss)] for c, ss in member.items()}
    reading.stated_tops = dict(tops)


def _scheme_pairs(reading: Reading, forward: str, inverse: str | None) -> Iterator[tuple[str, str]]:
    """(concept, scheme) pairs stated as ``concept forward scheme`` or the inverse."""
    concepts, schemes = reading.concepts, reading.scheme_iris
    for concept, objects in reading.triples.take(forward).items():
        if concept in concepts:
            yield from ((concept, s) for s in objects if s in schemes)
    for scheme, subjects in reading.triples.take(inverse).items() if inverse else ():
        if scheme in schemes:
            yield from ((c, scheme) for c in subjects if c in concepts)


def _inherit(
    reading: Reading, member: defaultdict[str, set[str]], tops: Mapping[str, set[str]]
) -> None:
    """Walk down (``narrower``, and ``broader`` read backwards) from each scheme's top
    concepts, through its members, putting concepts that state no scheme in it. A concept
    that states another scheme ends the walk; ``seen`` makes it end on cycles."""
    stated = set(member)
    if len(stated) == len(reading.concepts):
        return
    below = _children(reading)
    for scheme, starts in tops.items():
        seen, frontier = set(starts), list(starts)
        while frontier:
            concept = frontier.pop()
            for child in below.get(concept, ()):
                if child in seen or (child in stated and scheme not in member[child]):
                    continue
                seen.add(child)
                member[child].add(scheme)
                frontier.append(child)


def _children(reading: Reading) -> dict[str, list[str]]:
    """Concept -> its narrower concepts, stated either way (``get``: read once, kept for
    ``read_relations``)."""
    children: defaultdict[str, list[str]] = defaultdict(list)
    concepts, triples = reading.concepts, reading.triples
    for parent, objects in triples.get(SKOS + "narrower").items():
        if parent in concepts:
            children[parent] += [o for o in objects if o in concepts]
    for child, objects in triples.get(SKOS + "broader").items():
        if child in concepts:
            for parent in (o for o in objects if o in concepts):
                children[parent].append(child)
    return children


def top_concepts(
    reading: Reading, parents: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Scheme id -> top concept ids: stated, else members with no broader in the scheme
    (``parents``: concept -> its broader concepts); also each concept's ``top_concept_of``."""
    members: defaultdict[str, list[str]] = defaultdict(list)
    for concept, schemes in reading.schemes_of.items():
        for scheme in schemes:
            members[scheme].append(concept)
    tops: dict[str, tuple[str, ...]] = {}
    of: defaultdict[str, list[str]] = defaultdict(list)
    for iri in reading.scheme_iris:
        scheme = reading.scheme_ids[iri]
        found = reading.stated_tops.get(iri) or _roots(reading, parents, scheme, members[scheme])
        tops[scheme] = reading.ordered_ids(list(found))
        for concept in found:
            of[concept].append(scheme)
    for concept, top_of in of.items():
        reading.fields["top_concept_of"][concept] = reading.share(tuple(sorted(top_of)))
    return tops


def _roots(
    reading: Reading, parents: Mapping[str, Sequence[str]], scheme: str, members: Iterable[str]
) -> list[str]:
    """Members of ``scheme`` with no broader concept in it."""
    schemes_of = reading.schemes_of
    return [
        c for c in members if not any(scheme in schemes_of.get(p, ()) for p in parents.get(c, ()))
    ]


def read_scheme(reading: Reading, iri: str, tops: tuple[str, ...]) -> Scheme:
    """A scheme with its Dublin Core metadata."""
    triples = reading.triples
    get, texts, names = triples.values, triples.texts, triples.names
    return Scheme(
        id=reading.scheme_ids[iri],
        iri=iri,
        titles=texts(iri, DCT + "title", SKOS + "prefLabel", RDFS + "label", DC + "title"),
        descriptions=texts(iri, DCT + "description", SKOS + "definition", DC + "description"),
        version=first_value(get(iri, OWL + "versionInfo")),
        issued=first_value(get(iri, DCT + "issued")),
        modified=first_value(get(iri, DCT + "modified")),
        creators=names(get(iri, DCT + "creator", DC + "creator"), NAMES),
        publishers=names(get(iri, DCT + "publisher", DC + "publisher"), NAMES),
        sources=triples.sources(get(iri, *SOURCES), CITATIONS, LINKS),
        rights=_plain_texts(reading, get(iri, DCT + "rights", DC + "rights")),
        license=first_value(get(iri, DCT + "license")),
        citation=texts(iri, DCT + "bibliographicCitation"),
        notes=texts(iri, SKOS + "note", RDFS + "comment"),
        default_language=reading.languages[reading.scheme_ids[iri]],
        top_concepts=tops,
    )


def _plain_texts(reading: Reading, values: Iterable[Value]) -> tuple[Text, ...]:
    """Literals as they are; a resource as a text of its name, else of its IRI."""
    names = reading.triples.names
    found = [v if isinstance(v, Text) else Text(n) for v in values for n in names([v], NAMES)]
    return tuple(dict.fromkeys(found))


# --- Collections ----------------------------------------------------------------------


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
