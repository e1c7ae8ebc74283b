"""``openapi/openapi.yaml`` is checked against the code: the route table, the wire models,
the settings' limits, what the handlers send; and it is a valid OpenAPI 3.1 document."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.routing import Route

from api import payloads
from api.app import create_app
from api.http.negotiation import FORMATS, RDF_FORMATS
from api.http.parameters import MAX_IRI, MAX_LANG, MAX_TEXT
from api.rest import service
from api.rest.openapi import load_spec, operations, spec_path
from api.settings import Settings
from api.sparql import endpoint as sparql
from api.widgets.annotation import Annotation, Annotations

#: The routes that are not part of the HTTP API, by route name, and why. Every other route
#: (path and method) must be an operation in the document, and every operation a route.
NOT_API: Mapping[str, str] = MappingProxyType(
    {
        "home": "an HTML page for people (docs/pages.md), not an exchange for programs",
        "search-page": "an HTML page for people; programs use /search",
        "a-z": "an HTML page for people; programs use /concepts",
        "problems-page": "an HTML page for people; programs use /problems",
        "accessibility-page": "the accessibility statement, an HTML page for people",
        "annotate-page": (
            "the annotator page for editors (GET /annotate in a browser; docs/pages.md); "
            "programs POST /annotate"
        ),
        "static": "the pages' styles, scripts and icons: a StaticFiles mount, any path below",
        "embed-js": (
            "a script for <script src>, a file like those under /static; its contract is the "
            "<glossary-term> element it defines (docs/pages.md), not an HTTP exchange"
        ),
        "graphql": "its contract is schema/schema.graphql, checked by tests/graphql",
        "graphql-schema": "that contract itself, schema/schema.graphql served as text",
        "graphiql-asset": (
            "GraphiQL's own files (npm packages fetched at build time) for its page; files "
            "like those under /static, not an HTTP exchange"
        ),
        "skosmos": (
            "Skosmos REST v1 (/rest/v1/...): its contract is Skosmos's own API, not ours "
            "(docs/protocols.md; tests/protocols/skosmos check it against Skosmos's shapes)"
        ),
        "reconcile": (
            "the W3C Reconciliation Service API 0.2 for OpenRefine (docs/protocols.md): its "
            "contract is that specification, checked by tests/protocols/reconciliation"
        ),
        "reconcile-services": (
            "the suggest and property-proposal services the reconciliation manifest names, "
            "mounted under /reconcile: the same specification's contract"
        ),
        "mcp": (
            "the Model Context Protocol's streamable HTTP transport (JSON-RPC for assistants, "
            "docs/protocols.md): its contract is the MCP specification; tests/protocols/mcp"
        ),
        "fhir": (
            "FHIR R4 terminology (/fhir/...): its contract is the CapabilityStatement at "
            "/fhir/metadata and FHIR itself (docs/protocols.md; tests/protocols/fhir)"
        ),
        "metrics": "Prometheus' text format for operators' scrapers (docs/deployment.md)",
    }
)

#: Wire model → the component schema that mirrors it.
MIRRORS: list[tuple[type[BaseModel], str]] = [
    (payloads.LanguageText, "LanguageText"),
    (payloads.ConceptRef, "ConceptRef"),
    (payloads.ReplacementRef, "ReplacementRef"),
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
    (payloads.NotationLookupResult, "NotationLookupResult"),
    (payloads.SearchResult, "SearchResult"),
    (payloads.Counts, "Counts"),
    (payloads.Health, "Health"),
    (service.CacheReport, "CacheReport"),
    (service.CacheFigures, "CacheFigures"),
    (payloads.ProblemCounts, "ProblemCounts"),
    (payloads.ProblemItem, "ProblemItem"),
    (payloads.ProblemList, "ProblemList"),
    (Annotation, "Annotation"),
    (Annotations, "Annotations"),
]

#: Object schemas with no pydantic model behind them, and what checks them here instead.
UNMODELLED: Mapping[str, str] = MappingProxyType(
    {
        "Problem": "errors.Problem.body; tests/test_errors.py checks every error path",
        "OEmbed": "oembed.oembed_body, a dict; test_oembed_answers_conform",
        "AnnotateRequest": "embedding.from_json; test_annotate_accepts_exactly_its_fields",
        "SparqlResults": "sparql_results, in the workers; test_sparql_results_conform",
        "SparqlTerm": "sparql_results; test_sparql_results_conform",
    }
)


#: GET operations answered with ``Cache-Control: no-store`` (no ETag, no 304), and why.
UNCACHED: Mapping[str, str] = MappingProxyType(
    {"cacheStats": "counters that change on every request (issue 12); /health is revalidated"}
)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec()


def test_it_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1.")
    validate(spec)


def test_it_is_read_from_the_shipped_file() -> None:
    assert spec_path().name == "openapi.yaml"
    assert spec_path().is_file()


# The route table ---------------------------------------------------------------------


def documented(spec: dict[str, Any]) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, method, _ in operations(spec)}


def served(app: Starlette) -> set[tuple[str, str]]:
    """(path, method) of every route not in :data:`NOT_API`; HEAD goes with GET."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        name = getattr(route, "name", None)
        if name in NOT_API:
            continue
        if not isinstance(route, Route):  # a mount or websocket: list it, so that it fails
            found.add((getattr(route, "path", repr(route)), "ANY"))
            continue
        methods = route.methods or set()
        found |= {(route.path, m) for m in methods if m != "HEAD" or "GET" not in methods}
    return found


