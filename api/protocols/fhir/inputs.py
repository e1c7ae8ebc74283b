"""An operation's input parameters, read alike from a GET query string or a POST ``Parameters``
resource (FHIR R4 §3.1.0.1, "Operations": "an operation may be invoked by GET if it has only
primitive parameters"; by POST with a ``Parameters`` body otherwise).

Each operation declares the parameters it reads and their types; anything else, a repeated
parameter that does not repeat, or a value of the wrong type is a 400 ``OperationOutcome``
naming it, so a client never gets an answer to a question it did not ask.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.requests import Request

from api.http import parameters
from api.protocols.fhir.outcomes import FhirError, invalid

Kind = Literal["string", "integer", "boolean", "coding", "codeableConcept"]

#: Longest string parameter (IRIs and filters alike).
MAX_STRING = parameters.MAX_IRI
_DIGITS = re.compile(r"-?[0-9]{1,10}")


@dataclass(frozen=True, slots=True)
class Coding:
    """A FHIR ``Coding`` as given (``system|code`` in a query string)."""

    system: str | None = None
    code: str | None = None
    version: str | None = None
    display: str | None = None


@dataclass(frozen=True)
class Spec:
    """The parameters an operation reads, by name, and which of them may repeat."""

    kinds: Mapping[str, Kind]
    repeating: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Inputs:
    """An operation's parameters, checked against its :class:`Spec`, by name."""

    values: Mapping[str, tuple[Any, ...]]

    def string(self, name: str) -> str | None:
        found = self.values.get(name, ())
        return found[0] if found else None

    def strings(self, name: str) -> tuple[str, ...]:
        return self.values.get(name, ())

    def integer(self, name: str) -> int | None:
        found = self.values.get(name, ())
        return found[0] if found else None

    def boolean(self, name: str, default: bool = False) -> bool:
        found = self.values.get(name, ())
        return bool(found[0]) if found else default

    def coding(self, name: str) -> Coding | None:
        found = self.values.get(name, ())
        return found[0] if found else None

    def codings(self, name: str) -> tuple[Coding, ...]:
        """The codings of a ``CodeableConcept`` parameter (empty when absent)."""
        found = self.values.get(name, ())
        return found[0] if found else ()


def from_query(request: Request, spec: Spec) -> Inputs:
    """The inputs in the query string (a ``Coding`` as ``system|code``)."""
    found: dict[str, tuple[Any, ...]] = {}
    for name, raw_values in parameters.query(request).items():
        if name.startswith("_"):  # _format, _pretty, or FHIR's others: not inputs
            continue
        kind = _kind(spec, name, len(raw_values))
        if kind == "codeableConcept":
            raise invalid(
                f"'{name}' is a CodeableConcept: send it in a POST Parameters body.", name
            )
        values = []
        for raw in raw_values:
            if raw is None:
                raise invalid(f"'{name}' must be UTF-8 (percent-encoded).", name)
            values.append(_from_text(name, kind, raw))
        found[name] = tuple(values)
    return Inputs(found)


def _kind(spec: Spec, name: str, count: int) -> Kind:
    kind = spec.kinds.get(name)
    if kind is None:
        known = ", ".join(sorted(spec.kinds))
        raise invalid(f"Unknown parameter '{name[:60]}'; this operation reads {known}.", name)
    if count > 1 and name not in spec.repeating:
        raise invalid(f"'{name}' must be given at most once.", name)
    return kind


def _from_text(name: str, kind: Kind, raw: str) -> Any:
    if kind == "integer":
        if not _DIGITS.fullmatch(raw):
            raise invalid(f"'{name}' must be an integer.", name)
        return int(raw)
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise invalid(f"'{name}' must be true or false.", name)
        return raw == "true"
    text = _clean(name, raw)
    if kind == "coding":
        system, bar, code = text.rpartition("|")
        return Coding(system=system or None, code=code) if bar else Coding(code=text)
    return text


