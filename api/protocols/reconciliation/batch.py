"""Reconciliation query batches read strictly: the 0.2 form (an object of queries keyed by the
client's ids) and the 1.0 draft's (``{"queries": [...]}``), each query checked against the
specification's query schema. Every unusable value is a 400 naming it; a batch over the
``reconcile_max_queries`` setting is a 413.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from api.build.index import Index
from api.http.errors import InvalidParameter, PayloadTooLarge
from api.http.parameters import clean_text, has_surrogates
from api.namespaces import SKOS
from api.protocols.reconciliation.matching import QUERY_PROPERTIES, PropertyValue, Query
from api.settings import Settings

#: The type every candidate has: a query for it is not limited to a scheme.
CONCEPT_TYPE = SKOS + "Concept"
#: Candidates per query when the query does not say (OpenRefine shows a few).
DEFAULT_LIMIT = 5
_QUERY_FIELDS = frozenset(("query", "type", "limit", "properties", "type_strict", "lang"))
_TYPE_STRICT = frozenset(("any", "should", "all"))
#: Longest property value compared, in characters (as long as an IRI may be).
_MAX_VALUE = 2000


def parse_json(source: str, name: str) -> Any:
    """``source`` parsed as JSON, or a 400 naming the parameter it came in."""
    try:
        return json.loads(source)
    except (ValueError, RecursionError) as error:
        raise InvalidParameter(name, f"is not valid JSON: {str(error)[:200]}") from None


def keyed_batch(
    batch: object, index: Index, settings: Settings, name: str = "queries"
) -> dict[str, Query]:
    """The 0.2 batch: ``{"q0": {"query": ...}, ...}``, keys kept as the client sent them."""
    if not isinstance(batch, dict) or not batch:
        raise InvalidParameter(name, "must be a non-empty JSON object of queries")
    _within(len(batch), settings)
    _echoable(batch, name, "keys")
    return {
        str(key): query(value, index, settings, f"{name}.{key}") for key, value in batch.items()
    }


def listed_batch(batch: object, index: Index, settings: Settings) -> list[Query]:
    """The 1.0 draft's batch: ``{"queries": [{"query": ...}, ...]}``, answered in order."""
    fields = batch if isinstance(batch, dict) else {}
    listed = fields.get("queries")
    if not isinstance(listed, list) or not listed or set(fields) != {"queries"}:
        raise InvalidParameter("queries", "must be a non-empty list of queries")
    _within(len(listed), settings)
    return [query(value, index, settings, f"queries[{i}]") for i, value in enumerate(listed)]


def _within(count: int, settings: Settings) -> None:
    cap = settings.reconcile_max_queries
    if count > cap:
        raise PayloadTooLarge(f"A batch may hold at most {cap} queries; send several.")


def single(source: str, index: Index, settings: Settings) -> Query:
    """The 0.1 ``query=`` parameter: a JSON query object, or the text itself."""
    stripped = source.strip()
    if stripped.startswith("{"):
        return query(parse_json(stripped, "query"), index, settings, "query")
    return query({"query": source}, index, settings, "query")


def query(fields: object, index: Index, settings: Settings, name: str) -> Query:
    """One query object, checked field by field."""
    if not isinstance(fields, dict):
        raise InvalidParameter(name, "must be a JSON object with a 'query' string")
    if not fields.keys() <= _QUERY_FIELDS:
        unknown = ", ".join(sorted(set(fields) - _QUERY_FIELDS))
        raise InvalidParameter(name, f"has unknown field(s): {unknown[:200]}")
    given = fields.get("properties")
    properties = () if given is None else _properties(given, f"{name}.properties")
    raw_text = fields.get("query")
    if raw_text is None and not properties:
        raise InvalidParameter(name, "needs a 'query' string (or 'properties')")
    if fields.get("type_strict", "any") not in _TYPE_STRICT:
        raise InvalidParameter(f"{name}.type_strict", "must be any, should or all")
    if not isinstance(fields.get("lang", ""), str):
        raise InvalidParameter(f"{name}.lang", "must be a string")
    return Query(
        text="" if raw_text is None else _text(raw_text, f"{name}.query"),
        schemes=types(fields.get("type"), index, f"{name}.type"),
        limit=_limit(fields.get("limit"), settings, f"{name}.limit"),
        properties=properties,
    )


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidParameter(name, "must be a string")
    try:
        return clean_text(value)
    except ValueError as error:
        raise InvalidParameter(name, str(error)) from None


