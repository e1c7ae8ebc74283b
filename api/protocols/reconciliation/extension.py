"""Data extension (reconciliation 0.2 §7): the properties a client may fetch for reconciled
concepts, and their values. Pure: ids and languages in, JSON-ready dicts out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from api.build.index import Index
from api.http.errors import InvalidParameter
from api.languages import pick
from api.model import Concept
from api.protocols.reconciliation.batch import CONCEPT_TYPE

Value = dict[str, str]


@dataclass(frozen=True, slots=True)
class Property:
    """A property offered for extension: its id, name, description and how to read it."""

    id: str
    name: str
    description: str
    values: Callable[[Index, Concept, Sequence[str]], list[Value]]
    #: Whether the values are concepts of this service (``{id, name}``), not strings.
    entities: bool = False


def _definition(index: Index, concept: Concept, langs: Sequence[str]) -> list[Value]:
    found = pick(concept.definitions, langs, index.language(concept))
    return [] if found is None else [{"str": found.value}]


def _broader(index: Index, concept: Concept, langs: Sequence[str]) -> list[Value]:
    return [
        {"id": other, "name": index.label(other, langs).value}
        for other in concept.broader
        if other in index.concepts
    ]


def _scheme(index: Index, concept: Concept, langs: Sequence[str]) -> list[Value]:
    found = []
    for scheme_id in concept.schemes:
        scheme = index.schemes.get(scheme_id)
        if scheme is not None:
            title = pick(scheme.titles, langs, scheme.default_language)
            found.append({"str": title.value if title else scheme.iri})
    return found


#: Every property offered, in the order they are proposed.
PROPERTIES: dict[str, Property] = {
    p.id: p
    for p in (
        Property("definition", "definition", "skos:definition, in the best language", _definition),
        Property(
            "broader", "broader concept", "skos:broader, as reconciled concepts", _broader, True
        ),
        Property("scheme", "concept scheme", "the title of each skos:inScheme", _scheme),
    )
}


def meta_of(offered: Property) -> dict[str, Any]:
    """A column's ``meta``: entity-valued ones say their type, so the client reconciles them."""
    found: dict[str, Any] = {"id": offered.id, "name": offered.name}
    if offered.entities:
        found["type"] = {"id": CONCEPT_TYPE, "name": "Concept"}
    return found


def proposed(type_id: str, limit: int) -> dict[str, Any]:
    """The propose-properties answer for ``type_id`` (every type has the same properties)."""
    offered = [
        {"id": p.id, "name": p.name, "description": p.description} for p in PROPERTIES.values()
    ]
    return {"type": type_id, "limit": limit, "properties": offered[:limit]}


def property_ids(value: object, name: str) -> list[str]:
    """The ``properties`` of an extension request: ``[{"id": ...}, ...]`` of offered ids."""
    if not isinstance(value, list) or not value:
        raise InvalidParameter(name, "must be a non-empty list of {id} objects")
    found = []
    for i, item in enumerate(value):
        pid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(pid, str) or pid not in PROPERTIES:
            offered = ", ".join(PROPERTIES)
            raise InvalidParameter(f"{name}[{i}]", f"must be {{id}} with an id among {offered}")
        found.append(pid)
    return list(dict.fromkeys(found))


def extended(
    index: Index, ids: Sequence[str], properties: Sequence[str], langs: Sequence[str]
) -> dict[str, Any]:
    """The extension answer: ``meta`` for each property, a row of values for each id (an
    unknown id gets empty values, as the specification asks)."""
    meta = [meta_of(PROPERTIES[pid]) for pid in properties]
    rows: dict[str, dict[str, list[Value]]] = {}
    for entity in ids:
        concept = index.concept(entity) or index.concept_by_iri(entity)
        rows[entity] = {
            pid: [] if concept is None else PROPERTIES[pid].values(index, concept, langs)
            for pid in properties
        }
    return {"meta": meta, "rows": rows}
