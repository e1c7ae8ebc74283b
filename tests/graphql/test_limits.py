"""Attack documents, each answered fast with an error that names the limit, and the server
healthy afterwards: against the ASGI app and against a real uvicorn."""

from __future__ import annotations

import logging
import socket
import time
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import strawberry
from graphql import GraphQLError, parse
from starlette.applications import Starlette
from starlette.types import Message

from api.graphql.arguments import InvalidArgumentError
from api.graphql.limits import (
    MASKED_MESSAGE,
    MAX_EXPANDED_FIELDS,
    MAX_OBJECTS,
    Budget,
    FragmentShape,
    TooManyObjectsError,
    extensions,
    is_unexpected,
    mask,
)
from api.graphql.query import Schema
from api.settings import Settings

#: Generous: timing belongs to the benchmarks; this catches a hang, not a slowdown.
PATIENCE = 5.0


def nested(levels: int) -> str:
    return (
        '{ concept(id: "consultation") ' + "{ broader " * levels + "{ id }" + " }" * levels + " }"
    )


def fan_out(links: int) -> str:
    """Fragments each spreading the next twice: 2**links fields once expanded."""
    chain = " ".join(f"fragment F{i} on Scheme {{ ...F{i + 1} ...F{i + 1} }}" for i in range(links))
    return f"{{ schemes {{ ...F0 }} }} {chain} fragment F{links} on Scheme {{ id }}"


#: name -> (request body, status, code or problem type, what the message says)
ATTACKS: dict[str, tuple[Any, int, str, str]] = {
    "depth 50": ({"query": nested(50)}, 200, "GRAPHQL_VALIDATION_FAILED",
                 "exceeds maximum operation depth of 10"),
    "1,000 aliases": (
        {"query": '{ concept(id: "consultation") { '
                  + " ".join(f"a{i}: id" for i in range(1000)) + " } }"},
        200, "GRAPHQL_VALIDATION_FAILED", "1000 aliases found. Allowed: 30",
    ),
    "circular fragments": (
        {"query": '{ concept(id: "consultation") { ...A } } '
                  "fragment A on Concept { broader { ...B } } "
                  "fragment B on Concept { narrower { ...A } }"},
        200, "GRAPHQL_VALIDATION_FAILED", "Cannot spread fragment 'A' within itself via 'B'.",
    ),
    "100,000 tokens": ({"query": "{ " + "id " * 100_000 + "}"}, 413, "payload-too-large",
                       "GraphQL requests are limited to 100,000 bytes"),
    "6,000 tokens": ({"query": "{ " + "id " * 6_000 + "}"}, 200, "GRAPHQL_PARSE_FAILED",
                     "Document contains more than 5000 tokens"),
    "nested __type loops": (
        {"query": '{ __type(name: "Concept") { fields { type { ofType { fields { type '
                  "{ ofType { fields { type { name fields { name } } } } } } } } } } }"},
        200, "GRAPHQL_VALIDATION_FAILED", "Maximum introspection depth exceeded",
    ),
    "nested __schema loops": (
        {"query": "{ __schema { types { fields { type { fields { type { fields { type "
                  "{ fields { name } } } } } } } } } }"},
        200, "GRAPHQL_VALIDATION_FAILED", "Maximum introspection depth exceeded",
    ),
    "1 MB query string": ({"query": "{ schemes { id } }" + " " * 1_000_000}, 413,
                          "payload-too-large", "GraphQL requests are limited"),
    "variables of the wrong type": (
        {"query": "query($first: Int) { concepts(first: $first) { totalCount } }",
         "variables": {"first": "ten"}},
        200, "BAD_USER_INPUT", "Variable '$first' has invalid value",
    ),
    "fragments doubling 30 times": ({"query": fan_out(30)}, 200, "GRAPHQL_VALIDATION_FAILED",
                                    f"expand to more than {MAX_EXPANDED_FIELDS} fields"),
    "a chain of 500 fragments": (
        {"query": "{ schemes { ...F0 } } "
                  + " ".join(f"fragment F{i} on Scheme {{ ...F{i + 1} }}" for i in range(500))
                  + " fragment F500 on Scheme { id }"},
        200, "GRAPHQL_VALIDATION_FAILED", "Fragment spreads nest more than 50 deep",
    ),
    "an unknown fragment": ({"query": "{ ...Missing }"}, 200, "GRAPHQL_VALIDATION_FAILED",
                            "Unknown fragment 'Missing'."),
    "fan-out through transitive lists": (
        {"query": "{ concepts(first: 100) { nodes { narrowerTransitive { broaderTransitive "
                  "{ narrowerTransitive { broaderTransitive { narrowerTransitive { id } } } } "
                  "} } } }"},
        200, "BAD_USER_INPUT", f"The query asks for more than {MAX_OBJECTS} concepts",
    ),
    "a batch": ([{"query": "{ schemes { id } }"}] * 3, 400, "bad-request",
                "Batching is not enabled"),
}  # fmt: skip