@pytest.fixture(scope="module")
def routed(settings: Settings) -> Starlette:
    """The factory's app, for its route table (the lifespan need not run for that)."""
    return create_app(settings)


def test_the_paths_equal_the_app_route_table(spec: dict[str, Any], routed: Starlette) -> None:
    assert documented(spec) == served(routed)


def test_every_exclusion_names_a_route_of_the_app(routed: Starlette) -> None:
    assert set(NOT_API) <= {getattr(r, "name", None) for r in routed.routes}


def test_operation_ids_are_unique(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids))


# Parameters and their limits ---------------------------------------------------------


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


SPEC = load_spec()  # read at collection, to parametrise over its parameters and operations


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


def body_schema(spec: dict[str, Any], operation_id: str, media_type: str) -> dict[str, Any]:
    found = next(op for _, _, op in operations(spec) if op["operationId"] == operation_id)
    return resolve(spec, found["requestBody"]["content"][media_type]["schema"])


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
    assert by_name["getOEmbed", "url"]["maxLength"] == MAX_IRI
    # A GET query must also fit the HTTP server's request line, so its bound is lower.
    assert by_name["sparqlQuery", "query"]["maxLength"] < sparql.MAX_QUERY_BYTES
    form = body_schema(spec, "sparqlQueryPost", "application/x-www-form-urlencoded")
    assert form["properties"]["query"]["maxLength"] == sparql.MAX_QUERY_BYTES
    raw = body_schema(spec, "sparqlQueryPost", "application/sparql-query")
    assert raw["maxLength"] == sparql.MAX_QUERY_BYTES
    annotate = body_schema(spec, "annotate", "application/json")
    assert annotate["properties"]["text"]["maxLength"] == defaults.annotate_max_chars
    assert annotate["properties"]["lang"]["maxLength"] == MAX_LANG
    plain = body_schema(spec, "annotate", "text/plain")
    assert plain["maxLength"] == defaults.annotate_max_chars


def test_format_names_agree_with_the_code(spec: dict[str, Any]) -> None:
    formats = spec["components"]["parameters"]
    assert formats["format"]["schema"]["enum"] == [f.name for f in FORMATS]
    assert formats["rdfFormat"]["schema"]["enum"] == [f.name for f in RDF_FORMATS]
    offered = {*sparql.SOLUTION_NAMES, *sparql.GRAPH_NAMES}
    assert set(spec["components"]["schemas"]["SparqlFormat"]["enum"]) == offered


def test_media_types_agree_with_the_code(spec: dict[str, Any]) -> None:
    rdf, results = spec["x-content-sets"]["rdf"], spec["x-content-sets"]["sparql"]
    assert set(rdf) == {f.media_type for f in RDF_FORMATS}
    assert set(results) == {f.media_type for f in (*sparql.SOLUTION_FORMATS, *sparql.GRAPH_FORMATS)}


def test_sparql_documents_its_truncation_header(spec: dict[str, Any]) -> None:
    for operation in (spec["paths"]["/sparql"]["get"], spec["paths"]["/sparql"]["post"]):
        assert sparql.TRUNCATED_HEADER in operation["responses"]["200"]["headers"]


# Responses ---------------------------------------------------------------------------


