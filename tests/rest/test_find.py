"""/lookup and /search on a vocabulary of several languages, notations and a withdrawn
concept (issue 11): RFC 4647 language matching, untagged labels, ``deprecated``, notations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.build.index import Index
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


async def found(client: httpx.AsyncClient, url: str, **params: str) -> list[dict[str, Any]]:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["concept"]["id"] for item in items]


@pytest.mark.parametrize(
    ("label", "lang", "expected"),
    [
        ("tea", "en-GB", ["tea"]),  # en-GB falls back to en
        ("neighbour", "en", ["neighbour"]),  # en takes en-GB
        ("thé", "fr-CA", ["tea"]),
        ("kanji", "fr", ["kanji"]),  # an untagged label answers any language
        ("kanji", "en-GB", ["kanji"]),
    ],
)
async def test_lookup_matches_languages_by_rfc_4647(
    client: httpx.AsyncClient, label: str, lang: str, expected: list[str]
) -> None:
    assert ids(await found(client, "/lookup", label=label, lang=lang)) == expected


async def test_lookup_in_another_language_finds_nothing(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/lookup", params={"label": "tea", "lang": "cy"}), 404)
    assert_problem(await client.get("/lookup", params={"label": "tea", "lang": "fr"}), 404)


async def test_an_untagged_label_says_it_has_no_language(client: httpx.AsyncClient) -> None:
    (hit,) = await found(client, "/lookup", label="Kanji", lang="fr")
    assert hit["label"] == {"value": "Kanji", "language": None}


async def test_search_language_filter_keeps_fallbacks_and_untagged(
    client: httpx.AsyncClient,
) -> None:
    assert ids(await found(client, "/search", q="neighbour", lang="en")) == ["neighbour"]
    assert ids(await found(client, "/search", q="tea", lang="en-GB")) == ["tea"]
    assert ids(await found(client, "/search", q="kanji", lang="de")) == ["kanji"]
    assert await found(client, "/search", q="neighbour", lang="fr") == []


async def test_search_leaves_withdrawn_concepts_out_unless_asked(
    client: httpx.AsyncClient,
) -> None:
    assert await found(client, "/search", q="kettle") == []
    assert await found(client, "/search", q="kettle", deprecated="exclude") == []
    assert ids(await found(client, "/search", q="kettle", deprecated="include")) == ["kettle"]
    assert_problem(await client.get("/search", params={"q": "kettle", "deprecated": "yes"}), 400)


async def test_lookup_still_finds_a_withdrawn_concept(client: httpx.AsyncClient) -> None:
    assert ids(await found(client, "/lookup", label="bouilloire")) == ["kettle"]
    assert ids(await found(client, "/lookup", notation="T.9")) == ["kettle"]


async def test_search_ranks_an_exact_notation_first(client: httpx.AsyncClient) -> None:
    hits = await found(client, "/search", q="n.2")
    assert ids(hits) == ["neighbour"]
    assert (hits[0]["match"], hits[0]["field"], hits[0]["score"]) == ("notation", "notation", 1.0)
    assert hits[0]["label"] == {"value": "Neighbour", "language": "en-GB"}


async def test_lookup_by_notation(client: httpx.AsyncClient) -> None:
    response = await client.get("/lookup", params={"notation": "n.2.1", "lang": "en"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["notation"] == "n.2.1"
    assert ids(body["items"]) == ["colour"]
    assert body["items"][0]["label"] == {"value": "Colour", "language": "en"}
    hits = await found(client, "/lookup", notation="T.1", lang="fr")
    assert hits[0]["label"] == {"value": "Thé", "language": "fr"}


async def test_lookup_takes_a_label_or_a_notation(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/lookup"), 400, "invalid-parameter")
    both = await client.get("/lookup", params={"label": "tea", "notation": "T.1"})
    assert_problem(both, 400, "invalid-parameter")
    assert_problem(await client.get("/lookup", params={"notation": "T.2"}), 404)
    # A notation is not a label.
    assert_problem(await client.get("/lookup", params={"label": "T.1"}), 404)


async def graphql(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_graphql_search_and_notation_lookup(client: httpx.AsyncClient) -> None:
    data = await graphql(
        client,
        """{ plain: search(query: "kettle") { concept { id } }
             withdrawn: search(query: "kettle", includeDeprecated: true) { concept { id } }
             code: search(query: "t.1") { match field concept { id } }
             lookupNotation(notation: "t.9", lang: "fr") { label { value language } } }""",
    )
    assert data["plain"] == []
    assert data["withdrawn"] == [{"concept": {"id": "kettle"}}]
    assert data["code"][0] == {"match": "notation", "field": "notation", "concept": {"id": "tea"}}
    assert data["lookupNotation"] == [{"label": {"value": "Bouilloire", "language": "fr"}}]


async def test_graphql_annotate_leaves_withdrawn_concepts_out_unless_asked(
    client: httpx.AsyncClient,
) -> None:
    data = await graphql(
        client,
        """{ plain: annotate(text: "The kettle and the tea") { text }
             withdrawn: annotate(text: "The kettle", includeDeprecated: true) { text } }""",
    )
    assert data["plain"] == [{"text": "tea"}]
    assert data["withdrawn"] == [{"text": "kettle"}]


async def test_a_search_asked_again_is_replayed_without_searching(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    searched: list[str] = []
    search = Index.search

    def counting(self: Index, query: str, **options: Any) -> Any:
        searched.append(query)
        return search(self, query, **options)

    monkeypatch.setattr(Index, "search", counting)
    first = await found(client, "/search", q="colo", lang="en")
    assert await found(client, "/search", q="colo", lang="en") == first
    assert searched == ["colo"]
    assert await found(client, "/search", q="colo", lang="en-GB") == first  # another query
    assert searched == ["colo", "colo"]
    assert_problem(await client.get("/search", params={"q": "colo", "limit": "0"}), 400)
