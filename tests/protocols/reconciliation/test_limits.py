"""Bad input to /reconcile is a clear 4xx problem, never a 500; every limit is a setting;
JSONP only with a checked name; CORS as on every route."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from api.settings import Settings
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio

PROBLEM = "application/problem+json"


def batch(count: int, **fields: object) -> str:
    return json.dumps({f"q{i}": {"query": "consultation", **fields} for i in range(count)})


@pytest.fixture(scope="module")
async def limited(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The glossary with small reconciliation limits."""
    small = settings.model_copy(
        update={
            "reconcile_max_queries": 3,
            "reconcile_max_candidates": 4,
            "reconcile_max_body_bytes": 2048,
        }
    )
    async with running_app(small) as running:
        yield running.client


@pytest.mark.parametrize(
    ("params", "status", "names"),
    [
        ({"queries": "not json"}, 400, "queries"),
        ({"queries": "[]"}, 400, "queries"),
        ({"queries": "{}"}, 400, "queries"),
        ({"queries": '{"q0": "consultation"}'}, 400, "queries.q0"),
        ({"queries": '{"q0": {"query": 5}}'}, 400, "queries.q0.query"),
        ({"queries": '{"q0": {"query": "  "}}'}, 400, "queries.q0.query"),
        ({"queries": '{"q0": {"query": "a\\u0000b"}}'}, 400, "queries.q0.query"),
        ({"queries": '{"q0": {"query": "x", "colour": 1}}'}, 400, "queries.q0"),
        ({"queries": '{"q0": {"query": "x", "type": "http://x.org/T"}}'}, 400, "queries.q0.type"),
        ({"queries": '{"q0": {"query": "x", "type": [1]}}'}, 400, "queries.q0.type"),
        ({"queries": '{"q0": {"query": "x", "limit": 0}}'}, 400, "queries.q0.limit"),
        ({"queries": '{"q0": {"query": "x", "limit": 2.5}}'}, 400, "queries.q0.limit"),
        ({"queries": '{"q0": {"query": "x", "limit": true}}'}, 400, "queries.q0.limit"),
        (
            {"queries": '{"q0": {"query": "x", "type_strict": "maybe"}}'},
            400,
            "queries.q0.type_strict",
        ),
        ({"queries": '{"q0": {"query": "x", "properties": {}}}'}, 400, "queries.q0.properties"),
        (
            {"queries": '{"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}'},
            400,
            "queries.q0.properties[0].pid",
        ),
        ({"queries": '{"q0": {"properties": []}}'}, 400, "queries.q0"),
        ({"queries": "[" * 5000 + "]" * 5000}, 400, "queries"),
        ({"query": "{broken"}, 400, "query"),
        (
            {"extend": '{"ids": "co-production", "properties": [{"id": "definition"}]}'},
            400,
            "extend.ids",
        ),
        (
            {"extend": '{"ids": ["co-production"], "properties": [{"id": "colour"}]}'},
            400,
            "extend.properties[0]",
        ),
        ({"extend": '{"ids": ["co-production"], "properties": []}'}, 400, "extend.properties"),
        ({"extend": '{"ids": [], "properties": [{"id": "definition"}], "x": 1}'}, 400, "extend"),
        ({"callback": "alert(1)//"}, 400, "callback"),
        # Echoed back as keys: a lone surrogate could not be written as UTF-8 (was a 500).
        ({"queries": '{"\\ud800": {"query": "consultation"}}'}, 400, "queries"),
        (
            {"extend": '{"ids": ["\\ud800"], "properties": [{"id": "definition"}]}'},
            400,
            "extend.ids",
        ),
    ],
)
async def test_bad_queries_are_400_problems(
    client: httpx.AsyncClient, params: dict[str, str], status: int, names: str
) -> None:
    for response in (
        await client.get("/reconcile", params=params),
        await client.post("/reconcile", data=params),
    ):
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["invalid_params"][0]["name"] == names


async def test_the_batch_size_is_a_setting(limited: httpx.AsyncClient) -> None:
    assert (await limited.post("/reconcile", data={"queries": batch(3)})).status_code == 200
    response = await limited.post("/reconcile", data={"queries": batch(4)})
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    extend = {"ids": ["a", "b", "c", "d"], "properties": [{"id": "definition"}]}
    assert (await limited.post("/reconcile", json=extend)).status_code == 413


