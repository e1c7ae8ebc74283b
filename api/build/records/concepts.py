"""Concepts: their own fields (labels, definitions and notes, notations, sources,
``seeAlso``), their order (by preferred label, then id), their links to other concepts (in
both directions whichever one the data states: hierarchical and partitive,
``skos:related``, mappings, ``gloss:distinction``), and their records, assembled from the
fields gathered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from api.build.records.reading import (
    CITATIONS,
    CONCEPT_HIERARCHIES,
    CONCEPT_MAPPINGS,
    CONCEPT_REPLACEMENTS,
    CONCEPT_TEXTS,
    CONCEPT_XL_LABELS,
    DEPRECATED,
    LINKS,
    LITERAL_FORM,
    SOURCES,
    Reading,
)
from api.build.search import normalise
from api.build.triples import Objects, is_iri, lexical
from api.languages import pick
from api.model import Concept, Distinction, Source, Text
from api.namespaces import GLOSS, RDF, RDFS, SKOS

# --- Literal fields -------------------------------------------------------------------


def read_literals(reading: Reading) -> None:
    """Literal fields (with SKOS-XL labels, and ``rdfs:label`` when there is no preferred
    label), ``owl:deprecated``, notations, sources and ``rdfs:seeAlso`` of every concept."""
    for field, predicates in CONCEPT_TEXTS.items():
        for predicate in predicates:
            _read_field(reading, field, reading.triples.take(predicate))
    _read_xl_labels(reading)
    _read_fallback_labels(reading)
    _read_deprecated(reading)
    for iri, values in reading.concept_objects(SKOS + "notation"):
        reading.fields["notations"][iri] = tuple(sorted({lexical(v) for v in values}))
    for iri in {*reading.reified, *(s for p in SOURCES for s in reading.triples.get(p))}:
        if iri in reading.concepts:
            reading.put("sources", iri, _sources(reading, iri))
    for iri, values in reading.concept_objects(RDFS + "seeAlso"):
        reading.put("see_also", iri, tuple(sorted({v for v in values if is_iri(v)})))


def _read_field(reading: Reading, field: str, objects: Objects) -> None:
    """The texts of one field; a reified text (a node with ``rdf:value``) is remembered,
    for its sources."""
    found = reading.fields[field]
    for iri, values in objects.items():
        if iri in reading.concepts:
            if iri in found:
                values = [*found[iri], *values]
            found[iri] = reading.triples.literals(values)
            if len(found[iri]) != len(values) or not isinstance(values[0], Text):
                reading.reified[iri] += [v for v in values if isinstance(v, str)]


def _read_xl_labels(reading: Reading) -> None:
    """SKOS-XL labels: the ``literalForm`` of each label resource, which the text keeps as
    its ``resource`` (an IRI; ``None`` for a blank node). A plain label with the same
    literal and the XL one are one text, with the resource."""
    forms = reading.triples.take(LITERAL_FORM)
    for field, predicate in CONCEPT_XL_LABELS.items():
        found = reading.fields[field]
        for iri, labels in reading.concept_objects(predicate):
            texts = [
                Text(form.value, form.language, label if is_iri(label) else None)
                for label in labels
                if isinstance(label, str)
                for form in forms.get(label, ())
                if isinstance(form, Text)
            ]
            if texts:
                found[iri] = _merged(found.get(iri, ()), texts)


def _merged(plain: Sequence[Text], xl: Sequence[Text]) -> tuple[Text, ...]:
    """``plain`` and ``xl`` texts, one per literal (the XL one with the least IRI wins),
    sorted by language then text like every literal field."""
    best = {(text.value, text.language): text for text in plain}
    for text in sorted(xl, key=lambda t: t.resource or "\U0010ffff"):
        kept = best.get((text.value, text.language))
        if kept is None or kept.resource is None:
            best[text.value, text.language] = text
    return tuple(sorted(best.values(), key=lambda t: (t.language or "", t.value)))


def _read_fallback_labels(reading: Reading) -> None:
    """``rdfs:label`` as the preferred label of a concept with none (STW's deprecated
    descriptors have only that)."""
    found = reading.fields["pref_labels"]
    for iri, values in reading.concept_objects(RDFS + "label"):
        if iri not in found:
            reading.put("pref_labels", iri, reading.triples.literals(values))


def _read_deprecated(reading: Reading) -> None:
    """``owl:deprecated true`` (an ``xsd:boolean``, or the plain ``"true"`` / ``"1"``)."""
    for iri, values in reading.concept_objects(DEPRECATED):
        if any(lexical(value).strip().lower() in ("true", "1") for value in values):
            reading.deprecated.add(iri)


def _sources(reading: Reading, iri: str) -> tuple[Source, ...]:
    """The concept's ``dct:source`` and those of its reified notes and definitions."""
    values = reading.triples.values(iri, *SOURCES)
    for node in reading.reified.get(iri, ()):
        values += reading.triples.values(node, *SOURCES)
    return reading.triples.sources(values, CITATIONS, LINKS)


# --- Order ----------------------------------------------------------------------------


def rank_concepts(reading: Reading) -> list[str]:
    """Concept IRIs by preferred label (in its scheme's language), then id."""

    def key(iri: str) -> tuple[int, str, str, str]:
        labels = reading.fields["pref_labels"].get(iri, ())
        label = labels[0] if len(labels) == 1 else pick(labels, (), reading.language_of(iri))
        if label is None:
            return (1, "", "", reading.ids[iri])
        return (0, normalise(label.value), label.value, reading.ids[iri])

    return sorted(reading.concepts, key=key)


# --- Links between concepts -----------------------------------------------------------


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
    """Mapping and replacement IRIs: loaded concepts first (by label), then other IRIs
    alphabetically."""
    concepts = reading.concepts

    def order(iri: str) -> tuple[int, str]:
        return (0, f"{reading.rank[iri]:012d}") if iri in reading.rank else (1, iri)

    for field, (forward, inverse) in {**CONCEPT_MAPPINGS, **CONCEPT_REPLACEMENTS}.items():
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


# --- Records --------------------------------------------------------------------------


def read_concepts(reading: Reading) -> tuple[Concept, ...]:
    """Every concept, by rank, with the fields gathered for it (which are then let go)."""
    fields = [(name, values) for name, values in reading.fields.items() if values]
    concepts = tuple(_concept(reading, iri, fields) for iri in reading.ranked)
    reading.fields.clear()
    return concepts


def _concept(
    reading: Reading, iri: str, fields: list[tuple[str, dict[str, tuple[Any, ...]]]]
) -> Concept:
    found = {name: values[iri] for name, values in fields if iri in values}
    return Concept(
        id=reading.ids[iri],
        iri=iri,
        schemes=reading.schemes_of.get(iri, ()),
        pref_labels=found.pop("pref_labels", ()),
        deprecated=iri in reading.deprecated,
        **found,
    )
