"""``/sparql`` in front of a real Oxigraph server: queries checked here and refused before
the store sees them, answers capped at our rows and bytes, our timeout held against a slow
store, and a store that fails answered 502, never a hang or a 500."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pyoxigraph as ox
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.settings import Settings
from api.sparql.endpoint import TRUNCATED_HEADER
from tests.sources.conftest import GLOSSARY
from tests.support.apps import for_tests, running_app
from tests.support.stores import Hostile, Oxigraph, hostile_store

pytestmark = pytest.mark.anyio

MAX_ROWS, MAX_BYTES, TIMEOUT = 50, 12_000, 1.0
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
LABELS = SKOS + "SELECT ?c ?label WHERE { ?c skos:prefLabel ?label } ORDER BY ?c"
JSON = {"Accept": "application/sparql-results+json"}


@dataclass
class Forwarding:
    """An app reading the glossary from Oxigraph through a proxy whose manners a test sets."""

    client: httpx.AsyncClient
    proxy: Hostile


@pytest.fixture(scope="module")
def proxy(glossary_store: Oxigraph) -> Iterator[tuple[Hostile, str]]:
    hostile = Hostile(upstream=glossary_store.url)
    with hostile_store(hostile) as url:
        yield hostile, url


@pytest.fixture(scope="module")
async def forwarding(proxy: tuple[Hostile, str]) -> AsyncIterator[Forwarding]:
    hostile, url = proxy
    settings = Settings(
        source=url,
        sparql_max_rows=MAX_ROWS,
        sparql_max_bytes=MAX_BYTES,
        sparql_timeout=TIMEOUT,
    )
    async with running_app(settings) as running:
        yield Forwarding(running.client, hostile)


@pytest.fixture
def store(forwarding: Forwarding) -> Iterator[Forwarding]:
    """The forwarding app, its proxy well-behaved again after each test, its log cleared."""
    forwarding.proxy.seen.clear()
    yield forwarding
    forwarding.proxy.mode, forwarding.proxy.delay = "proxy", 0.0


async def test_a_select_is_answered_by_the_store_and_capped_as_the_files_answer_it(
    store: Forwarding,
) -> None:
    forwarded = await store.client.get("/sparql", params={"query": LABELS}, headers=JSON)
    assert forwarded.status_code == 200
    assert forwarded.headers["content-type"].startswith("application/sparql-results+json")
    assert len(store.proxy.seen) == 1  # the store answered it
    files = Settings(vocab=(GLOSSARY,), sparql_max_rows=MAX_ROWS, sparql_max_bytes=MAX_BYTES)
    async with running_app(files) as local:
        expected = await local.client.get("/sparql", params={"query": LABELS}, headers=JSON)
    assert forwarded.json() == expected.json()
    assert len(forwarded.json()["results"]["bindings"]) == MAX_ROWS  # of 61 labels
    assert forwarded.headers[TRUNCATED_HEADER] == expected.headers[TRUNCATED_HEADER] == "50"


async def test_forwarded_answers_are_live_so_never_kept(store: Forwarding) -> None:
    for _ in range(2):
        answer = await store.client.get("/sparql", params={"query": "ASK {}"}, headers=JSON)
        assert answer.json() == {"head": {}, "boolean": True}
        assert answer.headers["cache-control"] == "no-store"
        assert "etag" not in answer.headers
    assert len(store.proxy.seen) == 2


async def test_answers_are_cut_at_the_byte_cap_and_still_parse(store: Forwarding) -> None:
    query = "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && STRLEN(?o) > 200) }"
    for accept, fmt in (
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ):
        answer = await store.client.post(
            "/sparql", data={"query": query}, headers={"Accept": accept}
        )
        assert answer.status_code == 200
        assert len(answer.content) <= MAX_BYTES
        solutions = ox.parse_query_results(answer.content, fmt)
        assert isinstance(solutions, ox.QuerySolutions)
        rows = list(solutions)
        assert answer.headers[TRUNCATED_HEADER] == str(len(rows))
        assert 0 < len(rows) < MAX_ROWS


async def test_csv_is_written_here_from_the_store_s_tsv(store: Forwarding) -> None:
    answer = await store.client.get(
        "/sparql", params={"query": LABELS}, headers={"Accept": "text/csv"}
    )
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["c", "label"]
    assert len(rows) == MAX_ROWS + 1
    assert store.proxy.seen[0]["Accept"] == "text/tab-separated-values"


async def test_a_construct_is_capped_in_triples_and_served_in_turtle(store: Forwarding) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    answer = await store.client.get(
        "/sparql", params={"query": query}, headers={"Accept": "text/turtle"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(answer.content, ox.RdfFormat.TURTLE))
    assert len(triples) == int(answer.headers[TRUNCATED_HEADER]) <= MAX_ROWS
    assert store.proxy.seen[0]["Accept"] == "application/n-triples"


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://evil.example/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }", "FROM"),
        ("LOAD <http://evil.example/data.ttl>", "read-only"),
        ("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", "read-only"),
        ("SELECT * WHERE { ?s ?p }", "line 1"),
    ],
)
async def test_what_our_parser_refuses_never_reaches_the_store(
    store: Forwarding, query: str, why: str
) -> None:
    answer = await store.client.post("/sparql", data={"query": query})
    assert answer.status_code == 400
    assert why in answer.json()["detail"]
    assert store.proxy.seen == []


async def test_a_dataset_parameter_never_reaches_the_store(store: Forwarding) -> None:
    params = {"query": "ASK {}", "default-graph-uri": "http://evil.example/"}
    answer = await store.client.get("/sparql", params=params)
    assert answer.json()["type"].endswith("/query-refused")
    assert store.proxy.seen == []


async def test_a_slow_store_is_cut_off_at_our_timeout(store: Forwarding) -> None:
    store.proxy.mode, store.proxy.delay = "slow", 5.0
    started = time.monotonic()
    answer = await store.client.get("/sparql", params={"query": LABELS}, headers=JSON)
    assert answer.status_code == 504
    assert answer.json()["type"].endswith("/query-timeout")
    assert time.monotonic() - started < TIMEOUT + 1.5


async def test_an_endless_answer_is_cut_at_our_caps(store: Forwarding) -> None:
    store.proxy.mode = "endless"
    answer = await store.client.get("/sparql", params={"query": LABELS}, headers=JSON)
    assert answer.status_code == 200
    assert len(json.loads(answer.content)["results"]["bindings"]) == MAX_ROWS
    assert answer.headers[TRUNCATED_HEADER] == str(MAX_ROWS)


async def test_a_store_that_answers_a_web_page_is_a_bad_gateway(store: Forwarding) -> None:
    store.proxy.mode = "html"
    answer = await store.client.get("/sparql", params={"query": LABELS}, headers=JSON)
    assert answer.status_code == 502
    problem = answer.json()
    assert problem["type"].endswith("/store-failed")
    assert "text/html" in problem["detail"]


async def test_a_store_that_is_down_is_a_bad_gateway_naming_no_host(
    store: Forwarding, glossary_store: Oxigraph
) -> None:
    glossary_store.stop()
    try:
        answer = await store.client.get("/sparql", params={"query": LABELS}, headers=JSON)
    finally:
        glossary_store.start()
    assert answer.status_code == 502
    assert "127.0.0.1" not in answer.text
    assert str(glossary_store.port) not in answer.text


async def test_a_client_has_one_forwarded_query_at_a_time(proxy: tuple[Hostile, str]) -> None:
    hostile, url = proxy
    settings = Settings(source=url, sparql_timeout=5, rate_limit_exempt=())
    async with LifespanManager(create_app(for_tests(settings)), startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=("192.0.2.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            hostile.mode, hostile.delay = "slow", 1.0
            try:
                first = asyncio.create_task(client.get("/sparql", params={"query": "ASK {}"}))
                await asyncio.sleep(0.3)  # the first is waiting on the store
                second = await client.get("/sparql", params={"query": "ASK {}"})
                assert second.status_code == 429
                assert (await first).status_code == 200
                third = await client.get("/sparql", params={"query": "ASK {}"})
                assert third.status_code == 200  # the first one's place was given back
            finally:
                hostile.mode, hostile.delay = "proxy", 0.0
