"""``/sparql`` under hostile load, in-process: fat answers cut by bytes and streamed, hostile
CSV cells escaped, too many form fields refused, one query at a time per client address,
and a query over the worker's memory stopped while the next one is answered."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from api.app import create_app
from api.settings import Settings
from api.sparql.endpoint import MAX_FIELDS, STREAM_FROM, TRUNCATED_HEADER
from tests.sparql.test_pool import DOUBLING

pytestmark = pytest.mark.anyio

VOCAB = Path(__file__).resolve().parents[2] / "vocab"
#: 10,000 rows (the glossary's triples, thirteen times) of a 12,800-character string.
FAT = (
    "SELECT ?s ?x WHERE { ?s ?p ?o VALUES ?k { 1 2 3 4 5 6 7 8 9 10 11 12 13 } "
    'BIND("0123456789abcdef" AS ?x0) '
    + "".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1}) " for i in range(10))
    + "BIND(SUBSTR(?x10, 1, 12800) AS ?x) } LIMIT 10000"
)
HOSTILE = 'SELECT ?x WHERE { VALUES ?x { "=HYPERLINK(\\"http://evil.example/\\")" "@A1" } }'


@pytest.fixture(scope="module")
async def app() -> AsyncIterator[Starlette]:
    settings = Settings(
        vocab=(VOCAB,),
        sparql_max_bytes=1_000_000,
        sparql_worker_memory_mb=768,
        sparql_timeout=15,  # room for the memory test on a loaded machine
        rate_limit_exempt=(),
    )
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=60) as manager:
        yield manager.app  # type: ignore[misc]


@pytest.fixture
def client_at(app: Starlette) -> Callable[[str], httpx.AsyncClient]:
    """A client of the app calling from ``address``."""

    def make(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=60)

    return make


async def test_a_fat_answer_is_cut_by_bytes_and_says_so(
    client_at: Callable[[str], httpx.AsyncClient],
) -> None:
    async with client_at("198.51.100.1") as client:
        response = await client.get("/sparql", params={"query": FAT, "format": "csv"})
    assert response.status_code == 200
    assert STREAM_FROM < len(response.content) <= 1_000_000
    assert response.headers["content-length"] == str(len(response.content))
    rows = list(csv.reader(io.StringIO(response.text, newline="")))[1:]
    assert response.headers[TRUNCATED_HEADER] == str(len(rows))
    assert 0 < len(rows) < 10_000
    assert all(len(row[1]) == 12_800 for row in rows)  # whole rows only


async def test_a_fat_get_is_still_revalidated(
    client_at: Callable[[str], httpx.AsyncClient],
) -> None:
    async with client_at("198.51.100.2") as client:
        first = await client.get("/sparql", params={"query": FAT})
        again = await client.get(
            "/sparql", params={"query": FAT}, headers={"If-None-Match": first.headers["etag"]}
        )
    assert first.status_code == 200
    assert again.status_code == 304


async def test_csv_cells_a_spreadsheet_would_evaluate_are_escaped(
    client_at: Callable[[str], httpx.AsyncClient],
) -> None:
    async with client_at("198.51.100.3") as client:
        response = await client.get("/sparql", params={"query": HOSTILE, "format": "csv"})
    cells = [row[0] for row in csv.reader(io.StringIO(response.text, newline=""))]
    assert cells == ["x", '\'=HYPERLINK("http://evil.example/")', "'@A1"]


@pytest.mark.parametrize("where", ["form", "url"])
async def test_too_many_fields_are_a_413_not_a_500(
    client_at: Callable[[str], httpx.AsyncClient], where: str
) -> None:
    fields = {"query": "ASK {}", **{f"f{i}": "x" for i in range(MAX_FIELDS)}}
    async with client_at("198.51.100.4") as client:
        if where == "form":
            response = await client.post("/sparql", data=fields)
        else:
            response = await client.get("/sparql", params=fields)
        assert response.status_code == 413
        assert response.json()["type"].endswith("/payload-too-large")
        del fields["f0"]  # exactly the limit is fine
        assert (await client.post("/sparql", data=fields)).status_code == 200


@pytest.mark.slow  # the first query runs to the time limit; test_endpoint checks it with 1 s
async def test_a_second_query_from_one_client_waits_its_turn_others_do_not(
    client_at: Callable[[str], httpx.AsyncClient],
) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    async with client_at("198.51.100.5") as greedy, client_at("198.51.100.6") as other:
        running = asyncio.create_task(greedy.get("/sparql", params={"query": slow}))
        await asyncio.sleep(0.5)
        # A query not answered before: a kept answer needs no worker and takes no place.
        refused = await greedy.get("/sparql", params={"query": 'ASK { ?s ?p "turn" }'})
        served = await other.get("/sparql", params={"query": "ASK {}"})
        await running
        after = await greedy.get("/sparql", params={"query": "ASK {}"})
    assert refused.status_code == 429, refused.text
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["type"].endswith("/too-many-requests")
    assert served.status_code == 200
    assert after.status_code == 200  # the place was given back


async def test_a_query_over_the_memory_limit_is_a_422_and_the_next_is_answered(
    client_at: Callable[[str], httpx.AsyncClient],
) -> None:
    async with client_at("198.51.100.7") as client:
        response = await client.get("/sparql", params={"query": DOUBLING})
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["type"].endswith("/query-out-of-memory")
        assert "768 MiB" in body["detail"]
        after = await client.get("/sparql", params={"query": "ASK {}"})
    assert after.json() == {"head": {}, "boolean": True}
