"""``POST /annotate`` in a vocabulary of several languages (issue 11): without ``lang`` the
vocabulary's default language and untagged labels, never a label of another language that
folds alike; with ``lang`` by RFC 4647; withdrawn concepts only with ``deprecated=include``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.support import ROOT
from tests.support.apps import running_app
from tests.support.pages import assert_problem

pytestmark = pytest.mark.anyio

LANGUAGES = ROOT / "tests" / "data" / "languages" / "languages.ttl"


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(Settings(vocab=(LANGUAGES,))) as running:
        yield running.client


async def marked(client: httpx.AsyncClient, body: dict[str, Any], **params: str) -> list[Any]:
    response = await client.post("/annotate", json=body, params=params)
    assert response.status_code == 200, response.text
    return [
        (a["text"], a["concept"]["id"], a["matchedLabel"]["language"])
        for a in response.json()["annotations"]
    ]


async def test_without_lang_the_default_language_only(client: httpx.AsyncClient) -> None:
    """ "The" is not the French "Thé": folding never crosses languages."""
    found = await marked(client, {"text": "The tea, the neighbour, the voisin and Kanji."})
    assert found == [("tea", "tea", "en"), ("neighbour", "neighbour", "en-GB"),
                     ("Kanji", "kanji", None)]  # fmt: skip


async def test_with_lang_labels_in_that_language(client: httpx.AsyncClient) -> None:
    found = await marked(client, {"text": "Le thé du voisin, Kanji", "lang": "fr-CA"})
    assert found == [("thé", "tea", "fr"), ("voisin", "neighbour", "fr"), ("Kanji", "kanji", None)]
    assert await marked(client, {"text": "neighbour"}, lang="en") == [
        ("neighbour", "neighbour", "en-GB")
    ]
    assert await marked(client, {"text": "tea", "lang": "en-GB"}) == [("tea", "tea", "en")]
    assert await marked(client, {"text": "tea thé", "lang": "cy"}) == []


async def test_withdrawn_concepts_only_when_asked(client: httpx.AsyncClient) -> None:
    assert await marked(client, {"text": "a kettle"}) == []
    assert await marked(client, {"text": "a kettle"}, deprecated="exclude") == []
    assert await marked(client, {"text": "a kettle"}, deprecated="include") == [
        ("kettle", "kettle", "en")
    ]
    refused = await client.post("/annotate", json={"text": "a kettle"}, params={"deprecated": "1"})
    assert_problem(refused, 400, "invalid-parameter")
