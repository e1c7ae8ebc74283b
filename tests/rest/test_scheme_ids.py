"""Scheme and collection ids across co-loading (issue 11): the hashed form of an id names
its scheme whatever else is loaded, and a local name two loaded schemes share is a 300."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.data.surfaces import THESAURUS_ONE, THESAURUS_TWO, load, serve

pytestmark = pytest.mark.anyio
ONE, TWO = "thesaurus-4357b4e2", "thesaurus-887e516b"
GROUPS_ONE, GROUPS_TWO = "groups-2be94dea", "groups-c9df231b"


@pytest.fixture(scope="module")
async def alone() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(THESAURUS_ONE)) as http:
        yield http


@pytest.fixture(scope="module")
async def both() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(THESAURUS_ONE, THESAURUS_TWO)) as http:
        yield http


async def json_id(client: httpx.AsyncClient, url: str) -> str:
    response = await client.get(url)
    assert response.status_code == 200, (url, response.text)
    found: str = response.json()["id"]
    return found


async def test_alone_the_local_name_and_the_hashed_form_name_the_scheme(
    alone: httpx.AsyncClient,
) -> None:
    assert await json_id(alone, "/schemes/thesaurus") == "thesaurus"
    assert await json_id(alone, f"/schemes/{ONE}") == "thesaurus"
    assert await json_id(alone, f"/collections/{GROUPS_ONE}") == "groups"
    top = (await alone.get(f"/schemes/{ONE}/top-concepts")).json()
    assert [item["id"] for item in top["items"]] == ["rivers"]
    assert (await alone.get(f"/dumps/{ONE}.ttl")).status_code == 200
    assert await json_id(alone, f"/concepts/{ONE}~rivers") == "rivers"


async def test_beside_a_namesake_the_hashed_form_still_names_it(both: httpx.AsyncClient) -> None:
    listed = (await both.get("/schemes")).json()["items"]
    assert sorted(item["id"] for item in listed) == [ONE, TWO]
    assert await json_id(both, f"/schemes/{ONE}") == ONE
    assert await json_id(both, f"/collections/{GROUPS_TWO}") == GROUPS_TWO
    assert await json_id(both, f"/concepts/{TWO}~lakes") == "lakes"


@pytest.mark.parametrize(
    ("url", "route", "choices"),
    [("/schemes/thesaurus", "schemes", [ONE, TWO]),
     ("/collections/groups", "collections", [GROUPS_ONE, GROUPS_TWO])],
)  # fmt: skip
async def test_a_shared_local_name_is_a_300_listing_the_choices(
    both: httpx.AsyncClient, url: str, route: str, choices: list[str]
) -> None:
    response = await both.get(url)
    assert response.status_code == 300
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problem-types/multiple-choices"
    assert body["choices"] == [
        {"id": choice, "href": f"http://testserver/{route}/{choice}"} for choice in choices
    ]
    for choice in body["choices"]:
        assert await json_id(both, choice["href"]) == choice["id"]


async def test_browsers_get_the_schemes_to_choose_as_links(both: httpx.AsyncClient) -> None:
    response = await both.get("/schemes/thesaurus", headers={"Accept": "text/html"})
    assert response.status_code == 300
    assert f'<a href="http://testserver/schemes/{ONE}">{ONE}</a>' in response.text


async def test_an_unknown_or_foreign_hash_is_a_404(both: httpx.AsyncClient) -> None:
    assert (await both.get("/schemes/thesaurus-00000000")).status_code == 404
    assert (await both.get(f"/collections/{ONE}")).status_code == 404


async def test_graphql_filters_by_the_hashed_form(alone: httpx.AsyncClient) -> None:
    concepts = f'concepts(scheme: "{ONE}") {{ edges {{ node {{ id }} }} }}'
    query = f'{{ {concepts} scheme(id: "{ONE}") {{ id }} }}'
    body = (await alone.post("/graphql", json={"query": query})).json()
    assert body["data"]["scheme"] == {"id": "thesaurus"}
    assert body["data"]["concepts"]["edges"] == [{"node": {"id": "rivers"}}]


async def test_graphql_names_the_schemes_a_shared_local_name_may_mean(
    both: httpx.AsyncClient,
) -> None:
    query = '{ scheme(id: "thesaurus") { id } }'
    body = (await both.post("/graphql", json={"query": query})).json()
    (error,) = body["errors"]
    assert error["extensions"]["choices"] == [ONE, TWO]
    found = await both.post("/graphql", json={"query": f'{{ scheme(id: "{TWO}") {{ id }} }}'})
    assert found.json()["data"]["scheme"] == {"id": TWO}
