"""``concepts`` as a Relay connection: pages, cursors, filters and their errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.http.parameters import encode_cursor
from api.settings import Settings
from tests.graphql.helpers import data, error, ids

pytestmark = pytest.mark.anyio

PAGE = """query($first: Int, $after: String, $scheme: ID, $collection: ID) {
  concepts(first: $first, after: $after, scheme: $scheme, collection: $collection) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
    nodes { id }
  }
}"""


async def page(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = (await data(client, PAGE, variables))["concepts"]
    return found


async def test_paging_visits_every_concept_once(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    after = None
    for _ in range(100):
        found = await page(client, first=7, after=after)
        seen += ids(found["nodes"])
        assert ids([edge["node"] for edge in found["edges"]]) == ids(found["nodes"])
        assert found["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    everything = await page(client, first=100)
    assert seen == ids(everything["nodes"])
    assert len(seen) == len(set(seen)) == everything["totalCount"]


async def test_cursors_continue_after_their_edge(client: httpx.AsyncClient) -> None:
    first = await page(client, first=3)
    middle = first["edges"][1]
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    after = await page(client, first=1, after=middle["cursor"])
    assert ids(after["nodes"]) == [first["edges"][2]["node"]["id"]]


async def test_the_default_page_size(client: httpx.AsyncClient, settings: Settings) -> None:
    found = await page(client)
    assert len(found["nodes"]) == settings.page_size


async def test_a_collections_concepts_come_in_its_order(client: httpx.AsyncClient) -> None:
    found = await page(client, collection="engagement-spectrum", first=100)
    members = ids(found["nodes"])
    assert members.index("information") < members.index("consultation")
    assert found["totalCount"] == len(members)
    assert found["pageInfo"]["hasNextPage"] is False


async def test_a_schemes_concepts(client: httpx.AsyncClient) -> None:
    everything = await page(client, first=100)
    found = await page(client, scheme="engagement-glossary", first=100)
    assert sorted(ids(found["nodes"])) == sorted(ids(everything["nodes"]))


async def test_an_empty_page_has_no_cursors(client: httpx.AsyncClient) -> None:
    last = await page(client, first=100)
    after = last["edges"][-1]["cursor"]
    found = await page(client, after=after)
    assert found["edges"] == found["nodes"] == []
    assert found["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 0}, "Argument 'first' must be from 1 to 100, got 0"),
        ({"first": 101}, "Argument 'first' must be from 1 to 100, got 101"),
        ({"after": "not-a-cursor"}, "Argument 'after' is not a cursor this service issued"),
        ({"after": "x" * 300}, "Argument 'after' is not a cursor this service issued"),
        (
            {"after": encode_cursor(0, "0" * 64)},
            "Argument 'after' was issued for another version of the vocabulary; "
            "start again without it",
        ),
        ({"scheme": "nope"}, "Argument 'scheme' names no concept scheme: 'nope'"),
        ({"collection": "nope"}, "Argument 'collection' names no collection: 'nope'"),
    ],
)
async def test_bad_page_arguments_are_clear_errors(
    client: httpx.AsyncClient, variables: dict[str, Any], message: str
) -> None:
    problem = await error(client, PAGE, variables)
    assert problem["message"] == message
    assert problem["extensions"]["code"] == "BAD_USER_INPUT"
