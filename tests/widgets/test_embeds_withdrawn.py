"""Embeds of a withdrawn concept say so and name what replaces it (issue 11)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.data.surfaces import CLASSIFICATION, load, serve

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(CLASSIFICATION)) as http:
        yield http


def words(source: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", source)).strip()


async def test_the_card_of_a_withdrawn_concept_names_its_replacement(
    client: httpx.AsyncClient,
) -> None:
    card = (await client.get("/concepts/c1-1/card")).text
    notice = re.search(r'<p class="card-withdrawn".*?</p>', card, re.S)
    assert notice is not None
    assert words(notice.group(0)) == "This term is withdrawn; use Birds instead."
    assert 'href="http://testserver/concepts/c1-2"' in notice.group(0)


async def test_a_replacement_elsewhere_is_named_by_its_iri(client: httpx.AsyncClient) -> None:
    card = (await client.get("/concepts/c3/card", params={"lang": "fi"})).text
    assert "use http://example.org/elsewhere/chemistry instead" in words(card)


async def test_a_current_concept_s_card_has_no_notice(client: httpx.AsyncClient) -> None:
    assert "card-withdrawn" not in (await client.get("/concepts/c1-2/card")).text


async def test_oembed_titles_a_withdrawn_concept_as_such(client: httpx.AsyncClient) -> None:
    url = "http://testserver/concepts/c1-1"
    answer = (await client.get("/oembed", params={"url": url})).json()
    assert answer["title"] == "Aves (withdrawn)"
