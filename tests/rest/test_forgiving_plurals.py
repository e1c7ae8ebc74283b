"""Issue 13 over HTTP (httpx against the ASGI app), on the shipped glossary, whose label is
"citizens assemblies"@en: ``GET /search`` and ``POST /annotate`` find it written
"citizens' assembly", "citizens assembly", "citizen's assembly" or "citizen's assemblies";
the exact spelling still ranks first and ``/lookup`` stays exact."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.anyio

SPELLINGS = ["citizens' assembly", "citizens assembly", "citizen's assembly",
             "citizen\u2019s assemblies", "Citizens Assembly"]  # fmt: skip


@pytest.mark.parametrize("spelling", SPELLINGS)
async def test_search_and_annotate_find_the_label(client: httpx.AsyncClient, spelling: str) -> None:
    response = await client.get("/search", params={"q": spelling})
    assert response.status_code == 200, response.text
    first = response.json()["items"][0]
    assert (first["concept"]["id"], first["match"]) == ("citizens-assemblies", "exact")
    assert first["score"] < 1.0  # below the label spelt exactly

    text = f"Last year a {spelling} met twice."
    response = await client.post("/annotate", json={"text": text})
    assert response.status_code == 200, response.text
    (found,) = response.json()["annotations"]
    assert (found["text"], found["concept"]["id"]) == (spelling, "citizens-assemblies")
    assert text[found["start"] : found["end"]] == spelling


async def test_the_exact_spelling_scores_as_exact_and_lookup_stays_exact(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/search", params={"q": "citizens assemblies"})
    assert response.json()["items"][0]["score"] == 1.0
    assert (await client.get("/lookup", params={"label": "citizens assembly"})).status_code == 404
    assert (await client.get("/lookup", params={"label": "Citizens Assemblies"})).status_code == 200