def check(response: httpx.Response, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.text[:500]
    body = response.json()
    if status == 200:
        first = body["errors"][0]
        assert message in first["message"]
        assert first["extensions"]["code"] == code
        assert body["data"] is None or all(v is None for v in body["data"].values())
        assert response.headers["cache-control"] == "no-store"
    else:
        assert response.headers["content-type"] == "application/problem+json"
        assert body["type"].endswith("/" + code)
        assert message in body["detail"]


@pytest.mark.anyio
@pytest.mark.parametrize(("body", "status", "code", "message"), ATTACKS.values(), ids=ATTACKS)
async def test_attacks_on_the_app(
    client: httpx.AsyncClient, body: Any, status: int, code: str, message: str
) -> None:
    started = time.perf_counter()
    response = await client.post("/graphql", json=body)
    assert time.perf_counter() - started < PATIENCE
    check(response, status, code, message)
    assert (await client.get("/health")).status_code == 200


@pytest.mark.server
@pytest.mark.parametrize(("body", "status", "code", "message"), ATTACKS.values(), ids=ATTACKS)
def test_attacks_on_a_real_server(
    server_url: str, body: Any, status: int, code: str, message: str
) -> None:
    started = time.perf_counter()
    response = httpx.post(server_url + "/graphql", json=body, timeout=PATIENCE * 2)
    assert time.perf_counter() - started < PATIENCE
    check(response, status, code, message)
    assert httpx.get(server_url + "/health", timeout=PATIENCE).status_code == 200


MEGABYTE_URL = "/graphql?query=" + quote("{ schemes { id } }" + " " * 1_000_000)


def status_of_raw_get(base: str, target: str) -> int | None:
    """Send a request line httpx would refuse to build; the status, or ``None`` if the server
    closed the connection instead of answering."""
    url = httpx.URL(base)
    with socket.create_connection((url.host, url.port or 80), timeout=PATIENCE) as sock:
        request = f"GET {target} HTTP/1.1\r\nHost: {url.host}\r\nConnection: close\r\n\r\n"
        try:
            sock.sendall(request.encode())
            status_line = sock.makefile("rb").readline()
        except OSError:
            return None
    return int(status_line.split()[1]) if status_line else None


@pytest.mark.server
def test_a_megabyte_url_is_refused_by_a_real_server(server_url: str) -> None:
    started = time.perf_counter()
    status = status_of_raw_get(server_url, MEGABYTE_URL)
    assert time.perf_counter() - started < PATIENCE
    # Our 413, or the HTTP server's own refusal of a request line that long.
    assert status is None or 400 <= status < 500
    assert httpx.get(server_url + "/health", timeout=PATIENCE).status_code == 200


@pytest.mark.anyio
async def test_a_megabyte_url_is_refused_by_the_app(app: Starlette) -> None:
    path, _, query = MEGABYTE_URL.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 413
    body = b"".join(message.get("body", b"") for message in sent[1:])
    assert b"GraphQL requests are limited" in body


@pytest.mark.anyio
async def test_a_long_body_without_a_length_is_cut_off(client: httpx.AsyncClient) -> None:
    async def chunks() -> Any:
        yield b'{"query": "{ schemes { id } }'
        for _ in range(200):
            yield b" " * 1000
        yield b'"}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    check(response, 413, "payload-too-large", "GraphQL requests are limited")


@pytest.mark.anyio
async def test_the_depth_limit_is_exact(client: httpx.AsyncClient) -> None:
    at_limit = (await client.post("/graphql", json={"query": nested(9)})).json()
    assert "errors" not in at_limit
    beyond = (await client.post("/graphql", json={"query": nested(10)})).json()
    assert "exceeds maximum operation depth of 10" in beyond["errors"][0]["message"]


# The pieces, on their own ---------------------------------------------------------------


def test_the_budget_runs_out_with_a_clear_error() -> None:
    budget = Budget(limit=3)
    budget.spend(3)
    with pytest.raises(TooManyObjectsError, match="more than 3 concepts"):
        budget.spend(1)


def test_only_unexpected_errors_are_masked() -> None:
    ours = GraphQLError("Argument 'x' is bad", original_error=InvalidArgumentError("x", "is bad"))
    graphql_own = GraphQLError("Cannot query field 'nope' on type 'Query'.")
    bug = GraphQLError("division by zero at /srv/app.py:12", original_error=ZeroDivisionError())
    assert [is_unexpected(e) for e in (ours, graphql_own, bug)] == [False, False, True]
    masked = mask([ours, graphql_own, bug])
    assert masked[:2] == [ours, graphql_own]
    assert masked[2].message == MASKED_MESSAGE
    assert masked[2].extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert "srv" not in str(masked[2].formatted)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("{ a { b } c }", None),
        ("{ ...A } fragment A on Q { x ...B ...B } fragment B on Q { y z }", None),
        (fan_out(20), f"The query's fragments expand to more than {MAX_EXPANDED_FIELDS} fields."),
        ("{ ...A } fragment A on Q { ...A }", ""),  # cyclic: graphql-core reports it
        ("{ ...Nowhere }", ""),  # unknown: graphql-core reports it
    ],
)
def test_fragment_shapes(document: str, reason: str | None) -> None:
    parsed = parse(document)
    assert FragmentShape(parsed).check(parsed) == reason


@strawberry.type
class Broken:
    """A schema with a bug in it, to see what a client and the log get."""

    @strawberry.field
    def divide(self) -> int | None:
        return 1 // 0

    @strawberry.field
    def refuse(self) -> int | None:
        raise InvalidArgumentError("x", "is not usable")


@pytest.mark.anyio
async def test_a_bug_is_masked_for_the_client_and_logged(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    schema = Schema(query=Broken, extensions=extensions(settings))
    with caplog.at_level(logging.ERROR, logger="api"):
        result = await schema.execute("{ divide refuse }")
    assert result.errors is not None
    messages = {str(error.path[0]): error.formatted for error in result.errors if error.path}
    assert messages["divide"]["message"] == MASKED_MESSAGE
    assert messages["divide"]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert messages["refuse"]["message"] == "Argument 'x' is not usable"
    assert [record.exc_info[0] for record in caplog.records if record.exc_info] == [
        ZeroDivisionError
    ]
