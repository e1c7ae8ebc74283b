"""Automatic persisted queries: Apollo's protocol over POST and GET, and the bounded store."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from strawberry.http import GraphQLRequestData

from api.app import create_app
from api.graphql.persisted import PersistedQueries, PersistedQueryError
from api.settings import Settings

QUERY = '{ concept(id: "consultation") { prefLabel definition } }'


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def extension(digest: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


@pytest.fixture
async def fresh(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An app of its own, so that no other test has registered anything in its store."""
    async with LifespanManager(create_app(settings), startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@pytest.mark.anyio
async def test_the_apollo_round_trip(fresh: httpx.AsyncClient) -> None:
    digest = sha256(QUERY)
    unknown = await fresh.post("/graphql", json={"extensions": extension(digest)})
    assert unknown.status_code == 200  # Apollo clients retry with the query on a 200
    assert unknown.json() == {
        "errors": [
            {"message": "PersistedQueryNotFound",
             "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
        ]
    }  # fmt: skip
    assert unknown.headers["cache-control"] == "no-store"

    registered = await fresh.post(
        "/graphql", json={"query": QUERY, "extensions": extension(digest)}
    )
    assert registered.json()["data"]["concept"]["prefLabel"] == "consultation"

    by_hash = await fresh.post("/graphql", json={"extensions": extension(digest)})
    assert by_hash.json() == registered.json()


@pytest.mark.anyio
async def test_a_persisted_query_by_get_is_cacheable(fresh: httpx.AsyncClient) -> None:
    digest = sha256(QUERY)
    await fresh.post("/graphql", json={"query": QUERY, "extensions": extension(digest)})
    params = {"extensions": json.dumps(extension(digest))}
    response = await fresh.get("/graphql", params=params)
    assert response.status_code == 200
    assert response.json()["data"]["concept"]["prefLabel"] == "consultation"
    assert response.headers["cache-control"].startswith("public, max-age=")
    again = await fresh.get(
        "/graphql", params=params, headers={"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.anyio
async def test_a_query_that_fails_validation_is_not_kept(fresh: httpx.AsyncClient) -> None:
    bad = "{ nope }"
    digest = sha256(bad)
    first = await fresh.post("/graphql", json={"query": bad, "extensions": extension(digest)})
    assert first.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    later = await fresh.post("/graphql", json={"extensions": extension(digest)})
    assert later.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.anyio
async def test_each_app_has_its_own_store(
    fresh: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    query = '{ scheme(id: "engagement-glossary") { id } }'
    digest = sha256(query)
    await client.post("/graphql", json={"query": query, "extensions": extension(digest)})
    elsewhere = await fresh.post("/graphql", json={"extensions": extension(digest)})
    assert elsewhere.json()["errors"][0]["message"] == "PersistedQueryNotFound"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"query": QUERY, "extensions": extension("0" * 64)}, "provided sha does not match query"),
        (
            {"extensions": extension(sha256(QUERY), version=2)},
            "Unsupported persisted query version",
        ),
        (
            {"extensions": extension("not-a-hash")},
            "persistedQuery.sha256Hash must be 64 hexadecimal digits",
        ),
        ({"extensions": {"persistedQuery": "yes"}}, "Unsupported persisted query version"),
    ],
)
async def test_bad_persisted_query_requests(
    client: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    response = await client.post("/graphql", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
    }


def request(query: str | None, digest: str | None) -> GraphQLRequestData:
    extensions = None if digest is None else extension(digest)
    return GraphQLRequestData(
        query=query, variables=None, operation_name=None, extensions=extensions
    )


def test_the_store_drops_the_least_recently_used() -> None:
    store = PersistedQueries(max_entries=2)
    for text in ("{ a }", "{ b }"):
        store.register(request(text, sha256(text)))
    assert store.get(sha256("{ a }")) == "{ a }"  # now "{ b }" is the least recently used
    store.register(request("{ c }", sha256("{ c }")))
    assert len(store) == 2
    assert store.get(sha256("{ b }")) is None
    assert store.get(sha256("{ a }")) == "{ a }"


def test_the_store_is_bounded_in_characters_too() -> None:
    store = PersistedQueries(max_entries=100, max_characters=10)
    store.put("1" * 64, "x" * 6)
    store.put("2" * 64, "y" * 6)
    assert len(store) == 1
    assert store.get("2" * 64) == "y" * 6


def test_resolve_fills_in_the_query_or_says_why_not() -> None:
    store = PersistedQueries()
    plain = request("{ a }", None)
    assert store.resolve(plain) is plain
    with pytest.raises(PersistedQueryError, match="PersistedQueryNotFound"):
        store.resolve(request(None, sha256("{ a }")))
    store.register(request("{ a }", sha256("{ a }")))
    assert store.resolve(request(None, sha256("{ a }"))).query == "{ a }"
    upper = sha256("{ a }").upper()
    assert store.resolve(request(None, upper)).query == "{ a }"
