"""``api.http.front``: an answer asked for again is sent, byte for byte, as the whole stack
sent it, without entering it; every fact that could change it keeps it apart (issue 12)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from api.app import create_app
from api.http.caching import Prepared
from api.http.front import FrontReplay, Kept
from api.runtime.serving import Runtime
from api.settings import Settings
from tests.http.test_metrics import scrape, value
from tests.support.apps import Running, running_app
from tests.support.pages import snapshot_of, write_vocabulary
from tests.support.server import running_server
from tests.support.vocabularies import SMALL

pytestmark = pytest.mark.anyio

#: A header no layer knows: the request goes through the whole stack.
UNVOUCHED = {"x-unvouched": "1"}

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def answer(response: httpx.Response) -> Answer:
    """Everything the client received: status, every header in order, body."""
    return response.status_code, response.headers.raw, response.content


@pytest.fixture
async def running(settings: Settings) -> AsyncIterator[Running]:
    async with running_app(settings) as started:
        yield started


def hits(runtime: Runtime, cache: str) -> int:
    return runtime.current.caches.stats()[cache].hits


def entries(runtime: Runtime) -> int:
    return len(runtime.current.caches.front)


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/concepts/consultation", {}),  # JSON
        ("/concepts/consultation.ttl", {}),  # Turtle, by suffix
        ("/concepts/consultation", {"accept": "text/turtle"}),  # Turtle, by Accept
        ("/concepts/consultation", {"accept": "text/html"}),  # the page
        ("/concepts?limit=3", {}),  # a list
        ("/concepts/consultation/narrower", {"accept-language": "en"}),
        ("/schemes/engagement-glossary/top-concepts", {}),
        ("/schemes/engagement-glossary", {}),
        ("/search?q=co", {}),  # search, a shared-out route
        ("/lookup?label=consultation", {}),
    ],
)
async def test_a_front_replay_is_the_bytes_the_whole_stack_sends(
    running: Running, path: str, headers: dict[str, str]
) -> None:
    client, runtime = running.client, running.runtime
    first = await client.get(path, headers=headers)  # the whole stack; kept
    assert first.status_code == 200, first.text
    inner = hits(runtime, "responses")
    front = hits(runtime, "front")
    again = await client.get(path, headers=headers)
    assert hits(runtime, "front") == front + 1
    assert hits(runtime, "responses") == inner  # the stack was not entered
    stack = await client.get(path, headers={**headers, **UNVOUCHED})
    assert hits(runtime, "responses") == inner + 1  # this one was answered inside
    assert answer(again) == answer(first) == answer(stack)
    # What the middleware adds is in the bytes replayed: security, CORS, caching.
    for name in ("content-security-policy", "access-control-allow-origin", "etag", "vary"):
        assert name in again.headers
    assert again.headers["cache-control"].startswith("public, max-age=")


SPARQL = "/sparql?" + urlencode(
    {
        "query": "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        'SELECT ?c WHERE { ?c skos:prefLabel "Consultation"@en }'
    }
)


async def test_a_sparql_get_is_replayed_in_front_per_format(running: Running) -> None:
    client, runtime = running.client, running.runtime
    json = {"accept": "application/sparql-results+json"}
    first = await client.get(SPARQL, headers=json)  # a worker answers; kept in both
    assert first.status_code == 200, first.text
    inner, front = hits(runtime, "sparql"), hits(runtime, "front")
    again = await client.get(SPARQL, headers=json)
    assert (hits(runtime, "sparql"), hits(runtime, "front")) == (inner, front + 1)
    assert answer(again) == answer(first)
    # Another format is another answer: through the stack, never the JSON replayed.
    xml = await client.get(SPARQL, headers={"accept": "application/sparql-results+xml"})
    assert hits(runtime, "front") == front + 1
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    # A POST is never kept in front (its query is in the body).
    held = entries(runtime)
    await client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers=json)
    assert entries(runtime) == held


async def test_head_is_kept_apart_from_get_and_replayed_as_sent(running: Running) -> None:
    client = running.client
    held = entries(running.runtime)
    get = await client.get("/concepts/consultation")
    heads = [await client.head("/concepts/consultation") for _ in range(2)]
    assert entries(running.runtime) == held + 2  # one for GET, one for HEAD
    assert answer(heads[0]) == answer(heads[1])
    assert heads[1].content == b""
    assert heads[1].headers.raw == get.headers.raw  # the headers a GET gets, length included


async def test_the_body_kept_in_front_is_the_prepared_answer_s_bytes_not_a_copy(
    running: Running,
) -> None:
    await running.client.get("/concepts/consultation")
    caches = running.runtime.current.caches
    (kept,) = (caches.front.get(key) for key in list(caches.front._items))
    prepared = [v for v in caches.responses._items.values() if isinstance(v, Prepared)]
    assert isinstance(kept, Kept)
    (inner,) = (p for p in prepared if p.body is kept.body)
    # The header pairs too: the prepared answer's, not copies (only the outer tuple is new).
    assert all(any(pair is mine for mine in kept.headers) for pair in inner.headers)
    assert kept.route == "/concepts/{id}"


@pytest.mark.parametrize(
    "variant",
    [
        {"accept": "text/turtle"},
        {"accept": "application/ld+json"},
        {"accept-language": "cy"},
        {"accept-language": "cy, en;q=0.5"},
        {"host": "localhost"},
        {"origin": "https://other.example"},
        {"accept-encoding": "gzip"},
    ],
)
async def test_requests_that_differ_in_a_fact_never_share_an_answer(
    tmp_path: Path, variant: dict[str, str]
) -> None:
    settings = Settings(vocab=(write_vocabulary(SMALL, tmp_path),))
    async with running_app(settings) as running:
        client, runtime = running.client, running.runtime
        plain = [await client.get("/concepts/A") for _ in range(2)]
        held = entries(runtime)
        varied = [await client.get("/concepts/A", headers=variant) for _ in range(2)]
        stack = await client.get("/concepts/A", headers={**variant, **UNVOUCHED})
    assert entries(runtime) == held + 1  # an answer of its own
    assert answer(varied[1]) == answer(varied[0]) == answer(stack)
    if "origin" not in variant and "accept-encoding" not in variant:
        assert varied[1].headers["etag"] != plain[1].headers["etag"]
    if "accept-language" in variant:
        assert "Anifeiliaid" in varied[1].text


async def test_spellings_of_one_language_preference_share_one_entry(running: Running) -> None:
    client, runtime = running.client, running.runtime
    first = await client.get(
        "/concepts/consultation", headers={"accept-language": "en-GB,en;q=0.9"}
    )
    held, front = entries(runtime), hits(runtime, "front")
    for spelling in ("en-GB, en;q=0.9", "en-gb,en;q=0.9", "EN-GB;q=1, en;q=0.5"):
        again = await client.get("/concepts/consultation", headers={"accept-language": spelling})
        assert answer(again) == answer(first)
    assert (entries(runtime), hits(runtime, "front")) == (held, front + 3)


@pytest.mark.parametrize(
    "header",
    [
        {"if-none-match": "*"},
        {"cookie": "a=b"},
        {"authorization": "Bearer x"},
        {"range": "bytes=0-10"},
        {"if-modified-since": "Wed, 21 Oct 2015 07:28:00 GMT"},
        UNVOUCHED,
    ],
)
async def test_a_header_the_front_cannot_vouch_for_goes_through_the_stack(
    running: Running, header: dict[str, str]
) -> None:
    client, runtime = running.client, running.runtime
    await client.get("/concepts/consultation")  # kept
    front = runtime.current.caches.front.stats()
    await client.get("/concepts/consultation", headers=header)
    after = runtime.current.caches.front.stats()
    assert (after.hits, after.misses) == (front.hits, front.misses)  # not looked up


async def test_a_client_with_the_tag_gets_its_304_from_the_stack(running: Running) -> None:
    client = running.client
    first = await client.get("/concepts/consultation")
    await client.get("/concepts/consultation")  # kept in front now
    again = await client.get(
        "/concepts/consultation", headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/health"),  # conditional, but on the reload count too: not replayable
        ("GET", "/health/caches"),
        ("GET", "/metrics"),
        ("GET", "/concepts/no-such-concept"),  # a 404
        ("GET", "/concepts?limit=0"),  # a 400
        ("GET", "/concepts/consultation/card"),  # not marked replayable
        ("GET", "/graphql?query={concepts{totalCount}}"),
        ("POST", "/search?q=co"),
    ],
)
async def test_only_answers_an_endpoint_marked_replayable_are_kept(
    running: Running, method: str, path: str
) -> None:
    held = entries(running.runtime)
    for _ in range(2):
        await running.client.request(method, path)
    assert entries(running.runtime) == held


async def test_a_shared_out_route_is_charged_for_a_front_replay(settings: Settings) -> None:
    limited = settings.model_copy(
        update={"rate_limit_per_second": 0.001, "rate_limit_burst": 2, "rate_limit_exempt": ()}
    )
    async with running_app(limited) as running:
        responses = [await running.client.get("/search?q=co") for _ in range(3)]
        text = await scrape(running.client)
        front = running.runtime.current.caches.front.stats()
    assert [r.status_code for r in responses] == [200, 200, 429]
    # Both found in front and charged there: the second replayed, the third refused by the
    # stack (with every header it adds) without being charged twice.
    assert front.hits == 2
    refused = responses[2]
    assert refused.headers["retry-after"]
    assert refused.headers["content-security-policy"]  # answered by the stack
    assert value(text, "glossary_http_rejected_requests_total", reason="too-many-requests") == 1


async def test_front_replays_are_counted_timed_and_logged_under_their_route(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    logged = settings.model_copy(update={"access_log": 1.0})
    with caplog.at_level(logging.INFO, logger="api.access"):
        async with running_app(logged) as running:
            caplog.clear()
            for _ in range(3):
                await running.client.get("/concepts/consultation")
            text = await scrape(running.client)
            replayed = running.runtime.current.caches.front.stats().hits
    assert replayed == 2
    route = "/concepts/{id}"
    requests = "glossary_http_requests_total"
    assert value(text, requests, route=route, method="GET", status="200") == 3
    assert value(text, "glossary_http_request_duration_seconds_count", route=route) == 3
    lines = [r for r in caplog.records if r.name == "api.access" and r.__dict__["route"] == route]
    assert [(r.__dict__["path"], r.__dict__["status"]) for r in lines] == [
        ("/concepts/consultation", 200)
    ] * 3


async def test_a_reload_never_replays_the_old_snapshot_s_bytes(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    settings = Settings(vocab=(write_vocabulary(SMALL, tmp_path / "old"),))
    async with running_app(settings) as running:
        for _ in range(2):
            assert "Animals" in (await running.client.get("/concepts/A")).text
        (tmp_path / "new").mkdir()
        renamed = SMALL.replace('"Animals"@en', '"Beasts"@en')
        running.runtime.swap(snapshot_of(renamed, tmp_path / "new"))
        again = await running.client.get("/concepts/A")
        stack = await running.client.get("/concepts/A", headers=UNVOUCHED)
    assert "Beasts" in again.text
    assert "Animals" not in again.text
    assert answer(again) == answer(stack)


async def test_the_front_holds_at_most_its_setting(settings: Settings) -> None:
    small = settings.model_copy(update={"front_replays": 2})
    async with running_app(small) as running:
        for concept in ("consultation", "co-design", "deliberation", "participation"):
            await running.client.get(f"/concepts/{concept}")
        assert entries(running.runtime) == 2
        assert running.runtime.current.caches.front.stats().capacity == 2


def test_zero_front_replays_leaves_no_layer_in_front(settings: Settings) -> None:
    kinds = [m.cls for m in create_app(settings).user_middleware]
    assert kinds[1] is FrontReplay  # just inside the host check
    off = settings.model_copy(update={"front_replays": 0})
    assert FrontReplay not in [m.cls for m in create_app(off).user_middleware]


def without_date(response: httpx.Response) -> Answer:
    """What a server sent, but for its ``Date`` (uvicorn's, not the app's)."""
    headers = [(name, text) for name, text in response.headers.raw if name.lower() != b"date"]
    return response.status_code, headers, response.content


@pytest.mark.server
def test_a_real_server_replays_in_front_what_its_stack_sends() -> None:
    paths = ("/concepts/consultation", "/concepts/consultation.ttl", "/search?q=co")
    with running_server() as base, httpx.Client(base_url=base, timeout=30) as client:
        firsts = {}
        for path in paths:
            first, again = client.get(path), client.get(path)
            stack = client.get(path, headers=UNVOUCHED)
            assert first.status_code == 200
            assert without_date(again) == without_date(first) == without_date(stack)
            firsts[path] = first
        heads = [client.head(paths[0]) for _ in range(2)]
        front = client.get("/health/caches").json()["caches"]["front"]
    assert without_date(heads[1]) == without_date(heads[0])
    assert heads[1].content == b""
    assert heads[1].headers["content-length"] == str(len(firsts[paths[0]].content))
    assert (front["hits"], front["entries"]) == (len(paths) + 1, len(paths) + 1)
