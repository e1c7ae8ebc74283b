"""``ValueSet/$expand`` (FHIR R4 §4.9.18) of a code system's implicit value set of all its
codes, ``<code system url>?fhir_vs`` (§4.8.7): a page of codes, in the code system's order or,
with ``filter``, ranked by the service's search index (``api.build.search``).

``count`` defaults to the ``page_size`` setting and may not pass ``max_page_size`` (a 400
``too-costly``, where FHIR would let a server return fewer); a ``filter`` ranks at most
``max_search_results`` matches, and ``total`` is left out when there may be more.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from api.build.index import Index
from api.http.parameters import MAX_TEXT
from api.model import Concept, Scheme
from api.protocols.fhir import resources
from api.protocols.fhir.inputs import Inputs, Spec
from api.protocols.fhir.operations import display_languages
from api.protocols.fhir.outcomes import FhirError, invalid, not_found

EXPAND = Spec(
    {
        "url": "string",
        "valueSetVersion": "string",
        "filter": "string",
        "count": "integer",
        "offset": "integer",
        "displayLanguage": "string",
        "includeDesignations": "boolean",
        "activeOnly": "boolean",
    }
)
#: The suffix of a code system's implicit value set of all its codes (FHIR R4 §4.8.7).
IMPLICIT = "?fhir_vs"


@dataclass(frozen=True)
class Limits:
    """What ``$expand`` may be asked for: its default and largest ``count`` (the page-size
    settings) and how many matches of a ``filter`` it ranks (``max_search_results``)."""

    page_size: int
    max_page_size: int
    max_filtered: int


def expanded_system(index: Index, inputs: Inputs) -> Scheme:
    """The code system whose implicit value set ``url`` names."""
    url = inputs.string("url")
    if url is None:
        raise FhirError(400, "required", "'url' (a value set's url) is required.", expression="url")
    base, mark, rest = url.partition("?fhir_vs")
    if mark and rest:
        raise FhirError(
            400,
            "not-supported",
            "Only the implicit value set of all codes (?fhir_vs) is expanded.",
            expression="url",
        )
    scheme = index.resource_by_iri(base) if mark else None
    if not isinstance(scheme, Scheme):
        raise not_found(
            f"No value set has the url '{url[:200]}'; each code system's codes are the value "
            "set '<its url>?fhir_vs'.",
            "url",
        )
    version = inputs.string("valueSetVersion")
    if version is not None and version != scheme.version:
        raise not_found(f"The value set has no version '{version[:60]}'.", "valueSetVersion")
    return scheme


def paging(inputs: Inputs, limits: Limits) -> tuple[int, int]:
    """``(offset, count)``, within the page-size settings."""
    count = inputs.integer("count")
    count = limits.page_size if count is None else count
    if not 0 <= count <= limits.max_page_size:
        raise FhirError(
            400,
            "too-costly",
            f"'count' must be from 0 to {limits.max_page_size}.",
            expression="count",
        )
    offset = inputs.integer("offset") or 0
    if offset < 0:
        raise invalid("'offset' must not be negative.", "offset")
    return offset, count


def expand(
    index: Index,
    inputs: Inputs,
    limits: Limits,
    *,
    timestamp: str,
    accepted: Sequence[str] = (),
) -> dict[str, Any]:
    """``ValueSet/$expand`` of ``<code system url>?fhir_vs``: a page of codes, ranked by
    the search index when ``filter`` is given, else in the code system's order."""
    scheme = expanded_system(index, inputs)
    offset, count = paging(inputs, limits)
    langs = display_languages(inputs, accepted)
    active_only = inputs.boolean("activeOnly")
    text = inputs.string("filter")
    if text is not None and len(text) > MAX_TEXT:
        raise FhirError(
            400, "too-long", f"'filter' must be at most {MAX_TEXT} characters.", expression="filter"
        )
    total: int | None
    if text is not None:
        matches = index.search(
            text, scheme=scheme.id, limit=limits.max_filtered, include_deprecated=not active_only
        )
        codes: Sequence[str] = [m.concept for m in matches]
        total = len(codes) if len(codes) < limits.max_filtered else None  # more may match
    else:
        codes = index.concept_ids(scheme.id)
        if active_only:
            codes = [c for c in codes if not index.concepts[c].deprecated]
        total = len(codes)
    page = [index.concepts[c] for c in codes[offset : offset + count]]
    designations = inputs.boolean("includeDesignations")
    expansion: dict[str, Any] = {"identifier": _identifier(index, inputs), "timestamp": timestamp}
    if total is not None:
        expansion["total"] = total
    expansion["offset"] = offset
    expansion["parameter"] = _echo(inputs, offset, count)
    contains = [_contained(index, scheme, c, langs, designations) for c in page]
    if contains:
        expansion["contains"] = contains
    value_set: dict[str, Any] = {"resourceType": "ValueSet", "url": scheme.iri + IMPLICIT}
    if scheme.version:
        value_set["version"] = scheme.version
    value_set |= {
        "name": resources.computable_name(scheme),
        "title": resources.title(scheme),
        "status": "active",
    }
    value_set["expansion"] = expansion
    return value_set


def _identifier(index: Index, inputs: Inputs) -> str:
    """A stable ``urn:uuid`` per vocabulary version and question (the same expansion twice
    has the same identifier, as its ETag is the same)."""
    seed = repr((index.digest, sorted(inputs.values.items())))
    return "urn:uuid:" + str(uuid.UUID(hashlib.sha256(seed.encode()).hexdigest()[:32]))


def _echo(inputs: Inputs, offset: int, count: int) -> list[dict[str, Any]]:
    echoed: list[dict[str, Any]] = [
        {"name": "offset", "valueInteger": offset},
        {"name": "count", "valueInteger": count},
    ]
    for name, kind in (("filter", "String"), ("displayLanguage", "Code")):
        if (value := inputs.string(name)) is not None:
            echoed.append({"name": name, f"value{kind}": value})
    for name in ("includeDesignations", "activeOnly"):
        if name in inputs.values:
            echoed.append({"name": name, "valueBoolean": inputs.boolean(name)})
    return echoed


def _contained(
    index: Index, scheme: Scheme, concept: Concept, langs: Sequence[str], designations: bool
) -> dict[str, Any]:
    entry: dict[str, Any] = {"system": scheme.iri}
    if scheme.version:
        entry["version"] = scheme.version
    if concept.deprecated:
        entry["inactive"] = True
    entry |= {"code": concept.id, "display": resources.display(index, concept, langs)}
    if designations and (labels := resources.designations(concept)):
        entry["designation"] = labels
    return entry
