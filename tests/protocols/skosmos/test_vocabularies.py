"""Which vocabulary a ``vocid`` names when several are loaded: a scheme's id, the hashed
form of it, or (a local name several schemes share) a 300 listing Skosmos URLs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.settings import Settings
from tests.support.apps import Running, running_app

pytestmark = pytest.mark.anyio

VOCABULARY = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
<{ns}thesaurus> a skos:ConceptScheme ; dct:title "{title}"@en ;
    skos:hasTopConcept <{ns}c1> .
<{ns}c1> a skos:Concept ; skos:prefLabel "{label}"@en ; skos:inScheme <{ns}thesaurus> ;
    skos:topConceptOf <{ns}thesaurus> .
"""


@pytest.fixture(scope="module")
async def two(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    folder = tmp_path_factory.mktemp("two-thesauri")
    for name, title, label in (("a", "First", "apple tree"), ("b", "Second", "banana tree")):
        text = VOCABULARY.format(ns=f"http://{name}.example.org/", title=title, label=label)
        Path(folder / f"{name}.ttl").write_text(text, encoding="utf-8")
    async with running_app(Settings(vocab=(folder,))) as running:
        yield running


async def test_a_shared_local_name_lists_the_choices(two: Running) -> None:
    response = await two.client.get("/rest/v1/thesaurus/")
    assert response.status_code == 300
    body = response.json()
    ids = sorted(two.runtime.snapshot.index.schemes)
    assert sorted(choice["id"] for choice in body["choices"]) == ids
    assert all(c["href"].endswith(f"/rest/v1/{c['id']}/") for c in body["choices"])


async def test_each_vocabulary_answers_by_its_own_id(two: Running) -> None:
    index = two.runtime.snapshot.index
    for scheme in index.schemes.values():
        vocabulary = await two.client.get(f"/rest/v1/{scheme.id}/")
        assert vocabulary.json()["conceptschemes"][0]["uri"] == scheme.iri
        tops = await two.client.get(f"/rest/v1/{scheme.id}/topConcepts")
        [top] = tops.json()["topconcepts"]
        assert top["topConceptOf"] == scheme.iri
    listed = await two.client.get("/rest/v1/vocabularies?lang=en")
    assert [v["title"] for v in listed.json()["vocabularies"]] == ["First", "Second"]


async def test_search_keeps_to_the_vocabularies_asked(two: Running) -> None:
    first, second = sorted(two.runtime.snapshot.index.schemes)
    everywhere = await two.client.get("/rest/v1/search", params={"query": "*tree"})
    assert {r["vocab"] for r in everywhere.json()["results"]} == {first, second}
    one = await two.client.get("/rest/v1/search", params={"query": "*tree", "vocab": second})
    assert [r["prefLabel"] for r in one.json()["results"]] == ["banana tree"]
    concept = "http://a.example.org/c1"
    elsewhere = await two.client.get(f"/rest/v1/{second}/label", params={"uri": concept})
    assert elsewhere.status_code == 404
    guessed = await two.client.get("/rest/v1/label", params={"uri": concept})
    assert guessed.json()["prefLabel"] == "apple tree"
