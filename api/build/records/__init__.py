"""Reading the frozen records of the read model (concepts, schemes, collections) from triples.

Nothing is specific to one vocabulary. Relations come out in both directions whichever one
the data states, as ids sorted by the target's preferred label, so output is stable.
Large vocabularies are the design case (100,000 concepts, about 700,000 triples): the
store is read once per predicate, fields are gathered per field rather than per concept,
and equal tuples (a scheme list, siblings' broader list) are shared.

Modules: ``reader`` (``read_records``, running the readers in order over a shared
``reading.Reading``), the per-kind readers (``literals`` and ``relations`` for concept
fields, ``schemes``, ``collections``, ``concepts``), ``ids`` and ``properties``.
"""

from __future__ import annotations

from api.build.records.ids import mint_ids
from api.build.records.properties import (
    CONCEPT_HIERARCHIES,
    CONCEPT_MAPPINGS,
    CONCEPT_TEXTS,
)
from api.build.records.reader import Records, read_records

__all__ = [
    "CONCEPT_HIERARCHIES",
    "CONCEPT_MAPPINGS",
    "CONCEPT_TEXTS",
    "Records",
    "mint_ids",
    "read_records",
]