def _clean(name: str, raw: str) -> str:
    try:
        return parameters.clean_text(raw, MAX_STRING)
    except ValueError as error:
        raise invalid(f"'{name}' {error}.", name) from None


def from_parameters(resource: Mapping[str, Any], spec: Spec) -> Inputs:
    """The inputs in a ``Parameters`` resource (FHIR R4 §2.43, ``Parameters``)."""
    if resource.get("resourceType") != "Parameters":
        raise _structure("The body must be a Parameters resource.")
    unexpected = set(resource) - {"resourceType", "id", "meta", "parameter"}
    if unexpected:
        raise _structure(f"Parameters has no element '{sorted(unexpected)[0][:60]}'.")
    entries = resource.get("parameter", [])
    if not isinstance(entries, list):
        raise _structure("Parameters.parameter must be an array.")
    grouped: dict[str, list[Any]] = {}
    for entry in entries:
        name, value = _entry(entry)
        grouped.setdefault(name, []).append(value)
    found: dict[str, tuple[Any, ...]] = {}
    for name, values in grouped.items():
        kind = _kind(spec, name, len(values))
        found[name] = tuple(_typed(name, kind, value) for value in values)
    return Inputs(found)


def _structure(diagnostics: str) -> FhirError:
    error = invalid(diagnostics)
    error.code = "structure"
    return error


def _entry(entry: Any) -> tuple[str, tuple[str, Any]]:
    """An entry's name and its one ``value[x]`` (as ``(x, value)``)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise _structure("Each Parameters.parameter must be an object with a string 'name'.")
    name = entry["name"]
    if "resource" in entry or "part" in entry:
        raise invalid(f"'{name[:60]}': resources and parts are not read here.", name)
    values = [key for key in entry if key.startswith("value")]
    if len(values) != 1 or set(entry) - {"name", "id", "extension", values[0]}:
        raise _structure(f"Parameter '{name[:60]}' must have exactly one value[x].")
    return name, (values[0][len("value") :], entry[values[0]])


def _typed(name: str, kind: Kind, typed_value: tuple[str, Any]) -> Any:
    """The value of a ``value[x]`` of type ``x`` for a parameter of ``kind``, or a 400."""
    type_, value = typed_value
    if kind == "integer" and type_ in _INTEGER_TYPES and type(value) is int:
        return value
    if kind == "boolean" and type_ == "Boolean" and isinstance(value, bool):
        return value
    if kind == "coding" and type_ == "Coding" and isinstance(value, dict):
        return _coding(name, value)
    if kind == "codeableConcept" and type_ == "CodeableConcept" and isinstance(value, dict):
        codings = value.get("coding", [])
        if isinstance(codings, list):
            return tuple(_coding(name, coding) for coding in codings)
    if kind == "string" and type_ in _STRING_TYPES and isinstance(value, str):
        return _clean(name, value)
    raise invalid(f"'{name[:60]}' cannot be a {type_[:40] or 'value'} here.", name)


#: The FHIR primitive types whose JSON is a string, and those whose JSON is an integer.
_STRING_TYPES = frozenset(
    {
        "String",
        "Code",
        "Uri",
        "Url",
        "Canonical",
        "Id",
        "Oid",
        "Uuid",
        "Markdown",
        "DateTime",
        "Date",
    }
)
_INTEGER_TYPES = frozenset({"Integer", "UnsignedInt", "PositiveInt"})


def _coding(name: str, value: Any) -> Coding:
    if not isinstance(value, dict):
        raise invalid(f"'{name}' must hold Coding objects.", name)
    fields = {}
    for key in ("system", "code", "version", "display"):
        item = value.get(key)
        if item is not None and not isinstance(item, str):
            raise invalid(f"'{name}.{key}' must be a string.", name)
        fields[key] = _clean(name, item) if item is not None else None
    return Coding(**fields)
