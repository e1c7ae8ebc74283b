"""The /graphql endpoint over HTTP: GET and POST, caching, GraphiQL, and problem bodies for
requests that never reach GraphQL."""

from __future__ import annotations

import inspect
import json
from urllib.parse import urlencode

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import Message

from api.settings import Settings
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio

QUERY = "query($id: ID) { concept(id: $id) { prefLabel } }"


def params(concept: str = "consultation") -> dict[str, str]:
    return {"query": QUERY, "variables": json.dumps({"id": concept})}


async def test_get_answers_with_strong_caching_headers(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    response = await client.get("/graphql", params=params())
    assert response.status_code == 200
    assert response.json() == {"data": {"concept": {"prefLabel": "consultation"}}}
    assert response.headers["cache-control"] == f"public, max-age={settings.cache_max_age}"
    assert response.headers["etag"].startswith('"')
    assert "Accept" in response.headers["vary"].replace(" ", "").split(",")


async def test_if_none_match_gets_304_without_a_body(client: httpx.AsyncClient) -> None:
    first = await client.get("/graphql", params=params())
    again = await client.get(
        "/graphql", params=params(), headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"].startswith("public")


async def test_the_etag_follows_the_query_and_its_variables(client: httpx.AsyncClient) -> None:
    consultation = await client.get("/graphql", params=params("consultation"))
    information = await client.get("/graphql", params=params("information"))
    repeated = await client.get("/graphql", params=params("consultation"))
    assert consultation.headers["etag"] != information.headers["etag"]
    assert consultation.headers["etag"] == repeated.headers["etag"]
    stale = await client.get(
        "/graphql",
        params=params("information"),
        headers={"if-none-match": consultation.headers["etag"]},
    )
    assert stale.status_code == 200


async def test_answers_with_errors_are_not_cached(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ nope }"})
    assert response.status_code == 200
    assert response.json()["errors"]
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_post_is_not_cached(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": QUERY, "variables": {"id": "consultation"}}
    )
    assert response.json() == {"data": {"concept": {"prefLabel": "consultation"}}}
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_a_browser_gets_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_a_get_without_a_query_from_a_script_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "*/*"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "No GraphQL query found in the request"


@pytest.mark.parametrize(
    ("content", "content_type", "detail"),
    [
        (b"{not json", "application/json", "Unable to parse request body as JSON"),
        (b"{ schemes { id } }", "text/plain", "Unsupported content type"),
        (b'{"query": 42}', "application/json", "The GraphQL operation's `query` must be a string"),
        (b'{"query": "{ schemes { id } }", "variables": []}', "application/json",
         "The GraphQL operation's `variables` must be an object"),
    ],
)  # fmt: skip
async def test_unreadable_requests_are_problems(
    client: httpx.AsyncClient, content: bytes, content_type: str, detail: str
) -> None:
    response = await client.post(
        "/graphql", content=content, headers={"content-type": content_type}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"].endswith("/bad-request")
    assert body["detail"].startswith(detail)
    assert response.headers["cache-control"] == "no-store"


async def test_get_with_unreadable_variables_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": QUERY, "variables": "{oops"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Unable to parse request body as JSON"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_not_allowed(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/graphql")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "POST"}


async def test_head_sends_no_body_bytes(app: Starlette) -> None:
    """httpx drops a HEAD answer's body itself, so this listens to the ASGI messages."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "HEAD",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "root_path": "",
        "query_string": urlencode(params()).encode(), "client": ("127.0.0.1", 1),
        "server": ("localhost", 80), "headers": [(b"host", b"localhost")],
    }  # fmt: skip
    await app(scope, receive, send)
    assert sent[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b""
    length = dict(sent[0]["headers"])[b"content-length"]
    assert int(length) > 0  # GET's length: RFC 9110 §9.3.2


async def test_head_answers_get_s_headers_without_a_body(client: httpx.AsyncClient) -> None:
    got = await client.get("/graphql", params=params())
    head = await client.head("/graphql", params=params())
    assert head.status_code == 200
    assert head.content == b""
    for name in ("etag", "cache-control", "content-type", "content-length", "vary"):
        assert head.headers[name] == got.headers[name], name
    empty = await client.head("/graphql", params={"query": ""})
    assert empty.status_code == (await client.get("/graphql", params={"query": ""})).status_code


@pytest.mark.parametrize(
    "query",
    [
        # Python refuses to parse integers over 4,300 digits (a ValueError, not JSON's own).
        '{"query": "query($n: Int) { concepts(first: $n) { totalCount } }", '
        '"variables": {"n": ' + "9" * 5000 + "}}",
        '{"query": "{ schemes { id } }", "variables": {"x": '
        + "[" * 100_000
        + "]" * 100_000
        + "}}",
    ],
    ids=["huge-integer", "deep-nesting"],
)
async def test_json_python_cannot_read_is_a_400(client: httpx.AsyncClient, query: str) -> None:
    response = await client.post(
        "/graphql", content=query.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code in (400, 413), response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_huge_integer_names_the_reason(client: httpx.AsyncClient) -> None:
    variables = '{"n": ' + "9" * 5000 + "}"
    response = await client.get("/graphql", params={"query": "{ schemes { id } }",
                                                    "variables": variables})  # fmt: skip
    assert response.status_code == 400
    assert response.json()["detail"].endswith("a number has more than 4,300 digits")


async def test_a_lone_surrogate_in_the_operation_name_is_a_400(client: httpx.AsyncClient) -> None:
    body = b'{"query": "query Q { schemes { id } }", "operationName": "\\ud800"}'
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == 'Unknown operation named "\ufffd".'


@pytest.mark.parametrize(
    "query",
    [
        "query=%7B%20schemes%20%7B%20id%20%7D%20%7D&query=%7B%20schemes%20%7D",
        "query=%7B%20schemes%20%7B%20id%20%7D%20%7D&operationName=%FF",
        "query=%ED%A0%80",
    ],
)
async def test_get_parameters_are_single_and_utf_8(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"/graphql?{query}")
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-parameter")


async def test_graphiql_can_be_switched_off(settings: Settings) -> None:
    browser = {"accept": "text/html,application/xhtml+xml"}
    async with running_app(settings.model_copy(update={"graphql_ide": False})) as running:
        response = await running.client.get("/graphql", headers=browser)
        assert response.status_code == 400
        assert "GraphiQL is switched off" in response.text  # an HTML problem page
        queried = await running.client.get("/graphql", params=params(), headers=browser)
        assert queried.status_code == 200


async def test_a_declared_oversized_body_is_refused_unread(client: httpx.AsyncClient) -> None:
    body = json.dumps({"query": "{ schemes { id } }", "variables": {"x": "y" * 200_000}})
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["limit"] == 100_000


async def test_cross_origin_pages_may_read_answers(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params=params(), headers={"origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"


KEPT_QUERY = "query ($id: ID!) { concept(id: $id) { id prefLabel } }"


async def test_kept_answers_follow_the_variables(client: httpx.AsyncClient) -> None:
    for concept in ("consultation", "participation", "consultation", "participation"):
        response = await client.post(
            "/graphql", json={"query": KEPT_QUERY, "variables": {"id": concept}}
        )
        assert response.json()["data"]["concept"]["id"] == concept


async def test_an_answer_with_errors_is_not_kept(settings: Settings) -> None:
    async with running_app(settings) as running:
        answers = running.runtime.current.caches.answers
        bad = {"query": KEPT_QUERY, "variables": {"id": ["not", "an", "id"]}}
        for _ in range(2):
            response = await running.client.post("/graphql", json=bad)
            assert response.json()["errors"], response.text
            assert response.headers["cache-control"] == "no-store"
        assert len(answers) == 0
        good = {"query": KEPT_QUERY, "variables": {"id": "consultation"}}
        await running.client.post("/graphql", json=good)
        assert len(answers) == 1  # the cache works: only the error was left out


async def test_a_replayed_answer_equals_the_first_and_gains_no_headers(
    client: httpx.AsyncClient,
) -> None:
    body = {"query": KEPT_QUERY, "variables": {"id": "co-design"}}
    answers = [await client.post("/graphql", json=body) for _ in range(3)]
    assert {a.content for a in answers} == {answers[0].content}
    for answer in answers:
        assert answer.headers.get_list("content-security-policy") == [
            answers[0].headers["content-security-policy"]
        ]
        assert answer.headers["cache-control"] == "no-store"


#: strawberry hooks the view overrides that strawberry does not document (see the
#: docstring of ``api.graphql.view``), with the parameters the overrides rely on. If an
#: upgrade changes one, this fails before a request does.
UNDOCUMENTED_HOOKS = {
    "parse_http_body": ["self", "request"],
    "execute_single": [
        "self", "request", "request_adapter", "sub_response", "context", "root_value",
        "request_data",
    ],
    "should_render_graphql_ide": ["self", "request"],
    "decode_json": ["self", "data"],
}  # fmt: skip


@pytest.mark.parametrize(("hook", "parameters"), sorted(UNDOCUMENTED_HOOKS.items()))
def test_the_undocumented_strawberry_hooks_are_still_there(
    hook: str, parameters: list[str]
) -> None:
    from strawberry.asgi import GraphQL

    found = getattr(GraphQL, hook, None)
    assert found is not None, f"strawberry's GraphQL view has no {hook} any more"
    assert list(inspect.signature(found).parameters) == parameters
