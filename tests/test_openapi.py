"""``openapi/openapi.yaml`` is checked against the code: the route table, the wire models,
the settings' limits; and it is a valid OpenAPI 3.1 document."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.routing import Route

from api import payloads, rest
from api.app import create_app
from api.openapi import load_spec, operations, spec_path
from api.parameters import MAX_IRI, MAX_LANG, MAX_TEXT
from api.settings import Settings

#: Routes documented elsewhere, by the module that owns them: GraphQL has its own SDL
#: (``schema/``), pages and embeds are for people and web pages, linked data and the SPARQL
#: 1.1 Protocol endpoint are described by W3C specifications and docs/linked-data.md.
UNDOCUMENTED_MODULES = (
    "api.graphql",
    "api.pages",
    "api.embedding",
    "api.linkeddata",
    "api.sparql",
)

#: Wire model → the component schema that mirrors it.
MIRRORS: list[tuple[type[BaseModel], str]] = [
    (payloads.LanguageText, "LanguageText"),
    (payloads.ConceptRef, "ConceptRef"),
    (payloads.SchemeRef, "SchemeRef"),
    (payloads.CollectionRef, "CollectionRef"),
    (payloads.SourcePayload, "Source"),
    (payloads.DistinctionPayload, "Distinction"),
    (payloads.Mappings, "Mappings"),
    (payloads.Alternate, "Alternate"),
    (payloads.Links, "Links"),
    (payloads.ConceptPayload, "Concept"),
    (payloads.SchemePayload, "Scheme"),
    (payloads.CollectionPayload, "Collection"),
    (payloads.SchemeSummary, "SchemeSummary"),
    (payloads.CollectionSummary, "CollectionSummary"),
    (payloads.SchemeList, "SchemeList"),
    (payloads.CollectionList, "CollectionList"),
    (payloads.TopConcepts, "TopConcepts"),
    (payloads.ConceptPage, "ConceptPage"),
    (payloads.Relations, "Relations"),
    (payloads.Hierarchy, "Hierarchy"),
    (payloads.Distinctions, "Distinctions"),
    (payloads.LabelHit, "LabelHit"),
    (payloads.LookupResult, "LookupResult"),
    (payloads.SearchResult, "SearchResult"),
    (payloads.Counts, "Counts"),
    (payloads.Health, "Health"),
]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec()


def test_it_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1.")
    validate(spec)


def test_it_is_read_from_the_shipped_file() -> None:
    assert spec_path().name == "openapi.yaml"
    assert spec_path().is_file()


def documented(spec: dict[str, Any]) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, method, _ in operations(spec)}


def served(app: Starlette) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if not isinstance(route, Route) or route.endpoint.__module__.startswith(
            UNDOCUMENTED_MODULES
        ):
            continue
        found |= {(route.path, m) for m in route.methods or () if m != "HEAD"}
    return found


@pytest.fixture(scope="module")
def routed(settings: Settings) -> Starlette:
    """The factory's app, for its route table (the lifespan need not run for that)."""
    return create_app(settings)


def test_the_paths_equal_the_app_route_table(spec: dict[str, Any], routed: Starlette) -> None:
    assert documented(spec) == served(routed)


def test_every_rest_route_is_mounted_in_the_app(routed: Starlette) -> None:
    mounted = {(r.path, r.name) for r in routed.routes if isinstance(r, Route)}
    assert {(r.path, r.name) for r in rest.routes() if isinstance(r, Route)} <= mounted


def test_operation_ids_are_unique(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids))


def resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in item:
        node: Any = spec
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def parameters(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (op["operationId"], resolve(spec, p))
        for _, _, op in operations(spec)
        for p in op.get("parameters", [])
    ]


SPEC = load_spec()  # read at collection, to parametrise over its parameters


@pytest.mark.parametrize(
    ("operation", "parameter"),
    parameters(SPEC),
    ids=[f"{op}-{p['name']}" for op, p in parameters(SPEC)],
)
def test_every_parameter_is_bounded(operation: str, parameter: dict[str, Any]) -> None:
    schema = resolve(SPEC, parameter["schema"])
    assert parameter.get("description") or parameter["in"] == "path", (operation, parameter)
    if schema["type"] == "integer":
        assert {"minimum", "maximum"} <= set(schema), (operation, parameter["name"])
    elif schema["type"] == "string":
        assert "enum" in schema or "maxLength" in schema, (operation, parameter["name"])
    else:
        assert schema["type"] == "boolean"


def test_limits_agree_with_the_settings_and_the_code(spec: dict[str, Any]) -> None:
    defaults = Settings()
    by_name = {(op, p["name"]): resolve(spec, p["schema"]) for op, p in parameters(spec)}
    assert by_name["listConcepts", "limit"]["maximum"] == defaults.max_page_size
    assert by_name["listConcepts", "limit"]["default"] == defaults.page_size
    assert by_name["search", "limit"]["maximum"] == defaults.max_search_results
    assert by_name["search", "q"]["maxLength"] == MAX_TEXT
    assert by_name["lookupLabel", "label"]["maxLength"] == MAX_TEXT
    assert by_name["resolveIri", "iri"]["maxLength"] == MAX_IRI
    assert by_name["listConcepts", "lang"]["maxLength"] == MAX_LANG


def test_every_operation_documents_its_errors(spec: dict[str, Any]) -> None:
    for _, _, operation in operations(spec):
        responses = operation["responses"]
        assert "500" in responses, operation["operationId"]
        if operation.get("parameters"):
            assert "400" in responses, operation["operationId"]
        if "200" in responses:
            assert "304" in responses, operation["operationId"]
            headers = resolve(spec, responses["200"]).get("headers", {})
            assert {"ETag", "Cache-Control"} <= set(headers), operation["operationId"]
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                content = resolve(spec, response)["content"]
                assert "application/problem+json" in content, (operation["operationId"], status)


@pytest.mark.parametrize(("model", "component"), MIRRORS)
def test_wire_models_mirror_the_component_schemas(
    spec: dict[str, Any], model: type[BaseModel], component: str
) -> None:
    schema = spec["components"]["schemas"][component]
    aliases = {field.alias or name for name, field in model.model_fields.items()}
    assert set(schema["properties"]) == aliases
    assert set(schema["required"]) == aliases  # every field is always present (maybe null)
    assert schema["additionalProperties"] is False


def test_every_component_schema_of_an_object_has_a_model(spec: dict[str, Any]) -> None:
    objects = {
        name
        for name, schema in spec["components"]["schemas"].items()
        if schema.get("type") == "object" and name != "Problem"
    }
    assert objects == {component for _, component in MIRRORS}
