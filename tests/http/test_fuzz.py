"""No input a client can send makes a 5xx: Hypothesis against every route and GraphQL argument.

Values are arbitrary Unicode (lone surrogates included, sent as the bytes a client could
send, e.g. ``%ED%A0%80``), raw bytes that are not UTF-8, and numbers of every shape (huge,
negative, signed, padded). They go to every query parameter the service reads, on every GET
route of the app's route table, and as variables to every GraphQL argument found by
introspection. The default run is small; ``-m slow`` runs a larger one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote_from_bytes

import anyio.from_thread
import httpx
import pytest
from asgi_lifespan import LifespanManager
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Route

from api.app import create_app
from api.rest.openapi import load_spec, operations
from api.settings import Settings
from tests.conftest import VOCAB

#: An address the per-client rate limit exempts by default: the fuzzer is one fast client.
LOCAL_CLIENT = ("127.0.0.1", 50000)
#: Path parameters for each GET route that has them: a known resource, so the query runs.
PATH_PARAMS: dict[str, dict[str, str]] = {
    "concept": {"id": "consultation"},
    "scheme": {"id": "engagement-glossary"},
    "scheme-top-concepts": {"id": "engagement-glossary"},
    "concept-broader": {"id": "co-production"},
    "concept-narrower": {"id": "engagement"},
    "concept-related": {"id": "consultation"},
    "concept-hierarchy": {"id": "co-production"},
    "concept-distinctions": {"id": "participation"},
    "collection": {"id": "engagement-spectrum"},
    "a-z": {"letter": "c"},
    "concept-card": {"id": "consultation"},
    "dump": {"name": "engagement-glossary.ttl"},
    "ontology-part": {"name": "Distinction"},
    "graphiql-asset": {"name": "graphiql-start.js"},
}
#: Query parameters read outside the REST contract: pages, GraphQL GET, the SPARQL protocol.
OTHER_PARAMETERS = ("q", "query", "variables", "operationName", "extensions",
                    "default-graph-uri", "named-graph-uri", "format")  # fmt: skip
#: Where each GraphQL type with arguments on its fields is reached from the root.
GRAPHQL_ROOTS: dict[str, tuple[str, ...]] = {
    "Query": (),
    "Concept": ('concept(id: "consultation")',),
    "Scheme": ('scheme(id: "engagement-glossary")',),
    "Collection": ('collection(id: "engagement-spectrum")',),
    "Distinction": ('concept(id: "participation")', "distinctions"),
}
INTROSPECTION = """{ __schema { types { name kind fields { name args { name type { ...T } }
  type { ...T } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"""


# What a client may send -------------------------------------------------------------

#: Every code point, lone surrogates (category Cs) included.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
#: Integers as JSON or query text: any size Python prints, and past its 4,300-digit limit.
numbers = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.integers(min_value=10**30, max_value=10**60).map(str),
    st.sampled_from(["9" * 5000, "-" + "9" * 5000, "0", "-1", "1", "1e999", "-0"]),
)


@st.composite
def numerals(draw: st.DrawFn) -> str:
    """A number as text: signed, padded with spaces or zeros, or huge."""
    digits = draw(numbers).lstrip("-") if draw(st.booleans()) else str(draw(st.integers(0, 99)))
    sign = draw(st.sampled_from(["", "+", "-", " ", "+ "]))
    pad = draw(st.sampled_from(["", "0", "00", " ", "\t"]))
    return sign + pad + digits + draw(st.sampled_from(["", " ", ".5", "e3"]))


def encoded(text: str) -> str:
    """Percent-encoded UTF-8, lone surrogates as the three bytes a careless encoder sends."""
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


#: Values that broke parsers before (already encoded): an unclosed IPv6 host, NUL, lone
#: surrogates, overlong UTF-8, a NaN, a huge number.
KNOWN_HOSTILE = ("http://%5B::1", "http://[", "https://[::1]:99999/x", "%00", "%ED%A0%80",
                 "%C0%AF", "NaN", "-inf", "9" * 5000, "%2B5", "+5", "%20", "")  # fmt: skip
query_values = st.one_of(
    st.sampled_from(KNOWN_HOSTILE),
    any_text.map(encoded),
    st.binary(max_size=12).map(lambda raw: quote_from_bytes(raw, safe="")),
    numerals().map(encoded),
)


# The app ------------------------------------------------------------------------------


class Client:
    """httpx against the app in-process, called from Hypothesis's synchronous tests."""

    def __init__(
        self, portal: anyio.from_thread.BlockingPortal, app: Starlette, manager: LifespanManager
    ) -> None:
        # raise_app_exceptions: an error no handler answered fails the test, 500 or not.
        transport = httpx.ASGITransport(app=manager.app, client=LOCAL_CLIENT)
        self.app, self.portal = app, portal
        self.http = httpx.AsyncClient(transport=transport, base_url="http://localhost")

    def get(self, url: str) -> httpx.Response:
        return self.portal.call(self.http.get, url)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.http.post(url, **kwargs))


async def started(app: Starlette) -> LifespanManager:
    return LifespanManager(app, startup_timeout=120)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    app = create_app(Settings(vocab=(VOCAB,)))
    with anyio.from_thread.start_blocking_portal() as portal:
        manager = portal.call(started, app)  # asgi-lifespan must be made in the event loop
        with portal.wrap_async_context_manager(manager):
            running = Client(portal, app, manager)
            yield running
            portal.call(running.http.aclose)


def get_routes(client: Client) -> list[tuple[str, str, str]]:
    """(name, route path, URL path) of every GET route, path parameters filled in."""
    found = []
    for route in client.app.routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            params = PATH_PARAMS.get(route.name, {})
            assert set(params) == set(route.param_convertors), f"add {route.name} to PATH_PARAMS"
            found.append((route.name, route.path, route.url_path_for(route.name, **params)))
    return found


def declared_parameters() -> dict[str, list[str]]:
    """Route path → the query parameters the REST contract gives it, and those every route
    may read (``format``, ``lang``); ``"*"`` → every name, for routes outside the contract."""
    spec = load_spec()
    shared = spec["components"]["parameters"]
    names: dict[str, set[str]] = {}
    for path, _, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            if "$ref" in parameter:
                parameter = shared[parameter["$ref"].rsplit("/", 1)[1]]
            if parameter["in"] == "query":
                names.setdefault(path, {"format", "lang"}).add(parameter["name"])
    everything = set(OTHER_PARAMETERS).union(*names.values())
    return {path: sorted(found) for path, found in {**names, "*": everything}.items()}


def assert_answered(status: int, what: str) -> None:
    assert status < 500, what


# REST, pages, widgets, linked data ---------------------------------------------------

DECLARED = declared_parameters()


def pairs(names: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(st.tuples(st.sampled_from(names), query_values), min_size=1, max_size=3)


FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture])  # fmt: skip
# Each example visits every GET route (about 60 since the protocols and pages of issues 13-15),
# so 200 examples make as many requests as 600 did over the 20 routes of issue 10, and keep
# the suite inside CI's 20 minutes under coverage.
MORE = settings(FUZZ, max_examples=200)


def send_query(client: Client, data: Any) -> None:
    for name, route, path in get_routes(client):
        chosen = data.draw(pairs(DECLARED.get(route, DECLARED["*"])), label=name)
        query = "&".join(f"{key}={value}" for key, value in chosen)
        response = client.get(f"{path}?{query}")
        assert_answered(response.status_code, f"GET {path}?{query}")
    annotate_query = "&".join(
        f"{k}={v}" for k, v in data.draw(pairs(DECLARED["/annotate"]), label="annotate")
    )
    body = data.draw(any_text, label="text")
    response = client.post(
        f"/annotate?{annotate_query}",
        content=body.encode("utf-8", "surrogatepass"),
        headers={"Content-Type": "text/plain"},
    )
    assert_answered(response.status_code, f"POST /annotate?{annotate_query}")
    escaped = json.dumps({"text": body, "lang": data.draw(any_text), "scheme": data.draw(any_text)})
    response = client.post(
        "/annotate", content=escaped, headers={"Content-Type": "application/json"}
    )
    assert_answered(response.status_code, f"POST /annotate {escaped}")


@FUZZ
@given(data=st.data())
def test_no_query_parameter_makes_a_server_error(client: Client, data: Any) -> None:
    send_query(client, data)


@pytest.mark.slow
@MORE
@given(data=st.data())
def test_no_query_parameter_makes_a_server_error_in_a_longer_run(client: Client, data: Any) -> None:
    send_query(client, data)


# GraphQL ------------------------------------------------------------------------------


def unwrapped(kind: dict[str, Any]) -> dict[str, Any]:
    while kind.get("ofType"):
        kind = kind["ofType"]
    return kind


def graphql_fields(client: Client) -> list[tuple[str, dict[str, Any]]]:
    """(type name, field) of every field that takes arguments, on any type."""
    response = client.post("/graphql", json={"query": INTROSPECTION})
    types = response.json()["data"]["__schema"]["types"]
    return [
        (kind["name"], field)
        for kind in types
        if not kind["name"].startswith("__")
        for field in kind["fields"] or ()
        if field["args"]
    ]


def json_value(data: Any, scalar: str) -> str:
    """A JSON value for an argument: usually of its type, sometimes not, never tame."""
    if scalar == "Int" or data.draw(st.integers(0, 4)) == 0:
        return data.draw(numbers)
    if scalar == "Boolean":
        return data.draw(st.sampled_from(["true", "false", "null", '"yes"']))
    return json.dumps(data.draw(any_text))  # lone surrogates become "\ud800" escapes


def graphql_request(owner: str, field: dict[str, Any], data: Any) -> bytes:
    """A query calling ``field`` of ``owner`` with every argument as a fuzzed variable."""
    declared, passed, values = [], [], []
    for argument in field["args"]:
        kind = argument["type"]
        type_name = unwrapped(kind)["name"]
        declared.append(f"${argument['name']}: {type_name}")
        passed.append(f"{argument['name']}: ${argument['name']}")
        values.append(f'"{argument["name"]}": {json_value(data, type_name)}')
    needs_selection = unwrapped(field["type"])["kind"] in ("OBJECT", "INTERFACE", "UNION")
    selection = f"{field['name']}({', '.join(passed)})" + (
        " { __typename }" if needs_selection else ""
    )
    for outer in reversed(GRAPHQL_ROOTS[owner]):
        selection = f"{outer} {{ {selection} }}"
    operation = json.dumps(data.draw(any_text | st.just("Q"), label="operationName"))
    query = json.dumps(f"query Q({', '.join(declared)}) {{ {selection} }}")
    body = (
        f'{{"query": {query}, "variables": {{{", ".join(values)}}}, "operationName": {operation}}}'
    )
    return body.encode()


def send_graphql(client: Client, data: Any) -> None:
    for owner, field in graphql_fields(client):
        assert owner in GRAPHQL_ROOTS, f"add {owner} to GRAPHQL_ROOTS"
        body = graphql_request(owner, field, data)
        response = client.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )
        assert_answered(response.status_code, body.decode())
        codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors", ())]
        assert "INTERNAL_SERVER_ERROR" not in codes, (body.decode(), response.text)


@FUZZ
@given(data=st.data())
def test_no_graphql_argument_makes_a_server_error(client: Client, data: Any) -> None:
    send_graphql(client, data)


@pytest.mark.slow
@MORE
@given(data=st.data())
def test_no_graphql_argument_makes_a_server_error_in_a_longer_run(
    client: Client, data: Any
) -> None:
    send_graphql(client, data)
