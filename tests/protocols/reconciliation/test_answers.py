"""What a snapshot keeps of reconciliation answers: each query's candidates, found once, and
whole answers replayed to the same request; never to another origin, language preference,
body, reading of the body or snapshot; never a 4xx; bounded."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from tests.support.apps import Running, running_app
from tests.support.pages import snapshot_of, write_vocabulary
from tests.support.vocabularies import SMALL

pytestmark = pytest.mark.anyio

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
async def glossary(settings: Settings) -> AsyncIterator[Running]:
    """The shipped glossary in a fresh app, so the counts below are this module's alone."""
    async with running_app(settings) as running:
        yield running


def column(*values: str, keys: str = "q") -> str:
    return json.dumps({f"{keys}{i}": {"query": value} for i, value in enumerate(values)})


async def figures(client: httpx.AsyncClient) -> dict[str, dict[str, int]]:
    caches = (await client.get("/health/caches")).json()["caches"]
    return {
        name: {key: caches[name][key] for key in ("hits", "misses", "entries", "bytesHeld")}
        for name in ("reconcile_batches", "reconcile_queries", "responses")
    }


def change(before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> dict[str, int]:
    """Hits and misses of each reconciliation cache between two readings."""
    return {
        f"{name}.{key}": after[name][key] - before[name][key]
        for name in ("reconcile_batches", "reconcile_queries")
        for key in ("hits", "misses")
    }


async def test_each_query_is_found_once_and_kept_for_other_batches(glossary: Running) -> None:
    """A column repeats its values: a query is scored once per snapshot, and a later batch
    holding it (under other keys) is written from the kept candidates."""
    client = glossary.client
    before = await figures(client)
    first = await client.post("/reconcile", data={"queries": column(*["focus groups"] * 3)})
    assert first.status_code == 200
    after = await figures(client)
    assert after["responses"]["misses"] - before["responses"]["misses"] == 1  # one scoring
    assert change(before, after) == {
        "reconcile_batches.hits": 0,
        "reconcile_batches.misses": 1,
        "reconcile_queries.hits": 0,
        "reconcile_queries.misses": 1,  # the same query thrice in one batch: found once
    }
    other = await client.post("/reconcile", data={"queries": column("focus groups", keys="r")})
    assert other.json()["r0"] == first.json()["q0"]
    assert change(after, await figures(client))["reconcile_queries.hits"] == 1


async def test_a_batch_sent_again_is_replayed_byte_for_byte(glossary: Running) -> None:
    client = glossary.client
    body = {"queries": column("coproduction", "consultation exercise", "co design")}
    first = await client.post("/reconcile", data=body)
    before = await figures(client)
    again = await client.post("/reconcile", data=body)
    assert change(before, await figures(client)) == {
        "reconcile_batches.hits": 1,
        "reconcile_batches.misses": 0,
        "reconcile_queries.hits": 0,  # nothing read or scored again
        "reconcile_queries.misses": 0,
    }
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["cache-control"] == "no-store"


async def test_another_batch_gets_its_own_answer(glossary: Running) -> None:
    client = glossary.client
    one = await client.post("/reconcile", data={"queries": column("coproduction")})
    two = await client.post("/reconcile", data={"queries": column("consultation")})
    assert one.json()["q0"]["result"][0]["id"] != two.json()["q0"]["result"][0]["id"]


async def test_a_kept_answer_is_never_replayed_to_another_origin(glossary: Running) -> None:
    client = glossary.client
    body = {"queries": column("participation")}
    await client.post("/reconcile", data=body)
    before = await figures(client)
    other = await client.post("/reconcile", data=body, headers={"Host": "localhost:8000"})
    assert other.status_code == 200
    assert change(before, await figures(client))["reconcile_batches.misses"] == 1


async def test_a_kept_answer_is_keyed_on_how_its_body_is_read(glossary: Running) -> None:
    """The same bytes sent as JSON are a different request: here, not JSON at all (a 400),
    though the form they spell was answered and kept."""
    client = glossary.client
    body = "queries=" + column("involvement").replace('"', "%22")
    assert (await client.post("/reconcile", content=body, headers=FORM)).status_code == 200
    as_json = {"Content-Type": "application/json"}
    response = await client.post("/reconcile", content=body, headers=as_json)
    assert response.status_code == 400


async def test_a_callback_is_part_of_what_is_kept(glossary: Running) -> None:
    client = glossary.client
    body = {"queries": column("information")}
    plain = await client.post("/reconcile", data=body)
    script = await client.post("/reconcile?callback=done", data=body)
    in_form = await client.post("/reconcile", data={**body, "callback": "other"})
    assert plain.headers["content-type"].startswith("application/json")
    assert script.text == f"/**/done({plain.text});"
    assert in_form.text == f"/**/other({plain.text});"


async def test_a_refused_batch_is_never_kept(glossary: Running) -> None:
    client = glossary.client
    before = await figures(client)
    bad = {"queries": json.dumps({"q0": {"query": "x", "limit": 0}})}
    for _ in range(2):
        response = await client.post("/reconcile", data=bad)
        assert response.status_code == 400
    after = await figures(client)
    assert after["reconcile_batches"]["entries"] == before["reconcile_batches"]["entries"]
    assert change(before, after)["reconcile_batches.misses"] == 2


async def test_the_caches_are_bounded_in_bytes(settings: Settings) -> None:
    """An answer of ten glossary queries of up to ten candidates is some 12 kB: a megabyte
    holds some 80 of them."""
    labels = ["coproduction", "consultation", "co design", "participation", "focus group"]
    async with running_app(settings.model_copy(update={"cache_mb": 1})) as running:
        for n in range(120):
            queries = {
                f"q{k}": {"query": f"{labels[(n + k) % len(labels)]} {n}", "limit": 10}
                for k in range(10)
            }
            response = await running.client.post(
                "/reconcile", data={"queries": json.dumps(queries)}
            )
            assert response.status_code == 200
        held = await figures(running.client)
    for name in ("reconcile_batches", "reconcile_queries"):
        assert held[name]["bytesHeld"] <= 1024 * 1024
    assert 0 < held["reconcile_batches"]["entries"] < 120


# Languages and snapshots, on a vocabulary with Welsh labels --------------------------------


@pytest.fixture
async def small(settings: Settings, tmp_path: Path) -> AsyncIterator[Running]:
    vocab = write_vocabulary(SMALL, tmp_path)
    async with running_app(settings.model_copy(update={"vocab": (vocab,)})) as running:
        yield running


async def test_a_kept_answer_is_never_replayed_in_another_language(small: Running) -> None:
    body = {"queries": column("Animals")}
    english = await small.client.post("/reconcile", data=body)
    welsh = await small.client.post("/reconcile", data=body, headers={"Accept-Language": "cy"})
    assert english.json()["q0"]["result"][0]["name"] == "Animals"
    assert welsh.json()["q0"]["result"][0]["name"] == "Anifeiliaid"


async def test_a_kept_answer_is_never_replayed_from_another_snapshot(
    small: Running, tmp_path: Path
) -> None:
    body = {"queries": column("Animals")}
    before = await small.client.post("/reconcile", data=body)
    assert before.json()["q0"]["result"][0]["name"] == "Animals"
    old = 'skos:prefLabel "Animals"@en ,'
    renamed = SMALL.replace(old, 'skos:altLabel "Animals"@en ; skos:prefLabel "Fauna"@en ,')
    assert renamed != SMALL
    (tmp_path / "new").mkdir()
    small.runtime.swap(snapshot_of(renamed, tmp_path / "new"))
    after = await small.client.post("/reconcile", data=body)
    assert after.json()["q0"]["result"][0]["name"] == "Fauna"


@pytest.mark.server
async def test_uvicorn_replays_a_batch_sent_again(server_url: str) -> None:
    """Through a real server and socket: the same bytes, counted as a replay."""
    body = {"queries": column("co-production", "people's panel", "citizen jury")}
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as http:
        first = await http.post("/reconcile", data=body)
        before = await figures(http)
        again = await http.post("/reconcile", data=body)
        assert change(before, await figures(http))["reconcile_batches.hits"] == 1
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
