"""The service built from a store answers what it answers from the files: the same JSON for
every concept, scheme and collection, of the glossary and of 5,000 synthetic concepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from api.build.digest import content_digest
from api.settings import Settings
from tests.sources.conftest import GLOSSARY
from tests.support.apps import running_app
from tests.support.stores import Oxigraph

pytestmark = pytest.mark.anyio


async def _paths(client: httpx.AsyncClient, listing: str) -> list[str]:
    """Every item's path in a REST listing, following its pages (whose cursors hold the
    digest, so each app's own)."""
    paths: list[str] = []
    url: str | None = f"{listing}?limit=100"
    while url is not None:
        page = (await client.get(url)).json()
        paths += [f"{listing}/{item['id']}" for item in page["items"]]
        url = page.get("next")
    return paths


def _unordered_sources(answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` with its ``sources`` in IRI order. A concept's ``dct:source`` values come
    in the order the read model finds them in the store: the file's for files, the store's
    index order for Oxigraph. RDF keeps no order among a property's values, so nothing else
    could know the file's; every other field is compared as answered."""
    sources = answer.get("sources")
    if not isinstance(sources, list):
        return answer
    return {**answer, "sources": sorted(sources, key=lambda source: str(source.get("iri")))}


async def _same_answers(files: Settings, store: Settings, listings: tuple[str, ...]) -> int:
    """Compare every item of ``listings`` from the two settings' apps; how many were."""
    async with running_app(files) as local, running_app(store) as remote:
        assert remote.runtime.snapshot.digest == content_digest(local.runtime.snapshot.store)
        compared = 0
        for listing in listings:
            paths = await _paths(local.client, listing)
            assert paths == await _paths(remote.client, listing)
            for path in paths:
                expected = await local.client.get(path)
                answered = await remote.client.get(path)
                assert answered.status_code == expected.status_code == 200
                assert _unordered_sources(answered.json()) == _unordered_sources(expected.json()), (
                    path
                )
                compared += 1
        return compared


async def test_every_glossary_answer_is_the_same_from_the_store(glossary_store: Oxigraph) -> None:
    files = Settings(vocab=(GLOSSARY,))
    store = Settings(source=glossary_store.url, vocab=(Path("/nonexistent"),))
    compared = await _same_answers(files, store, ("/concepts", "/schemes", "/collections"))
    assert compared == 60 + 1 + 6


@pytest.mark.slow
async def test_every_synthetic_concept_is_the_same_from_the_store(
    synthetic_store: Oxigraph, synthetic_file: Path
) -> None:
    files = Settings(vocab=(synthetic_file,))
    store = Settings(source=synthetic_store.url, source_page_size=1000)
    assert await _same_answers(files, store, ("/concepts",)) == 5000


async def test_health_shows_no_file_and_no_store(glossary_store: Oxigraph) -> None:
    settings = Settings(source=glossary_store.url, source_token="t0ken-in-health?")
    async with running_app(settings) as running:
        health = (await running.client.get("/health")).text
    assert '"files":[]' in health.replace(" ", "")
    assert "127.0.0.1" not in health
    assert "t0ken" not in health
