"""Concepts' own fields: labels, definitions and notes, notations, sources and ``seeAlso``."""

from __future__ import annotations

from api.build.records.properties import CITATIONS, CONCEPT_TEXTS, LINKS, SOURCES
from api.build.records.reading import Reading
from api.build.triples import Objects, is_iri, lexical
from api.model import Source, Text
from api.namespaces import RDFS, SKOS


def read_literals(reading: Reading) -> None:
    """Literal fields, notations, sources and ``rdfs:seeAlso`` of every concept."""
    for field, predicates in CONCEPT_TEXTS.items():
        for predicate in predicates:
            _read_field(reading, field, reading.triples.take(predicate))
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


def _sources(reading: Reading, iri: str) -> tuple[Source, ...]:
    """The concept's ``dct:source`` and those of its reified notes and definitions."""
    values = reading.triples.values(iri, *SOURCES)
    for node in reading.reified.get(iri, ()):
        values += reading.triples.values(node, *SOURCES)
    return reading.triples.sources(values, CITATIONS, LINKS)
