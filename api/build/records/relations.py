"""Links between concepts, in both directions whichever one the data states: hierarchical
and partitive, ``skos:related``, mappings, and ``gloss:distinction``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from api.build.records.properties import CONCEPT_HIERARCHIES, CONCEPT_MAPPINGS
from api.build.records.reading import Reading
from api.build.triples import Objects, is_iri
from api.model import Distinction, Text
from api.namespaces import GLOSS, RDF, RDFS, SKOS


def read_relations(reading: Reading) -> dict[str, list[str]]:
    """Hierarchical and partitive links both ways, and ``skos:related`` symmetrically;
    returns concept -> its broader concepts."""
    parents: dict[str, list[str]] = {}
    for (up_field, down_field), (up, down) in CONCEPT_HIERARCHIES.items():
        edges = _edges(reading, reading.triples.take(up), reading.triples.take(down))
        if up_field == "broader":
            parents = edges
        _set_ids(reading, up_field, edges)
        _set_ids(reading, down_field, _invert(edges, reading.ranked), ranked=True)
    related = reading.triples.take(SKOS + "related")
    _set_ids(reading, "related", _edges(reading, related, related))
    return parents


def _edges(reading: Reading, forward: Objects, inverse: Objects) -> dict[str, list[str]]:
    """Concept -> concepts it links to by ``forward`` or is the object of by ``inverse``
    (self links dropped; a link stated both ways appears twice)."""
    edges: defaultdict[str, list[str]] = defaultdict(list)
    concepts = reading.concepts
    for subject, objects in forward.items():
        if subject in concepts:
            edges[subject] += [o for o in objects if o in concepts and o != subject]
    for subject, objects in inverse.items():
        if subject in concepts:
            for target in (o for o in objects if o in concepts and o != subject):
                edges[target].append(subject)
    return edges


def _invert(edges: Mapping[str, Sequence[str]], order: Iterable[str]) -> dict[str, list[str]]:
    """Target -> sources of ``edges``, each list in ``order`` (repeats stay adjacent)."""
    inverted: defaultdict[str, list[str]] = defaultdict(list)
    for source in order:
        for target in edges.get(source, ()):
            inverted[target].append(source)
    return inverted


def _set_ids(
    reading: Reading, field: str, edges: Mapping[str, Sequence[str]], *, ranked: bool = False
) -> None:
    """Store ``edges`` as id tuples; ``ranked`` lists are already in rank order."""
    found, ids, share = reading.fields[field], reading.ids, reading.share
    for iri, targets in edges.items():
        if ranked:
            found[iri] = share(tuple(map(ids.__getitem__, dict.fromkeys(targets))))
        elif targets:
            found[iri] = reading.ordered_ids(targets)


def read_mappings(reading: Reading) -> None:
    """Mapping IRIs: loaded concepts first (by label), then other IRIs alphabetically."""
    concepts = reading.concepts

    def order(iri: str) -> tuple[int, str]:
        return (0, f"{reading.rank[iri]:012d}") if iri in reading.rank else (1, iri)

    for field, (forward, inverse) in CONCEPT_MAPPINGS.items():
        found: defaultdict[str, set[str]] = defaultdict(set)
        for subject, objects in reading.triples.get(forward).items():
            if subject in concepts:
                found[subject].update(o for o in objects if is_iri(o))
        for subject, objects in reading.triples.get(inverse).items():
            for target in (o for o in objects if o in concepts and is_iri(subject)):
                found[target].add(subject)
        for iri, targets in found.items():
            reading.put(field, iri, tuple(sorted(targets, key=order)))


def read_distinctions(reading: Reading) -> None:
    """``gloss:distinction`` nodes: ``outgoing`` on the owner, ``incoming`` on the target."""
    found: defaultdict[str, list[tuple[int, int, Distinction]]] = defaultdict(list)
    ids, rank = reading.ids, reading.rank
    for owner, nodes in reading.triples.take(GLOSS + "distinction").items():
        for node in (n for n in nodes if owner in reading.concepts and isinstance(n, str)):
            for target, reason, statement in _distinction(reading, node):
                out = Distinction(ids[target], reason, "outgoing", statement)
                back = Distinction(ids[owner], reason, "incoming", statement)
                found[owner].append((rank[target], 0, out))
                found[target].append((rank[owner], 1, back))
    for iri, items in found.items():
        reading.put("distinctions", iri, tuple(d for *_, d in sorted(items, key=_first_two)))


def _distinction(
    reading: Reading, node: str
) -> list[tuple[str, tuple[Text, ...], tuple[Text, ...]]]:
    """(target, reason, statement) of a distinction node, or of a bare target concept."""
    if node in reading.concepts:
        return [(node, (), ())]
    triples = reading.triples
    targets = triples.values(node, GLOSS + "distinctionTarget")
    reason = triples.texts(node, GLOSS + "reason")
    statement = triples.texts(node, RDF + "value", RDFS + "comment", SKOS + "note")
    found = sorted(t for t in targets if isinstance(t, str) and t in reading.concepts)
    return [(target, reason, statement) for target in found]


def _first_two(item: tuple[int, int, Distinction]) -> tuple[int, int]:
    return item[0], item[1]
