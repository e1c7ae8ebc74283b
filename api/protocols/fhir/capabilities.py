"""What the FHIR endpoint can do, said the FHIR way: the ``CapabilityStatement`` of
``GET /fhir/metadata`` and, with ``mode=terminology``, the ``TerminologyCapabilities``
(FHIR R4 §2.21.0.4, "capabilities").

The capability statement is the contract of ``/fhir/`` (it stands where an OpenAPI document
stands for the REST API), so it lists exactly the interactions and operations routed.
"""

from __future__ import annotations

from typing import Any

from api import __version__
from api.build.index import Index
from api.protocols.fhir import resources as r
from api.protocols.fhir.expansion import EXPAND
from api.protocols.fhir.operations import LOOKUP, SUBSUMES, VALIDATE_CODE

FHIR_VERSION = "4.0.1"
SOFTWARE = {"name": "engagement glossary API", "version": __version__}
_OPERATIONS = "http://hl7.org/fhir/OperationDefinition/"
#: The search parameters ``GET /fhir/CodeSystem`` reads, and their FHIR types (it also
#: honours the result parameters ``_summary`` and ``_count``).
SEARCH_PARAMETERS: tuple[tuple[str, str], ...] = (
    ("url", "uri"),
    ("version", "token"),
    ("_id", "token"),
)
_TEXT_FILTER = (
    "'filter' is matched against the labels (preferred, alternative and hidden) and "
    "definitions by the service's search index: exact, prefix, word, substring and "
    "misspelt matches, best first; at most the max_search_results setting are ranked."
)


def _common(date: str, base_url: str) -> dict[str, Any]:
    return {
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": dict(SOFTWARE),
        "implementation": {
            "description": "FHIR R4 terminology over the glossary's concept schemes",
            "url": base_url,
        },
    }


def capability_statement(date: str, base_url: str) -> dict[str, Any]:
    """The ``CapabilityStatement``: read and search ``CodeSystem``, its three operations,
    and ``ValueSet/$expand``; JSON only."""
    code_system = {
        "type": "CodeSystem",
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "searchParam": [{"name": name, "type": kind} for name, kind in SEARCH_PARAMETERS],
        "operation": [
            {"name": "lookup", "definition": _OPERATIONS + "CodeSystem-lookup"},
            {"name": "validate-code", "definition": _OPERATIONS + "CodeSystem-validate-code"},
            {"name": "subsumes", "definition": _OPERATIONS + "CodeSystem-subsumes"},
        ],
    }
    value_set = {
        "type": "ValueSet",
        "operation": [{"name": "expand", "definition": _OPERATIONS + "ValueSet-expand"}],
    }
    return {
        "resourceType": "CapabilityStatement",
        **_common(date, base_url),
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [{"mode": "server", "resource": [code_system, value_set]}],
    }


def terminology_capabilities(index: Index, date: str, base_url: str) -> dict[str, Any]:
    """The ``TerminologyCapabilities``: each code system with its version, languages and
    properties, and how ``$expand`` and ``$validate-code`` behave."""
    systems = []
    for scheme in index.schemes.values():
        version: dict[str, Any] = {"code": scheme.version} if scheme.version else {}
        version |= {
            "isDefault": True,
            "compositional": False,
            "language": [scheme.default_language],
        }
        version["property"] = list(r.PROPERTY_CODES)
        systems.append({"uri": scheme.iri, "version": [version], "subsumption": True})
    return {
        "resourceType": "TerminologyCapabilities",
        **_common(date, base_url),
        "codeSystem": systems,
        "expansion": {
            "hierarchical": False,
            "paging": True,
            "incomplete": False,
            "parameter": [{"name": name} for name in EXPAND.kinds],
            "textFilter": _TEXT_FILTER,
        },
        "codeSearch": "all",
        "validateCode": {"translations": False},
    }


#: Every operation's parameters, for the docs and tests (name → the parameters read).
OPERATION_PARAMETERS = {
    "lookup": tuple(LOOKUP.kinds),
    "validate-code": tuple(VALIDATE_CODE.kinds),
    "subsumes": tuple(SUBSUMES.kinds),
    "expand": tuple(EXPAND.kinds),
}
