"""What the FHIR tests share: the glossary's code system, and validation of every resource
with ``fhir.resources``' R4B models (FHIR 4.3.0, the release of those models closest to the R4
we serve: the terminology resources are unchanged between them)."""

from __future__ import annotations

from typing import Any

import httpx
from fhir.resources.R4B import get_fhir_model_class

SYSTEM = "https://w3id.org/engagement-glossary/schemes/engagement-glossary"
IMPLICIT = SYSTEM + "?fhir_vs"
FHIR_JSON = "application/fhir+json"


def validated(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """The resource in ``response``, checked to be FHIR JSON of a valid R4(B) resource."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].split(";")[0] == FHIR_JSON
    body: dict[str, Any] = response.json()
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    return body


def outcome(response: httpx.Response, status: int, code: str) -> str:
    """The diagnostics of an ``OperationOutcome`` answer with ``status`` and issue ``code``."""
    body = validated(response, status)
    assert body["resourceType"] == "OperationOutcome"
    (issue,) = body["issue"]
    assert issue["code"] == code, issue
    assert response.headers["cache-control"] == "no-store"
    diagnostics: str = issue["diagnostics"]
    return diagnostics


def parameter(body: dict[str, Any], name: str) -> Any:
    """The value of the one output parameter ``name`` of a ``Parameters`` resource."""
    (found,) = [p for p in body["parameter"] if p["name"] == name]
    return next(value for key, value in found.items() if key.startswith("value"))


def properties(body: dict[str, Any]) -> list[tuple[str, Any, dict[str, Any]]]:
    """(code, value, subproperties) of each ``property`` of a ``$lookup`` answer."""
    found = []
    for entry in body["parameter"]:
        if entry["name"] != "property":
            continue
        parts = {p["name"]: p for p in entry["part"] if p["name"] != "subproperty"}
        value = next(v for k, v in parts["value"].items() if k.startswith("value"))
        subs = {}
        for sub in (p for p in entry["part"] if p["name"] == "subproperty"):
            named = {p["name"]: p for p in sub["part"]}
            subs[named["code"]["valueCode"]] = named["value"]["valueString"]
        found.append((parts["code"]["valueCode"], value, subs))
    return found
