"""Every Skosmos limit is a setting: ``maxhits`` by the search and page-size settings,
transitive answers and the hierarchy by ``max_transitive``, index pages by the page size."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from api.settings import Settings
from tests.protocols.skosmos.shapes import CO_DESIGN, CONCEPT, ENGAGEMENT, VOCID
from tests.support.apps import Running, running_app

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
async def small(settings: Settings) -> AsyncIterator[Running]:
    limited = settings.model_copy(
        update={"max_transitive": 2, "max_page_size": 4, "max_search_results": 3}
    )
    async with running_app(limited) as running:
        yield running


async def test_maxhits_is_capped_by_the_larger_of_the_search_and_page_settings(
    small: Running,
) -> None:
    path = f"/rest/v1/{VOCID}/search"
    assert (await small.client.get(path, params={"query": "co*", "maxhits": "4"})).is_success
    refused = await small.client.get(path, params={"query": "co*", "maxhits": "5"})
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["name"] == "maxhits"
    unasked = await small.client.get(path, params={"query": "co*"})
    assert len(unasked.json()["results"]) == 4
    assert (await small.client.get(path, params={"query": "co*", "offset": "41"})).is_error
    assert (await small.client.get(path, params={"query": "co*", "offset": "40"})).is_success


async def test_transitive_answers_are_capped_by_max_transitive(small: Running) -> None:
    path = f"/rest/v1/{VOCID}/narrowerTransitive"
    refused = await small.client.get(path, params={"uri": ENGAGEMENT, "limit": "3"})
    assert refused.status_code == 400
    body = (await small.client.get(path, params={"uri": ENGAGEMENT})).json()
    below = body["narrowerTransitive"]
    assert len(below) == 3  # the concept and two below it
    for item in below.values():  # links stay within the answer
        assert set(item.get("narrower", ())) <= set(below)


async def test_the_hierarchy_lists_at_most_max_transitive_children(small: Running) -> None:
    body = (await small.client.get(f"/rest/v1/{VOCID}/hierarchy?uri={CO_DESIGN}")).json()
    tree = body["broaderTransitive"]
    assert len(tree) <= 3
    assert sum(len(item.get("narrower", ())) for item in tree.values()) <= 2
    assert CONCEPT + "co-production" in tree


async def test_index_pages_are_capped_at_ten_page_sizes(small: Running) -> None:
    path = f"/rest/v1/{VOCID}/index/C"
    assert (await small.client.get(path, params={"limit": "40"})).is_success
    assert (await small.client.get(path, params={"limit": "41"})).status_code == 400
