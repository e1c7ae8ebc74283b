"""The terminology operations (FHIR R4 §4.7.15-4.7.17, §4.9.18): ``CodeSystem/$lookup``,
``$validate-code``, ``$subsumes`` and ``ValueSet/$expand`` on a code system's implicit value
set, as pure functions of the ``Index`` and the checked inputs, answering ``Parameters`` or a
``ValueSet``.

Where FHIR leaves room we do what HAPI FHIR and Ontoserver do: an unknown code system is a
404; an unknown code is a 404 for ``$lookup`` and ``$subsumes`` and ``result: false`` for
``$validate-code``; a ``$lookup`` without ``property`` returns every property.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from api.build.index import Index
from api.http.parameters import MAX_TEXT
from api.languages import InvalidLanguageTag, normalise_tag
from api.model import Concept, Scheme
from api.protocols.fhir import resources as r
from api.protocols.fhir.inputs import Coding, Inputs, Spec
from api.protocols.fhir.outcomes import FhirError, invalid, not_found

LOOKUP = Spec(
    {
        "system": "string",
        "code": "string",
        "version": "string",
        "coding": "coding",
        "date": "string",
        "displayLanguage": "string",
        "property": "string",
    },
    repeating=frozenset({"property"}),
)
VALIDATE_CODE = Spec(
    {
        "url": "string",
        "code": "string",
        "version": "string",
        "display": "string",
        "coding": "coding",
        "codeableConcept": "codeableConcept",
        "date": "string",
        "displayLanguage": "string",
    }
)
SUBSUMES = Spec(
    {
        "system": "string",
        "version": "string",
        "codeA": "string",
        "codeB": "string",
        "codingA": "coding",
        "codingB": "coding",
    }
)
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


# Resolving systems and codes ----------------------------------------------------------


def code_system(index: Index, url: str | None, version: str | None, name: str) -> Scheme:
    """The scheme whose IRI is ``url`` (in ``version``, when given); 400 or 404 otherwise."""
    if url is None:
        raise FhirError(
            400, "required", f"'{name}' (the code system's url) is required.", expression=name
        )
    found = index.resource_by_iri(url)
    if not isinstance(found, Scheme):
        raise not_found(f"No code system has the url '{url[:200]}'.", name)
    if version is not None and version != found.version:
        raise not_found(
            f"The code system '{url[:200]}' has no version '{version[:60]}'.", "version"
        )
    return found


def concept_in(index: Index, scheme: Scheme, code: str) -> Concept | None:
    """The concept with this code in ``scheme``, or ``None``."""
    concept = index.concepts.get(code)
    return concept if concept is not None and scheme.id in concept.schemes else None


def _coded(
    inputs: Inputs, system: str, code: str, coding: str
) -> tuple[str | None, str, str | None]:
    """(system, code, version) from separate parameters or from a ``Coding``, not both."""
    given = inputs.coding(coding)
    if given is not None:
        if inputs.string(code) is not None:
            raise invalid(f"Give '{code}' or '{coding}', not both.", coding)
        if given.code is None:
            raise FhirError(400, "required", f"'{coding}' has no code.", expression=coding)
        return given.system or inputs.string(system), given.code, given.version
    found = inputs.string(code)
    if found is None:
        raise FhirError(400, "required", f"'{code}' (or '{coding}') is required.", expression=code)
    return inputs.string(system), found, None


def _languages(inputs: Inputs, accepted: Sequence[str]) -> tuple[str, ...]:
    """``displayLanguage`` when given (a BCP 47 tag), else the ``Accept-Language`` ranges."""
    raw = inputs.string("displayLanguage")
    if raw is None:
        return tuple(accepted)
    try:
        return (normalise_tag(raw),)
    except InvalidLanguageTag:
        raise invalid(
            "'displayLanguage' must be a BCP 47 language tag.", "displayLanguage"
        ) from None


# $lookup -------------------------------------------------------------------------------


def lookup(index: Index, inputs: Inputs, accepted: Sequence[str] = ()) -> dict[str, Any]:
    """``CodeSystem/$lookup``: the code's display, designations and properties."""
    system, code, version = _coded(inputs, "system", "code", "coding")
    scheme = code_system(index, system, inputs.string("version") or version, "system")
    concept = concept_in(index, scheme, code)
    if concept is None:
        raise not_found(f"The code system '{scheme.iri}' has no code '{code[:200]}'.", "code")
    langs = _languages(inputs, accepted)
    wanted = set(inputs.strings("property"))
    out: list[dict[str, Any]] = [{"name": "name", "valueString": r.title(scheme)}]
    if scheme.version:
        out.append({"name": "version", "valueString": scheme.version})
    out.append({"name": "display", "valueString": r.display(index, concept, langs)})

    def asks(name: str) -> bool:  # no ``property``: the server chooses, and gives all
        return not wanted or name in wanted

    if asks("designation"):
        out += [_part_list("designation", _designation_parts(d)) for d in r.designations(concept)]
    meaning = r.definition(index, concept, langs)
    if meaning is not None and asks("definition"):
        out.append(_property("definition", {"valueString": meaning}))
    for name, value in r.properties(index, scheme, concept):
        if asks(name):
            out.append(_property(name, _lookup_value(name, value)))
    return {"resourceType": "Parameters", "parameter": out}


def _part_list(name: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "part": parts}


