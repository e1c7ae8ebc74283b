"""``read_records``: the readers, in the order each needs the last's results."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from api.build.records.collections import read_collections
from api.build.records.concepts import rank_concepts, read_concepts
from api.build.records.literals import read_literals
from api.build.records.reading import Reading
from api.build.records.relations import read_distinctions, read_mappings, read_relations
from api.build.records.schemes import memberships, read_scheme, scheme_languages, top_concepts
from api.build.triples import Triples
from api.model import Collection, Concept, Scheme


@dataclass(frozen=True, slots=True)
class Records:
    """Every concept (by preferred label, then id), scheme (by id) and collection (by label)."""

    concepts: tuple[Concept, ...]
    schemes: tuple[Scheme, ...]
    collections: tuple[Collection, ...]


def read_records(triples: Triples) -> Records:
    """The records of every SKOS concept, scheme and collection with an IRI in ``triples``."""
    reading = Reading(triples)
    read_literals(reading)
    reading.schemes_of, reading.stated_tops = memberships(reading)
    reading.languages = scheme_languages(reading)
    reading.ranked = rank_concepts(reading)
    reading.rank = {iri: position for position, iri in enumerate(reading.ranked)}
    parents = read_relations(reading)
    read_mappings(reading)
    read_distinctions(reading)
    tops = top_concepts(reading, parents)
    collections = read_collections(reading)
    schemes = [
        read_scheme(reading, iri, tops[reading.scheme_ids[iri]]) for iri in reading.scheme_iris
    ]
    return Records(
        read_concepts(reading), tuple(sorted(schemes, key=attrgetter("id"))), collections
    )