async def test_the_candidates_per_query_are_a_setting(limited: httpx.AsyncClient) -> None:
    ok = await limited.post("/reconcile", data={"queries": batch(1, limit=4)})
    assert ok.status_code == 200
    too_many = await limited.post("/reconcile", data={"queries": batch(1, limit=5)})
    assert too_many.status_code == 400
    assert (await limited.get("/reconcile/suggest/entity?prefix=co&limit=5")).status_code == 400


async def test_the_body_size_is_a_setting(limited: httpx.AsyncClient) -> None:
    body = {"queries": json.dumps({"q0": {"query": "consultation " * 200}})}
    response = await limited.post("/reconcile", data=body)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
        for _ in range(10):
            yield b"x" * 1000

    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    response = await limited.post("/reconcile", content=chunks(), headers=headers)
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("content", "headers", "status"),
    [
        (b"<queries/>", {"Content-Type": "application/xml"}, 415),
        (b"queries=1", {}, 415),
        (b"{not json", {"Content-Type": "application/json"}, 400),
        (b'["q0"]', {"Content-Type": "application/json"}, 400),
        (b'{"queries": {}}', {"Content-Type": "application/json"}, 400),
        (b'{"queries": [{"query": "x"}], "more": 1}', {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe", {"Content-Type": "application/json"}, 400),
        (b"queries=%FF", {"Content-Type": "application/x-www-form-urlencoded"}, 400),
        (b"queries=1&queries=2", {"Content-Type": "application/x-www-form-urlencoded"}, 400),
        (b"", {"Content-Type": "application/x-www-form-urlencoded"}, 400),
        (b"x", {"Content-Type": "application/x-www-form-urlencoded; charset=klingon"}, 400),
    ],
)
async def test_bad_bodies_are_4xx_problems(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str], status: int
) -> None:
    response = await client.post("/reconcile", content=content, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "url",
    [
        "/reconcile/suggest/entity",
        "/reconcile/suggest/entity?prefix=",
        "/reconcile/suggest/entity?prefix=co&cursor=-1",
        "/reconcile/suggest/entity?prefix=co&type=http://x.org/T",
        "/reconcile/properties?type=http://x.org/T",
        "/reconcile/properties?limit=0",
        "/reconcile?queries=1&queries=2",
    ],
)
async def test_bad_service_parameters_are_400(client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(url)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM


async def test_jsonp_wraps_json_in_a_checked_callback(client: httpx.AsyncClient) -> None:
    response = await client.get("/reconcile/suggest/entity?prefix=co-p&callback=jQuery_1.cb")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.text.startswith("/**/jQuery_1.cb({")
    assert response.text.endswith("});")
    plain = await client.get("/reconcile/suggest/entity?prefix=co-p")
    assert response.text == f"/**/jQuery_1.cb({plain.text});"


async def test_every_answer_is_open_to_other_origins(client: httpx.AsyncClient) -> None:
    origin = {"Origin": "https://openrefine.example"}
    for response in (
        await client.get("/reconcile", headers=origin),
        await client.post("/reconcile", data={"queries": batch(1)}, headers=origin),
        await client.get("/reconcile?queries=x", headers=origin),
    ):
        assert response.headers["access-control-allow-origin"] == "*"
    preflight = await client.options(
        "/reconcile", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204


async def test_the_manifest_is_cacheable_and_query_answers_are_not(
    client: httpx.AsyncClient,
) -> None:
    manifest = await client.get("/reconcile")
    assert "max-age" in manifest.headers["cache-control"]
    assert manifest.headers["etag"]
    again = await client.get("/reconcile", headers={"If-None-Match": manifest.headers["etag"]})
    assert again.status_code == 304
    answer = await client.post("/reconcile", data={"queries": batch(1)})
    assert answer.headers["cache-control"] == "no-store"


async def test_a_post_without_queries_is_400_and_the_draft_form_is_answered(
    client: httpx.AsyncClient,
) -> None:
    empty = await client.post("/reconcile", data={"callback": "cb"})
    assert empty.status_code == 400
    draft = await client.post("/reconcile", json={"queries": [{"query": "consultation"}]})
    (result,) = draft.json()["results"]
    assert result["candidates"][0]["name"] == [{"str": "consultation", "lang": "en"}]
    keyed = await client.post("/reconcile", json={"a": {"query": "consultation"}})
    assert keyed.json()["a"]["result"][0]["match"] is True
    single = await client.get("/reconcile", params={"query": "consultation"})
    assert single.json()["result"][0]["id"] == "consultation"
