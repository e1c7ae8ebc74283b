"""Every Skosmos path answers with the keys, ``@context`` and quirks the reference records
(``tests/protocols/skosmos/shapes.py``), in-process against the shipped glossary."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.protocols.skosmos.shapes import (
    CO_DESIGN,
    CONCEPT,
    CONSULTATION,
    ENGAGEMENT,
    GROUP,
    ITEMS,
    PATHS,
    SCHEME,
    SKOS,
    VOCID,
)

pytestmark = pytest.mark.anyio


async def get(client: httpx.AsyncClient, path: str, **headers: str) -> dict[str, Any]:
    response = await client.get("/rest/v1/" + path, headers=headers)
    assert response.status_code == 200, (path, response.text)
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["access-control-allow-origin"] == "*"
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("path", sorted(PATHS))
async def test_each_path_answers_the_keys_skosmos_does(
    client: httpx.AsyncClient, path: str
) -> None:
    keys, context = PATHS[path]
    body = await get(client, path)
    assert set(body) - {"@context"} == keys
    assert context <= set(body["@context"]), context - set(body["@context"])
    for name, value in body.items():
        if name in ITEMS and isinstance(value, list):
            allowed, required = ITEMS[name]
            for item in (i for i in value if isinstance(i, dict)):
                assert required <= set(item) <= allowed, (name, item)


async def test_collection_level_answers_have_an_empty_uri(client: httpx.AsyncClient) -> None:
    for path in ("vocabularies?lang=en", f"{VOCID}/", f"{VOCID}/groups", "search?query=co*"):
        assert (await get(client, path))["uri"] == ""


async def test_top_concepts_carry_label_not_pref_label(client: httpx.AsyncClient) -> None:
    body = await get(client, f"{VOCID}/topConcepts?lang=en")
    assert body["uri"] == SCHEME
    tops = body["topconcepts"]
    assert tops
    assert all("prefLabel" not in t and t["topConceptOf"] == SCHEME for t in tops)
    engagement = next(t for t in tops if t["uri"] == ENGAGEMENT)
    assert engagement == {
        "uri": ENGAGEMENT, "topConceptOf": SCHEME, "label": "engagement", "hasChildren": True,
    }  # fmt: skip
    other = await get(client, f"{VOCID}/topConcepts?scheme=https://example.org/other")
    assert other["topconcepts"] == []


async def test_transitive_answers_are_objects_keyed_by_uri(client: httpx.AsyncClient) -> None:
    body = await get(client, f"{VOCID}/broaderTransitive?uri={CO_DESIGN}&lang=en")
    chain = body["broaderTransitive"]
    assert isinstance(chain, dict)
    assert all(key == value["uri"] for key, value in chain.items())
    assert chain[CO_DESIGN]["broader"] == [CONCEPT + "co-production"]
    assert body["@context"]["broaderTransitive"]["@container"] == "@index"
    narrower = await get(client, f"{VOCID}/narrowerTransitive?uri={ENGAGEMENT}&limit=2")
    assert len(narrower["narrowerTransitive"]) == 3  # the concept and two below it


async def test_lookup_answers_result_singular(client: httpx.AsyncClient) -> None:
    body = await get(client, f"{VOCID}/lookup?label=Consultation&lang=en")
    assert body["result"] == [
        {
            "uri": CONSULTATION, "type": ["skos:Concept"], "localname": "consultation",
            "prefLabel": "consultation", "lang": "en", "vocab": VOCID,
        }
    ]  # fmt: skip


async def test_search_results_say_what_matched(client: httpx.AsyncClient) -> None:
    body = await get(client, f"{VOCID}/search?query=citizen%20e*&lang=en")
    assert body["@context"]["@language"] == "en"
    [hit] = body["results"]
    assert hit["prefLabel"] == "community engagement"
    assert hit["altLabel"] == "citizen engagement"
    assert hit["localname"] == "community-engagement"
    assert "localname" not in (await get(client, "search?query=citizen%20e*"))["results"][0]


async def test_search_fields_add_values_and_context(client: httpx.AsyncClient) -> None:
    path = f"{VOCID}/search?query=co-design&fields=broader+prefLabel+definition+distinctions"
    body = await get(client, path)
    [hit] = body["results"]
    assert hit["broader"] == [{"uri": CONCEPT + "co-production", "prefLabel": "co-production"}]
    assert hit["prefLabels"] == {"en": "co-design"}
    assert hit["definition"]
    assert isinstance(hit["definition"][0], str)
    assert any(d["uri"] == CONCEPT + "co-production" for d in hit["distinctions"])
    context = body["@context"]
    assert context["broader"] == "skos:broader"
    assert context["prefLabels"] == {"@id": "skos:prefLabel", "@container": "@language"}


async def test_hierarchy_lists_ancestors_with_their_children(client: httpx.AsyncClient) -> None:
    body = await get(client, f"{VOCID}/hierarchy?uri={CO_DESIGN}")
    tree = body["broaderTransitive"]
    assert tree[CO_DESIGN]["exact"] == CO_DESIGN
    parent = tree[CONCEPT + "co-production"]
    assert {"uri", "label", "hasChildren"} <= set(parent["narrower"][0])
    assert CO_DESIGN in [n["uri"] for n in parent["narrower"]]
    tops = [v for v in tree.values() if "top" in v]
    assert tops
    assert all(v["top"] == SCHEME and SCHEME in v["tops"] for v in tops)


async def test_vocabulary_information(client: httpx.AsyncClient) -> None:
    body = await get(client, f"{VOCID}/?lang=en")
    assert body["id"] == VOCID
    assert body["defaultLanguage"] == "en"
    assert body["languages"] == ["en"]
    assert body["conceptschemes"] == [
        {"uri": SCHEME, "type": "skos:ConceptScheme", "title": "Glossary of engagement terminology"}
    ]


async def test_vocabulary_without_a_slash_redirects(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/rest/v1/{VOCID}")
    assert response.status_code == 302
    assert response.headers["location"].endswith(f"/rest/v1/{VOCID}/")


async def test_statistics_count_the_vocabulary(client: httpx.AsyncClient) -> None:
    stats = await get(client, f"{VOCID}/vocabularyStatistics")
    assert stats["concepts"] == {
        "class": SKOS + "Concept", "label": "Concept", "count": 60, "deprecatedCount": 0,
    }  # fmt: skip
    labels = await get(client, f"{VOCID}/labelStatistics")
    [english] = labels["languages"]
    assert english["literal"] == "English"
    assert english["properties"][0] == {"property": "skos:prefLabel", "labels": 60}


async def test_index_letters_and_pages(client: httpx.AsyncClient) -> None:
    letters = (await get(client, f"{VOCID}/index/"))["indexLetters"]
    assert letters[:3] == ["A", "B", "C"]
    page = (await get(client, f"{VOCID}/index/c?limit=2&offset=1"))["indexConcepts"]
    assert len(page) == 2
    assert all(e["prefLabel"][0].lower() == "c" for e in page)
    whole = (await get(client, f"{VOCID}/index/C"))["indexConcepts"]
    assert page == whole[1:3]
    assert any(e.get("altLabel") == "citizen engagement" for e in whole)


async def test_groups_and_members(client: httpx.AsyncClient) -> None:
    groups = (await get(client, f"{VOCID}/groups"))["groups"]
    assert GROUP in [g["uri"] for g in groups]
    members = (await get(client, f"{VOCID}/groupMembers?uri={GROUP}"))["members"]
    assert CONSULTATION in [m["uri"] for m in members]
    assert all(m["type"] == ["skos:Concept"] and m["isSuper"] is False for m in members)


async def test_changes_are_empty_lists_not_invented_dates(client: httpx.AsyncClient) -> None:
    for path in ("new", "modified"):
        assert (await get(client, f"{VOCID}/{path}?limit=200"))["changeList"] == []


async def test_mappings_have_no_context_and_carry_the_graph(client: httpx.AsyncClient) -> None:
    body = await get(client, f"{VOCID}/mappings?uri={CONSULTATION}")
    assert set(body) == {"mappings", "graph"}
    assert body["mappings"] == []  # the glossary maps to no other vocabulary
    assert "@context" in body["graph"]


async def test_json_ld_is_offered_with_the_same_body(client: httpx.AsyncClient) -> None:
    plain = await client.get(f"/rest/v1/{VOCID}/groups")
    linked = await client.get(f"/rest/v1/{VOCID}/groups", headers={"Accept": "application/ld+json"})
    assert linked.headers["content-type"].startswith("application/ld+json")
    assert linked.json() == plain.json()
    assert "Accept" in plain.headers["vary"]


async def test_answers_are_cached_with_etags(client: httpx.AsyncClient) -> None:
    first = await client.get(f"/rest/v1/{VOCID}/topConcepts")
    etag = first.headers["etag"]
    again = await client.get(f"/rest/v1/{VOCID}/topConcepts", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert "max-age" in first.headers["cache-control"]
