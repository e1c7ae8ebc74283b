"""Real vocabularies on the surfaces (issue 11): a deprecated STW descriptor says what
replaces it on every surface, Skosmos's notation-sort file lists by notation, and pages of
UNESCO and STW served together name nothing of the shipped glossary. Read where the
project shares them (``../shared/vocabularies/``), never copied."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from api.payloads.listings import notation_key
from tests.data.surfaces import SHARED, SKOSMOS, load, serve

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
STW = SHARED / "stw" / "stw-skos.ttl"
UNESCO = SHARED / "unesco" / "unesco-thesaurus.ttl"
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
async def stw() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(STW)) as client:
        yield client


async def test_a_deprecated_stw_descriptor_names_its_replacement(stw: httpx.AsyncClient) -> None:
    body = (await stw.get("/concepts/10042-6")).json()
    assert body["deprecated"] is True
    [replacement] = body["replacedBy"]
    assert replacement["id"] == "10043-4"
    assert replacement["iri"] == "http://zbw.eu/stw/descriptor/10043-4"
    page = (await stw.get("/concepts/10042-6", headers=HTML)).text
    notice = re.search(r'<div class="notice withdrawn-notice".*?</div>', page, re.S)
    assert notice is not None
    assert 'href="http://testserver/concepts/10043-4"' in notice.group(0)
    card = (await stw.get("/concepts/10042-6/card")).text
    assert "This term is withdrawn" in card


async def test_stw_lists_leave_its_deprecated_descriptors_out(stw: httpx.AsyncClient) -> None:
    current = (await stw.get("/concepts", params={"limit": 1})).json()["total"]
    everything = await stw.get("/concepts", params={"limit": 1, "deprecated": "include"})
    assert everything.json()["total"] - current > 1000  # 1,151 deprecated descriptors
    letter = (await stw.get("/pages/a-z/a", headers=HTML)).text
    assert '/concepts/10042-6"' not in letter


async def test_skosmos_notation_sort_lists_by_notation() -> None:
    async with serve(load(SKOSMOS / "test-notation-sort.ttl")) as client:
        found = await client.get("/concepts", params={"sort": "notation", "limit": 100})
        ids = [item["id"] for item in found.json()["items"]]
        notations = []
        for concept_id in ids:
            notation = (await client.get(f"/concepts/{concept_id}")).json()["notation"]
            if notation is not None:
                notations.append(notation)
        assert notations == sorted(notations, key=notation_key)
        assert notations.index("33.2") < notations.index("33.10")


async def test_unesco_and_stw_pages_name_nothing_of_the_glossary() -> None:
    async with serve(load(UNESCO, STW)) as client:
        for path in ("/", "/pages/a-z/a", "/concepts/10043-4", "/docs", "/context.jsonld"):
            body = (await client.get(path, headers=HTML)).text
            body = re.sub(r"glossary-term|/static/glossary\.css", "", body)
            assert re.search(r"glossary|co-production|engagement", body, re.I) is None, path
        home = (await client.get("/", headers=HTML)).text
        assert "<title>Home · 2 vocabularies</title>" in home