def _limit(value: object, settings: Settings, name: str) -> int:
    cap = settings.reconcile_max_candidates
    if value is None:
        return min(DEFAULT_LIMIT, cap)
    # The schema says "number": 5.0 is five, 5.5 and true are not.
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InvalidParameter(name, f"must be a whole number from 1 to {cap}")
    if not 1 <= value <= cap:
        raise InvalidParameter(name, f"must be a whole number from 1 to {cap}")
    return int(value)


def types(value: object, index: Index, name: str) -> tuple[str, ...]:
    """Scheme ids for a ``type``: a scheme's IRI or id, or ``skos:Concept`` (any scheme)."""
    if value is None:
        return ()
    given = [value] if isinstance(value, str) else value
    if not isinstance(given, list) or not all(isinstance(item, str) for item in given):
        raise InvalidParameter(name, "must be a type id or a list of them")
    schemes = [scheme_of_type(item, index, name) for item in given]
    return () if None in schemes else tuple(dict.fromkeys(s for s in schemes if s))


def scheme_of_type(type_id: str, index: Index, name: str) -> str | None:
    """The scheme a type id names, ``None`` for ``skos:Concept``; a 400 for any other."""
    if type_id == CONCEPT_TYPE:
        return None
    if type_id in index.schemes:
        return type_id
    found = index.resource_by_iri(type_id)
    if found is not None and found.id in index.schemes and index.schemes[found.id] is found:
        return found.id
    raise InvalidParameter(name, f"'{type_id[:100]}' is not a type of this service")


def _properties(value: object, name: str) -> tuple[PropertyValue, ...]:
    if not isinstance(value, list):
        raise InvalidParameter(name, "must be a list of {pid, v} objects")
    return tuple(_property(item, f"{name}[{i}]") for i, item in enumerate(value))


def _property(item: object, name: str) -> PropertyValue:
    if not isinstance(item, dict) or not isinstance(item.get("pid"), str) or "v" not in item:
        raise InvalidParameter(name, "must be an object with 'pid' and 'v'")
    pid = item["pid"]
    if pid not in QUERY_PROPERTIES:
        offered = ", ".join(QUERY_PROPERTIES)
        raise InvalidParameter(f"{name}.pid", f"'{pid[:100]}' is not one of {offered}")
    raw = item["v"] if isinstance(item["v"], list) else [item["v"]]
    return PropertyValue(pid, tuple(_value(v, f"{name}.v") for v in raw))


def _value(value: object, name: str) -> str:
    """A property value as text: strings, numbers and booleans as written, entities by id."""
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        value = value["id"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _text_value(value, name)
    raise InvalidParameter(name, "must be a string, number, boolean or {id} object")


def _text_value(value: str, name: str) -> str:
    try:
        return clean_text(value, _MAX_VALUE)
    except ValueError as error:
        raise InvalidParameter(name, str(error)) from None


def ids(value: object, settings: Settings, name: str) -> Sequence[str]:
    """The ``ids`` of a data extension request: a list of strings within the batch cap."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidParameter(name, "must be a list of entity ids")
    _within(len(value), settings)
    _echoable(value, name, "ids")
    return [item[:_MAX_VALUE] for item in value]


def _echoable(texts: Iterable[str], name: str, what: str) -> None:
    """Texts the answer repeats (a batch's keys, extension ids) can be written as UTF-8."""
    if any(has_surrogates(text) for text in texts):
        raise InvalidParameter(name, f"{what} must not contain lone surrogates (send UTF-8)")
