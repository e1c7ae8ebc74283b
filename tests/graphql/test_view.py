"""The /graphql endpoint over HTTP: GET and POST, caching, GraphiQL, and problem bodies for
requests that never reach GraphQL."""

from __future__ import annotations

import inspect
import json

import httpx
import pytest

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


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "HEAD"])
async def test_other_methods_are_not_allowed(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/graphql")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


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
}  # fmt: skip


@pytest.mark.parametrize(("hook", "parameters"), sorted(UNDOCUMENTED_HOOKS.items()))
def test_the_undocumented_strawberry_hooks_are_still_there(
    hook: str, parameters: list[str]
) -> None:
    from strawberry.asgi import GraphQL

    found = getattr(GraphQL, hook, None)
    assert found is not None, f"strawberry's GraphQL view has no {hook} any more"
    assert list(inspect.signature(found).parameters) == parameters
