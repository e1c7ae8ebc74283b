"""Concepts: their order (by preferred label, then id) and their records, assembled from the
fields the other readers gathered."""

from __future__ import annotations

from typing import Any

from api.build.records.reading import Reading
from api.build.search import normalise
from api.languages import pick
from api.model import Concept


def rank_concepts(reading: Reading) -> list[str]:
    """Concept IRIs by preferred label (in its scheme's language), then id."""

    def key(iri: str) -> tuple[int, str, str, str]:
        labels = reading.fields["pref_labels"].get(iri, ())
        label = labels[0] if len(labels) == 1 else pick(labels, (), reading.language_of(iri))
        if label is None:
            return (1, "", "", reading.ids[iri])
        return (0, normalise(label.value), label.value, reading.ids[iri])

    return sorted(reading.concepts, key=key)


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
        **found,
    )
