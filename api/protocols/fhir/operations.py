"""The code system operations (FHIR R4 §4.7.15-4.7.17): ``CodeSystem/$lookup``,
``$validate-code`` and ``$subsumes``, as pure functions of the ``Index`` and the checked
inputs, answering ``Parameters`` (``ValueSet/$expand`` is :mod:`expansion`'s).

Where FHIR leaves room we do what HAPI FHIR and Ontoserver do: an unknown code system is a
404; an unknown code is a 404 for ``$lookup`` and ``$subsumes`` and ``result: false`` for
``$validate-code``; a ``$lookup`` without ``property`` returns every property.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.build.index import Index
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


def display_languages(inputs: Inputs, accepted: Sequence[str]) -> tuple[str, ...]:
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
    langs = display_languages(inputs, accepted)
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
    langs = display_languages(inputs, accepted)
    codings = _codings_to_validate(inputs, scheme)
    if not codings:
        return _validation(False, f"No coding is of the code system '{scheme.iri}'.", None)
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
    return tuple(c for c in given if c is not None and c.system in (None, scheme.iri) and c.code)


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
