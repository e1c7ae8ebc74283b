"""JSON Schemas of the reconciliation answers, written from the specification's text
(Reconciliation Service API 0.2, W3C Entity Reconciliation CG final report, 2023-04-10, and
the 1.0 draft's batch form) and checked with ``jsonschema``. They are strict where the
specification says MUST (required keys, types, ``{{id}}`` in URL templates) and say nothing
about keys it leaves open."""

from __future__ import annotations

from typing import Any

import jsonschema  # type: ignore[import-untyped]

_TYPE: dict[str, Any] = {
    "oneOf": [
        {
            "type": "object",
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            "required": ["id"],
        },
        {"type": "string"},
    ]
}
_TEMPLATE = {"type": "string", "pattern": r"\{\{id\}\}"}
_SERVICE = {
    "type": "object",
    "properties": {
        "service_url": {"type": "string", "format": "uri"},
        "service_path": {"type": "string"},
        "flyout_service_url": {"type": "string"},
        "flyout_service_path": {"type": "string", "pattern": r"\$\{id\}"},
    },
}

# §3 Service manifest
MANIFEST: dict[str, Any] = {
    "type": "object",
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
    "properties": {
        "versions": {"type": "array", "items": {"type": "string"}, "contains": {"const": "0.2"}},
        "name": {"type": "string", "minLength": 1},
        "identifierSpace": {"type": "string", "format": "uri"},
        "schemaSpace": {"type": "string", "format": "uri"},
        "documentation": {"type": "string"},
        "serviceVersion": {"type": "string"},
        "logo": {"type": "string"},
        "defaultTypes": {"type": "array", "items": _TYPE, "uniqueItems": True},
        "view": {"type": "object", "properties": {"url": _TEMPLATE}, "required": ["url"]},
        "preview": {
            "type": "object",
            "properties": {
                "url": _TEMPLATE,
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
            "required": ["url", "width", "height"],
        },
        "suggest": {
            "type": "object",
            "properties": {"entity": _SERVICE, "property": _SERVICE, "type": _SERVICE},
        },
        "extend": {
            "type": "object",
            "properties": {
                "propose_properties": _SERVICE,
                "property_settings": {"type": "array"},
            },
        },
    },
}

_CANDIDATE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "score"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "score": {"type": "number"},
        "match": {"type": "boolean"},
        "type": {"type": "array", "items": _TYPE},
        "features": {"type": "array"},
    },
}
# §4.2 Reconciliation query results: one object per query key.
RESULT_BATCH: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {
        "type": "object",
        "required": ["result"],
        "properties": {"result": {"type": "array", "items": _CANDIDATE}},
    },
}
# The 0.1 single query (``query=``): one result list.
SINGLE_RESULT: dict[str, Any] = {
    "type": "object",
    "required": ["result"],
    "properties": {"result": {"type": "array", "items": _CANDIDATE}},
}
# The 1.0 draft: results in query order, names as language-tagged strings.
DRAFT_RESULT_BATCH: dict[str, Any] = {
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["candidates"],
                "properties": {
                    "candidates": {
                        "type": "array",
                        "items": {
                            **_CANDIDATE,
                            "required": ["id", "name"],
                            "properties": {
                                **_CANDIDATE["properties"],
                                "name": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["str"],
                                        "properties": {
                                            "str": {"type": "string"},
                                            "lang": {"type": "string"},
                                        },
                                        "additionalProperties": False,
                                    },
                                },
                            },
                        },
                    }
                },
            },
        }
    },
}
# §6 Suggest services: entities.
SUGGEST_ENTITIES: dict[str, Any] = {
    "type": "object",
    "required": ["result"],
    "properties": {
        "result": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "notable": {"type": "array", "items": _TYPE},
                },
            },
        }
    },
}
# §7.1 Property proposals.
PROPOSED_PROPERTIES: dict[str, Any] = {
    "type": "object",
    "required": ["properties"],
    "properties": {
        "type": {"type": "string"},
        "limit": {"type": "integer"},
        "properties": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            },
        },
    },
}


def _only(key: str, json_type: str) -> dict[str, Any]:
    """An object with ``key`` alone, of ``json_type`` (a literal property value, §7.2)."""
    return {
        "type": "object",
        "required": [key],
        "properties": {key: {"type": json_type}},
        "additionalProperties": False,
    }


_VALUE: dict[str, Any] = {
    "oneOf": [
        {"type": "object", "additionalProperties": False, "maxProperties": 0},
        {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "description": {"type": "string"},
            },
            "additionalProperties": False,
        },
        _only("str", "string"),
        _only("float", "number"),
        _only("int", "integer"),
        _only("date", "string"),
    ]
}
# §7.2 Data extension responses.
EXTENSION: dict[str, Any] = {
    "type": "object",
    "required": ["meta", "rows"],
    "properties": {
        "meta": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "type": {"type": "object", "required": ["id"]},
                },
            },
        },
        "rows": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": _VALUE},
            },
        },
    },
}


def check(schema: dict[str, Any], document: object) -> None:
    """Fail with jsonschema's message when ``document`` does not fit ``schema``."""
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)
