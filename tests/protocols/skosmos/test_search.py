"""Search and lookup: Skosmos's ``*`` patterns and parameters over the search index, and
the glossary's own questions asked the Skosmos way."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.protocols.skosmos.matching import Pattern
from api.runtime.snapshot import Snapshot
from tests.protocols.skosmos.shapes import (
    CO_DESIGN,
    CONCEPT,
    CONSULTATION,
    ENGAGEMENT,
    GROUP,
    VOCID,
)

pytestmark = pytest.mark.anyio


async def results(client: httpx.AsyncClient, query: str) -> list[dict[str, Any]]:
    response = await client.get(f"/rest/v1/{VOCID}/search?{query}")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["results"]
    return found


async def labels(client: httpx.AsyncClient, query: str) -> list[str]:
    return [r["prefLabel"] for r in await results(client, query)]


@pytest.mark.parametrize(
    ("query", "fits", "misses"),
    [
        ("consultation", ["Consultation", "consultation", " CONSULTATION "], ["consultations"]),
        ("consult*", ["consultation", "Consultative"], ["public consultation"]),
        ("*engagement", ["community engagement", "engagement"], ["engagement spectrum"]),
        ("*engage*", ["public engagement in research"], ["engaging"]),
        ("co*tion", ["co-production", "consultation"], ["co-design"]),
        ("*Café*", ["le cafe du coin"], ["caf"]),
    ],
)
def test_a_pattern_fits_whole_labels(query: str, fits: list[str], misses: list[str]) -> None:
    pattern = Pattern.parse(query)
    assert pattern is not None
    assert all(pattern.fits(text) for text in fits)
    assert not any(pattern.fits(text) for text in misses)


@pytest.mark.parametrize("query", ["", "   ", "*", "***", " * "])
def test_an_empty_pattern_matches_nothing(query: str) -> None:
    assert Pattern.parse(query) is None


async def test_without_a_wildcard_the_query_is_a_whole_label(client: httpx.AsyncClient) -> None:
    assert await labels(client, "query=consultation") == ["consultation"]
    assert await labels(client, "query=consult") == []  # the REST API adds no "*"


async def test_a_trailing_wildcard_autocompletes(client: httpx.AsyncClient) -> None:
    found = await labels(client, "query=co-p*&lang=en")
    assert "co-production" in found
    assert all(label.lower().startswith("co-p") for label in found)


async def test_a_leading_wildcard_finds_label_endings(client: httpx.AsyncClient) -> None:
    found = await results(client, "query=*engagement&maxhits=100")
    uris = [r["uri"] for r in found]
    assert ENGAGEMENT in uris
    assert CONCEPT + "community-engagement" in uris
    for hit in found:
        matched = hit.get("altLabel") or hit.get("matchedPrefLabel") or hit["prefLabel"]
        assert matched.lower().endswith("engagement"), hit


async def test_maxhits_and_offset_page_the_same_order(client: httpx.AsyncClient) -> None:
    whole = await results(client, "query=*ion*&maxhits=20")
    assert len(whole) == 20
    page = await results(client, "query=*ion*&maxhits=5&offset=5")
    assert page == whole[5:10]
    assert await results(client, "query=*ion*&offset=900") == []


@pytest.mark.parametrize("query", ["*ion*", "*ing", "co*", "*engagement", "co*tion", "*PUBLIC*"])
async def test_a_pattern_finds_every_concept_a_scan_would(
    client: httpx.AsyncClient, snapshot: Snapshot, query: str
) -> None:
    """Checked against a scan of every label (the test's, never the service's)."""
    pattern = Pattern.parse(query)
    assert pattern is not None
    scanned = {
        c.iri
        for c in snapshot.index.concepts.values()
        if any(pattern.fits(t.value) for t in (*c.pref_labels, *c.alt_labels, *c.hidden_labels))
    }
    found = [r["uri"] for r in await results(client, f"query={query}&maxhits=100")]
    assert len(found) == len(set(found))  # one hit per concept
    assert set(found) == scanned


async def test_only_asked_types_are_found(client: httpx.AsyncClient) -> None:
    assert await labels(client, "query=consultation&type=skos:Concept") == ["consultation"]
    assert await labels(client, "query=consultation&type=skos:Collection") == []


async def test_parent_keeps_concepts_below_it(client: httpx.AsyncClient) -> None:
    below = await results(client, f"query=co*&parent={CONCEPT}co-production&maxhits=100")
    assert CO_DESIGN in [r["uri"] for r in below]
    assert CONCEPT + "co-production" not in [r["uri"] for r in below]
    listed = await results(client, f"parent={CONCEPT}co-production&maxhits=100")
    assert CO_DESIGN in [r["uri"] for r in listed]


async def test_group_keeps_its_members(client: httpx.AsyncClient) -> None:
    members = await results(client, f"group={GROUP}&maxhits=100")
    assert CONSULTATION in [r["uri"] for r in members]
    assert await labels(client, f"query=co-design&group={GROUP}") == []


async def test_global_search_names_each_result_s_vocabulary(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/rest/v1/search?query=consultation&vocab={VOCID}&unique=true")
    [hit] = response.json()["results"]
    assert hit["vocab"] == VOCID
    assert hit["uri"] == CONSULTATION
    assert (await client.get("/rest/v1/search?query=x&vocab=nope")).status_code == 404


async def test_labellang_sets_the_language_of_the_labels(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/rest/v1/{VOCID}/search?query=consultation&labellang=cy")
    body = response.json()
    assert body["@context"]["@language"] == "cy"
    assert body["results"][0]["prefLabel"] == "consultation"  # English is all there is


# The glossary's questions, asked as a Skosmos client asks them -------------------------


async def test_the_definition_of_consultation(client: httpx.AsyncClient) -> None:
    [hit] = await results(client, "query=consultation&fields=definition&lang=en")
    assert hit["uri"] == CONSULTATION
    assert hit["definition"][0].startswith("A formal process by which policy makers")
    data = await client.get(
        f"/rest/v1/{VOCID}/data", params={"uri": CONSULTATION, "format": "application/json"}
    )
    [node] = [n for n in data.json()["graph"] if n["uri"] == CONSULTATION]
    assert node["skos:definition"]["value"].startswith("A formal process by which policy makers")


async def test_citizen_engagement_resolves_to_community_engagement(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(f"/rest/v1/{VOCID}/lookup?label=citizen engagement&lang=en")
    [hit] = response.json()["result"]
    assert hit["uri"] == CONCEPT + "community-engagement"
    assert hit["prefLabel"] == "community engagement"
    assert hit["altLabel"] == "citizen engagement"


async def test_the_broader_concepts_of_co_design(client: httpx.AsyncClient) -> None:
    direct = await client.get(f"/rest/v1/{VOCID}/broader?uri={CO_DESIGN}&lang=en")
    assert direct.json()["broader"] == [
        {"uri": CONCEPT + "co-production", "prefLabel": "co-production"}
    ]
    chain = await client.get(f"/rest/v1/{VOCID}/broaderTransitive?uri={CO_DESIGN}")
    above = chain.json()["broaderTransitive"]
    assert CONCEPT + "co-production" in above
    assert set(above) - {CO_DESIGN}  # co-production, and what is above it


async def test_the_distinctions_between_participation_and_co_production(
    client: httpx.AsyncClient,
) -> None:
    """An extra key Skosmos clients ignore: both directions, with the glossary's reasons."""
    response = await client.get(
        f"/rest/v1/{VOCID}/related", params={"uri": CONCEPT + "participation", "lang": "en"}
    )
    body = response.json()
    assert body["@context"]["distinctions"] == "gloss:distinction"
    with_co_production = {
        d["direction"]: d["reason"]
        for d in body["distinctions"]
        if d["uri"] == CONCEPT + "co-production"
    }
    assert with_co_production == {
        "outgoing": "it doesn't require shared power or shared decision-making.",
        "incoming": "there is shared power and shared decision-making.",
    }
