"""The UNESCO Thesaurus (``../shared/vocabularies/``, read where it is, never copied)
through Skosmos's API: four languages, 95 groups nested in micro-thesauri, notations. The
answers are checked against the file's own facts, read by the test from the read model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.support import ROOT
from tests.support.apps import Running, running_app

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

UNESCO = ROOT.parent / "shared" / "vocabularies" / "unesco" / "unesco-thesaurus.ttl"
THESAURUS = "http://vocabularies.unesco.org/thesaurus"
CONCEPT10 = THESAURUS + "/concept10"


@pytest.fixture(scope="module")
async def unesco() -> AsyncIterator[Running]:
    if not UNESCO.is_file():
        pytest.fail(f"missing: {UNESCO} (check out ../shared beside the repository)")
    async with running_app(Settings(vocab=(UNESCO,))) as running:
        yield running


async def get(client: httpx.AsyncClient, path: str) -> dict[str, Any]:
    response = await client.get("/rest/v1/" + path)
    assert response.status_code == 200, (path, response.text)
    body: dict[str, Any] = response.json()
    return body


async def test_the_vocabulary_and_its_languages(unesco: Running) -> None:
    [vocabulary] = (await get(unesco.client, "vocabularies?lang=fr"))["vocabularies"]
    assert vocabulary == {"uri": "thesaurus", "id": "thesaurus", "title": "Thésaurus de l'UNESCO"}
    info = await get(unesco.client, "thesaurus/")
    assert info["languages"] == ["en", "es", "fr", "ru"]
    assert info["conceptschemes"] == [
        {"uri": THESAURUS, "type": "skos:ConceptScheme", "title": "UNESCO Thesaurus"}
    ]


async def test_search_in_each_language(unesco: Running) -> None:
    index = unesco.runtime.snapshot.index
    concept = index.concept_by_iri(CONCEPT10)
    assert concept is not None
    for label in concept.pref_labels:
        assert label.language is not None
        body = await get(
            unesco.client, f"thesaurus/search?query={label.value}&lang={label.language}"
        )
        results = body["results"]
        assert isinstance(results, list)
        assert [r["uri"] for r in results] == [CONCEPT10], label
        assert results[0]["prefLabel"] == label.value


async def test_statistics_match_the_file(unesco: Running) -> None:
    index = unesco.runtime.snapshot.index
    stats = await get(unesco.client, "thesaurus/vocabularyStatistics")
    assert stats["concepts"]["count"] == index.concept_count
    assert stats["conceptGroups"]["count"] == index.collection_count
    labels = await get(unesco.client, "thesaurus/labelStatistics?lang=en")
    by_language = {entry["language"]: entry for entry in labels["languages"]}
    assert by_language["ru"]["literal"] == "Russian"
    russian = sum(t.language == "ru" for c in index.concepts.values() for t in c.pref_labels)
    assert russian > 4000
    assert by_language["ru"]["properties"][0] == {"property": "skos:prefLabel", "labels": russian}


async def test_groups_nest_and_list_their_members(unesco: Running) -> None:
    groups = (await get(unesco.client, "thesaurus/groups?lang=es"))["groups"]
    assert isinstance(groups, list)
    assert len(groups) == 95
    nesting = next(g for g in groups if g.get("childGroups"))
    members = await get(unesco.client, f"thesaurus/groupMembers?uri={nesting['uri']}&lang=es")
    supers = [m for m in members["members"] if m["isSuper"]]
    assert {m["uri"] for m in supers} == set(nesting["childGroups"])


async def test_the_index_in_russian(unesco: Running) -> None:
    letters = (await get(unesco.client, "thesaurus/index/?lang=ru"))["indexLetters"]
    assert isinstance(letters, list)
    assert "Б" in letters
    page = (await get(unesco.client, "thesaurus/index/Б?lang=ru&limit=250"))["indexConcepts"]
    assert isinstance(page, list)
    assert page
    assert all(
        entry["prefLabel"].startswith("Б") or entry.get("altLabel", "").startswith("Б")
        for entry in page
    )


async def test_hierarchy_reaches_a_top_concept(unesco: Running) -> None:
    body = await get(unesco.client, f"thesaurus/hierarchy?uri={CONCEPT10}&lang=fr")
    tree = body["broaderTransitive"]
    assert isinstance(tree, dict)
    assert tree[CONCEPT10]["exact"] == CONCEPT10
    assert any(item.get("top") == THESAURUS for item in tree.values())