def test_every_operation_documents_its_errors(spec: dict[str, Any]) -> None:
    for _, method, operation in operations(spec):
        name, responses = operation["operationId"], operation["responses"]
        assert "500" in responses, name
        if operation.get("parameters"):
            assert "400" in responses, name
        if "requestBody" in operation:  # a body can be too large or of a type not read
            assert {"413", "415"} <= set(responses), name
        headers = resolve(spec, responses.get("200", {})).get("headers", {})
        if method == "get" and "200" in responses and name in UNCACHED:
            assert "304" not in responses, name
            assert set(headers) == {"Cache-Control"}, name
        elif method == "get" and "200" in responses:
            assert "304" in responses, name
            assert {"ETag", "Cache-Control"} <= set(headers), name
        if method != "get":  # RFC 9110 §15.4.5: 304 answers only GET and HEAD
            assert "304" not in responses, name
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                content = resolve(spec, response)["content"]
                assert "application/problem+json" in content, (name, status)


def example_url(spec: dict[str, Any], path: str, operation: dict[str, Any]) -> str:
    """The operation's URL with its path examples and required query examples."""
    params = [resolve(spec, p) for p in operation.get("parameters", [])]
    for param in (p for p in params if p["in"] == "path"):
        path = path.replace("{" + param["name"] + "}", str(param["example"]))
    required = [p for p in params if p.get("required") or p.get("x-required-unless")]
    query = {p["name"]: p["example"] for p in required if p["in"] == "query"}
    return str(httpx.URL(path, params=query))


CONDITIONAL = [(path, op) for path, method, op in operations(SPEC) if "304" in op["responses"]]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "operation"), CONDITIONAL, ids=[op["operationId"] for _, op in CONDITIONAL]
)
async def test_every_documented_304_is_sent(
    client: httpx.AsyncClient, path: str, operation: dict[str, Any]
) -> None:
    url = example_url(SPEC, path, operation)
    first = await client.get(url)
    assert first.status_code == 200, (url, first.text[:200])
    again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304, url


def conforms(spec: dict[str, Any], component: str, instance: object) -> list[str]:
    """What is wrong with ``instance`` as the component schema ``component`` (nothing: [])."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    return [error.message for error in OAS31Validator(schema).iter_errors(instance)]


@pytest.mark.anyio
async def test_oembed_answers_conform(client: httpx.AsyncClient, spec: dict[str, Any]) -> None:
    url = "http://testserver/concepts/consultation"
    response = await client.get("/oembed", params={"url": url, "maxwidth": "300"})
    assert response.status_code == 200
    assert conforms(spec, "OEmbed", response.json()) == []
    assert conforms(spec, "OEmbed", {**response.json(), "extra": 1}) != []  # it can fail


@pytest.mark.anyio
@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?c ?l ?n WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
        "OPTIONAL { ?c <http://www.w3.org/2004/02/skos/core#notation> ?n } } LIMIT 5",
        'SELECT ?b ?n ?t WHERE { BIND(BNODE() AS ?b) BIND(3 AS ?n) BIND("x" AS ?t) }',
        "ASK { ?s ?p ?o }",
    ],
)
async def test_sparql_results_conform(
    client: httpx.AsyncClient, spec: dict[str, Any], query: str
) -> None:
    response = await client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert conforms(spec, "SparqlResults", response.json()) == []


@pytest.mark.anyio
async def test_annotate_accepts_exactly_its_fields(
    client: httpx.AsyncClient, spec: dict[str, Any]
) -> None:
    schema = spec["components"]["schemas"]["AnnotateRequest"]
    body = {"text": "a consultation", "lang": "en", "scheme": "engagement-glossary",
            "mentions": "first", "headings": False}  # fmt: skip
    assert set(body) | {"html"} == set(schema["properties"])
    assert conforms(spec, "AnnotateRequest", body) == []
    response = await client.post("/annotate", json=body)
    assert response.status_code == 200
    assert conforms(spec, "Annotations", response.json()) == []
    assert conforms(spec, "Annotation", response.json()["annotations"][0]) == []
    refused = await client.post("/annotate", json={**body, "other": "x"})
    assert refused.status_code == 422
    html = {**body, "html": "<p>a <b>consultation</b></p>"}
    del html["text"]
    assert conforms(spec, "AnnotateRequest", html) == []
    answer = await client.post("/annotate", json=html)
    assert conforms(spec, "Annotations", answer.json()) == []
    both = {**body, "html": "<p>x</p>"}
    assert conforms(spec, "AnnotateRequest", both) != []
    assert (await client.post("/annotate", json=both)).status_code == 422


# Component schemas -------------------------------------------------------------------


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
        if schema.get("type") == "object" and name not in UNMODELLED
    }
    assert objects == {component for _, component in MIRRORS}