def _designation_parts(designation: dict[str, Any]) -> list[dict[str, Any]]:
    parts = (
        [{"name": "language", "valueCode": designation["language"]}]
        if "language" in designation
        else []
    )
    parts.append({"name": "use", "valueCoding": designation["use"]})
    parts.append({"name": "value", "valueString": designation["value"]})
    return parts


def _property(code: str, value: dict[str, Any]) -> dict[str, Any]:
    subproperties = value.pop("subproperty", [])
    parts = [{"name": "code", "valueCode": code}, {"name": "value", **value}]
    parts += [_part_list("subproperty", sub) for sub in subproperties]
    return _part_list("property", parts)


def _lookup_value(code: str, value: Any) -> dict[str, Any]:
    """A property's value for ``$lookup``; a distinction's reason is a ``subproperty``
    (R4's ``property.subproperty``) rather than an extension."""
    if code != "distinction":
        return r.property_value(code, value)
    other, reason = value
    found: dict[str, Any] = {"valueCode": other}
    if reason is not None:
        found["subproperty"] = [
            [{"name": "code", "valueCode": "reason"}, {"name": "value", "valueString": reason}]
        ]
    return found


# $validate-code ------------------------------------------------------------------------


def validate_code(index: Index, inputs: Inputs, accepted: Sequence[str] = ()) -> dict[str, Any]:
    """``CodeSystem/$validate-code``: whether the code (and display, if given) is valid."""
    scheme = code_system(index, inputs.string("url"), inputs.string("version"), "url")
    langs = _languages(inputs, accepted)
    codings = _codings_to_validate(inputs, scheme)
    display = inputs.string("display")
    messages = []
    for coding in codings:
        concept = concept_in(index, scheme, coding.code or "")
        if concept is None:
            messages.append(
                f"Unknown code '{(coding.code or '')[:200]}' in the code system '{scheme.iri}'."
            )
            continue
        wanted = display if display is not None else coding.display
        preferred = r.display(index, concept, langs)
        if wanted is not None and not _is_label(concept, wanted):
            message = (
                f"'{wanted[:200]}' is not a display of code '{concept.id}'; it is '{preferred}'."
            )
            return _validation(False, message, preferred)
        return _validation(True, None, preferred)
    return _validation(False, " ".join(messages), None)


def _codings_to_validate(inputs: Inputs, scheme: Scheme) -> tuple[Coding, ...]:
    code, coding, concepts = (
        inputs.string("code"),
        inputs.coding("coding"),
        inputs.codings("codeableConcept"),
    )
    if sum(x is not None for x in (code, coding)) + bool(concepts) != 1:
        raise FhirError(
            400,
            "required",
            "Give exactly one of 'code', 'coding' or 'codeableConcept'.",
            expression="code",
        )
    if code is not None:
        return (Coding(system=scheme.iri, code=code),)
    given = (coding,) if coding is not None else concepts
    ours = tuple(c for c in given if c is not None and c.system in (None, scheme.iri) and c.code)
    if not ours:
        return (Coding(system=scheme.iri, code=""),)
    return ours


def _is_label(concept: Concept, text: str) -> bool:
    """Whether ``text`` is a preferred or alternative label of ``concept`` (ignoring case);
    hidden labels are misspellings kept for search, not displays."""
    folded = text.casefold()
    return any(t.value.casefold() == folded for t in (*concept.pref_labels, *concept.alt_labels))


def _validation(result: bool, message: str | None, display: str | None) -> dict[str, Any]:
    out: list[dict[str, Any]] = [{"name": "result", "valueBoolean": result}]
    if message is not None:
        out.append({"name": "message", "valueString": message})
    if display is not None:
        out.append({"name": "display", "valueString": display})
    return {"resourceType": "Parameters", "parameter": out}


# $subsumes -----------------------------------------------------------------------------


def subsumes(index: Index, inputs: Inputs) -> dict[str, Any]:
    """``CodeSystem/$subsumes``: how code A and code B stand in the broader hierarchy (its
    meaning is the code system's ``hierarchyMeaning``)."""
    system_a, code_a, version_a = _coded(inputs, "system", "codeA", "codingA")
    system_b, code_b, version_b = _coded(inputs, "system", "codeB", "codingB")
    if system_a != system_b:
        raise invalid("codeA and codeB must be codes of one code system.", "codingB")
    scheme = code_system(
        index, system_a, inputs.string("version") or version_a or version_b, "system"
    )
    a, b = (
        _known(index, scheme, code, name) for code, name in ((code_a, "codeA"), (code_b, "codeB"))
    )
    if a.id == b.id:
        outcome = "equivalent"
    elif a.id in index.broader_transitive(b.id):
        outcome = "subsumes"
    elif b.id in index.broader_transitive(a.id):
        outcome = "subsumed-by"
    else:
        outcome = "not-subsumed"
    return {"resourceType": "Parameters", "parameter": [{"name": "outcome", "valueCode": outcome}]}


def _known(index: Index, scheme: Scheme, code: str, name: str) -> Concept:
    concept = concept_in(index, scheme, code)
    if concept is None:
        raise not_found(f"The code system '{scheme.iri}' has no code '{code[:200]}'.", name)
    return concept


# ValueSet/$expand ----------------------------------------------------------------------


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
    langs = _languages(inputs, accepted)
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
    value_set |= {"name": r.computable_name(scheme), "title": r.title(scheme), "status": "active"}
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
    entry |= {"code": concept.id, "display": r.display(index, concept, langs)}
    if designations and (labels := r.designations(concept)):
        entry["designation"] = labels
    return entry
