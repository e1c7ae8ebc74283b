"""Reading the frozen records of the read model (concepts, schemes, collections) from
triples: ``read_records`` runs the readers in the order each needs the last's results, over a
shared ``reading.Reading`` (which also holds the ids and the properties read); ``concepts``
reads concept fields, links and records, ``schemes`` schemes and collections. Nothing is
specific to one vocabulary; relations come out in both directions whichever one the data
states, as ids sorted by the target's preferred label, so output is stable. Large
vocabularies are the design case (100,000 concepts, about 700,000 triples): the store is
read once per predicate, fields are gathered per field rather than per concept, and equal
tuples are shared. May import ``api.model``, ``api.languages``, ``api.namespaces`` and other
``api.build`` modules; never Starlette, ``api.runtime``, ``api.http`` or a surface.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from api.build.records.concepts import (
    rank_concepts,
    read_concepts,
    read_distinctions,
    read_literals,
    read_mappings,
    read_relations,
)
from api.build.records.ids import QUALIFIER, local_name, mint_ids, namespace_key
from api.build.records.languages import read_languages
from api.build.records.reading import (
    CONCEPT_HIERARCHIES,
    CONCEPT_MAPPINGS,
    CONCEPT_TEXTS,
    Reading,
)
from api.build.records.schemes import (
    memberships,
    read_collections,
    read_scheme,
    top_concepts,
)
from api.build.triples import Triples
from api.model import Collection, Concept, Scheme

__all__ = [
    "CONCEPT_HIERARCHIES",
    "CONCEPT_MAPPINGS",
    "CONCEPT_TEXTS",
    "QUALIFIER",
    "DefaultLanguages",
    "Records",
    "local_name",
    "mint_ids",
    "namespace_key",
    "read_default_languages",
    "read_records",
]


@dataclass(frozen=True, slots=True)
class Records:
    """Every concept (by preferred label, then id), scheme (by id) and collection (by label);
    the index's default language; each bare concept id shared by concepts of several
    vocabularies -> their ids."""

    concepts: tuple[Concept, ...]
    schemes: tuple[Scheme, ...]
    collections: tuple[Collection, ...]
    default_language: str = "en"
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def read_records(
    triples: Triples, *, default_language: str = "", files: Sequence[Path] = ()
) -> Records:
    """The records of every SKOS concept, scheme and collection with an IRI in ``triples``.

    ``default_language``, when set, is every scheme's; ``files`` (those ``triples`` were
    loaded from) break ties between a vocabulary's languages (``languages`` module)."""
    reading = Reading(triples)
    read_literals(reading)
    memberships(reading)
    reading.name_concepts()
    read_languages(reading, default_language, files)
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
        read_concepts(reading),
        tuple(sorted(schemes, key=attrgetter("id"))),
        collections,
        reading.index_language,
        reading.ambiguous,
    )


@dataclass(frozen=True, slots=True)
class DefaultLanguages:
    """The languages labels are shown in when a request names none, as ``read_records``
    chooses them: the index's, and each scheme's and concept's (its first scheme's) by IRI."""

    index: str
    by_iri: Mapping[str, str] = field(default_factory=dict)

    def of(self, iri: str) -> str:
        """The language ``iri`` is named in: its own, else the index's."""
        return self.by_iri.get(iri, self.index)


def read_default_languages(
    triples: Triples, *, default_language: str = "", files: Sequence[Path] = ()
) -> DefaultLanguages:
    """The default languages ``read_records`` would choose (its first steps only), for
    ``glossary check`` to name terms as serving does."""
    reading = Reading(triples)
    read_literals(reading)
    memberships(reading)
    read_languages(reading, default_language, files)
    by_iri = {iri: reading.languages[scheme] for iri, scheme in reading.scheme_ids.items()}
    by_iri.update((c, reading.languages[s]) for c, s in reading.first_schemes.items())
    return DefaultLanguages(reading.index_language, by_iri)
