"""What the REST API shows of withdrawn concepts, notations and shared ids (issue 11)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from api.http.renderers import split_name
from tests.data.surfaces import CLASSIFICATION, SHARED_NAMES, load, serve

pytestmark = pytest.mark.anyio
C = "http://example.org/classification/"


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(CLASSIFICATION)) as http:
        yield http


async def ids(client: httpx.AsyncClient, url: str, **params: str) -> list[str]:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_a_withdrawn_concept_says_so_and_what_replaces_it(client: httpx.AsyncClient) -> None:
    body = (await client.get("/concepts/c1-1")).json()
    assert body["deprecated"] is True
    assert body["replacedBy"] == [
        {"id": "c1-2", "iri": C + "c1-2", "prefLabel": {"value": "Birds", "language": "en"}}
    ]
    outside = (await client.get("/concepts/c3", params={"lang": "fi"})).json()
    elsewhere = "http://example.org/elsewhere/chemistry"
    assert outside["replacedBy"] == [{"id": None, "iri": elsewhere, "prefLabel": None}]


async def test_the_replacement_names_what_it_replaces(client: httpx.AsyncClient) -> None:
    body = (await client.get("/concepts/c1-2", params={"lang": "fi"})).json()
    assert body["deprecated"] is False
    assert body["replacedBy"] == []
    assert body["replaces"] == [
        {"id": "c1-1", "iri": C + "c1-1", "prefLabel": {"value": "Aves", "language": "fi"}}
    ]


async def test_lists_leave_withdrawn_concepts_out_unless_asked(client: httpx.AsyncClient) -> None:
    listed = await ids(client, "/concepts", limit="100")
    assert "c1-1" not in listed
    assert "c3" not in listed
    assert len(listed) == 5
    everything = await ids(client, "/concepts", limit="100", deprecated="include")
    assert {"c1-1", "c3"} <= set(everything)
    assert len(everything) == 7
    assert await ids(client, "/schemes/scheme/top-concepts") == ["c2", "c1"]
    tops = await ids(client, "/schemes/scheme/top-concepts", deprecated="include")
    assert tops == ["c3", "c2", "c1"]
    scheme = (await client.get("/schemes/scheme")).json()
    assert [ref["id"] for ref in scheme["topConcepts"]] == ["c2", "c1"]


async def test_listed_concepts_say_whether_they_are_withdrawn(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/concepts", params={"deprecated": "include"})).json()["items"]
    assert {item["id"] for item in listed if item["deprecated"]} == {"c1-1", "c3"}
    assert all(item["deprecated"] is False for item in listed if item["id"] not in {"c1-1", "c3"})
    found = (await client.get("/lookup", params={"label": "Aves"})).json()
    assert [hit["concept"]["deprecated"] for hit in found["items"]] == [True]


async def test_a_page_of_a_list_without_withdrawn_concepts_pages_on(
    client: httpx.AsyncClient,
) -> None:
    first = (await client.get("/concepts", params={"limit": "3"})).json()
    second = (await client.get(first["next"])).json()
    assert first["total"] == second["total"] == 5
    assert len(first["items"]) + len(second["items"]) == 5


async def test_a_classification_sorts_by_notation(client: httpx.AsyncClient) -> None:
    by_label = await ids(client, "/concepts", limit="100")
    assert by_label == ["c1-10", "c1-2", "c2", "c1-9", "c1"]  # Amphibians ... Zoology
    by_notation = await ids(client, "/concepts", limit="100", sort="notation")
    assert by_notation == ["c1", "c1-2", "c1-9", "c1-10", "c2"]  # 1, 1.2, 1.9, 1.10, 2
    assert await ids(client, "/concepts", limit="100", sort="label") == by_label
    withdrawn_too = await ids(client, "/concepts", sort="notation", deprecated="include")
    assert withdrawn_too[:3] == ["c1", "c1-1", "c1-2"]  # 1, 1.1, 1.2


@pytest.mark.parametrize(
    ("parameter", "value"), [("deprecated", "yes"), ("sort", "notations"), ("sort", "")]
)
async def test_bad_list_options_are_a_400_naming_them(
    client: httpx.AsyncClient, parameter: str, value: str
) -> None:
    response = await client.get("/concepts", params={parameter: value})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == parameter


async def test_lookup_and_resolve_still_find_withdrawn_concepts(
    client: httpx.AsyncClient,
) -> None:
    found = (await client.get("/lookup", params={"label": "Aves"})).json()
    assert [hit["concept"]["id"] for hit in found["items"]] == ["c1-1"]
    resolved = await client.get("/resolve", params={"iri": C + "c3"})
    assert resolved.status_code == 303
    assert resolved.headers["location"] == "http://testserver/concepts/c3"
    assert (await client.get(resolved.headers["location"])).json()["deprecated"] is True


# A bare id two vocabularies share ------------------------------------------------------


@pytest.fixture(scope="module")
async def shared() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(SHARED_NAMES)) as http:
        yield http


async def test_a_shared_bare_id_is_a_300_listing_the_choices(shared: httpx.AsyncClient) -> None:
    response = await shared.get("/concepts/894")
    assert response.status_code == 300
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problem-types/multiple-choices"
    assert body["status"] == 300
    assert "894" in body["detail"]
    assert body["choices"] == [
        {"id": "scheme~894", "href": "http://testserver/concepts/scheme~894"},
        {"id": "vocabulary~894", "href": "http://testserver/concepts/vocabulary~894"},
    ]


async def test_browsers_get_the_choices_as_links(shared: httpx.AsyncClient) -> None:
    response = await shared.get("/concepts/894", headers={"Accept": "text/html"})
    assert response.status_code == 300
    assert response.headers["content-type"].startswith("text/html")
    assert '<a href="http://testserver/concepts/scheme~894">scheme~894</a>' in response.text
    assert '<a href="http://testserver/concepts/vocabulary~894">' in response.text


async def test_an_unknown_id_is_still_a_404(shared: httpx.AsyncClient) -> None:
    assert (await shared.get("/concepts/895")).status_code == 404


async def test_each_choice_leads_to_its_concept(shared: httpx.AsyncClient) -> None:
    choices = (await shared.get("/concepts/894")).json()["choices"]
    for choice in choices:
        response = await shared.get(choice["href"])
        assert response.status_code == 200, choice
        assert response.json()["id"] == choice["id"]
    turtle = await shared.get("/concepts/vocabulary~894.ttl")
    assert turtle.status_code == 200
    assert "<http://example.org/second/894>" in turtle.text
    assert 'concepts/vocabulary~894.json>; rel="alternate"' in turtle.headers["link"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("mt7.05", ("mt7.05", None)), ("78.89227", ("78.89227", None)),
     ("consultation.ttl", ("consultation", "ttl")), ("a.b.jsonld", ("a.b", "jsonld")),
     ("scheme~894.json", ("scheme~894", "json"))],
)  # fmt: skip
def test_ids_keep_dots_and_a_final_letters_suffix_is_a_format(
    name: str, expected: tuple[str, str | None]
) -> None:
    assert split_name(name) == expected
