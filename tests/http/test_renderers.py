"""Negotiated representations are prepared once per snapshot and replayed exactly.

A replayed response must equal the answer of a freshly built app to the same request, and
must differ whenever a fact it varies on differs (Accept, Accept-Language, the host that
absolute links are built on, the query string); 304s must still follow If-None-Match.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from rdflib.compare import isomorphic
from starlette.requests import Request
from starlette.responses import Response

from api import app as app_module
from api.app import create_app
from api.http.headers import if_none_match_matches as matches
from api.http.renderers import Registry, Renderer, Resource
from api.runtime.serving import Serving
from api.settings import Settings
from tests.support.apps import running_app
from tests.support.rdf import graph_of

pytestmark = pytest.mark.anyio

CONCEPT = "/concepts/consultation"
#: RDF media types → ``graph_of`` format names. Each load of the vocabulary labels its blank
#: nodes afresh, so two apps serialise the same graph with other labels (and, in Turtle, in
#: another order): between apps, such bodies can only be compared as graphs.
RDF_FORMATS = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/rdf+xml": "rdf"}


@pytest.fixture
async def fresh(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app built from the session's settings for one test alone."""
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


def neighbours(headers: dict[str, str]) -> list[dict[str, str]]:
    """``headers`` with one fact a representation varies on changed at a time: a replay
    keyed without that fact would answer the neighbour's representation."""
    language = "en" if headers.get("accept-language", "").startswith("cy") else "cy"
    accept = "text/html" if headers.get("accept") == "text/turtle" else "text/turtle"
    return [
        {**headers, "host": "localhost"},  # another allowed host
        {**headers, "accept-language": language},
        {**headers, "accept": accept},
    ]


def replayable(
    response: httpx.Response, ignoring: frozenset[str] = frozenset({"date"})
) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Status, body and headers, without those that differ between identical answers."""
    headers = sorted((k, v) for k, v in response.headers.items() if k not in ignoring)
    return response.status_code, response.content, headers


def assert_same_answer(replayed: httpx.Response, answered: httpx.Response) -> None:
    """Byte for byte the same answer; in RDF, the same status, headers (but the length) and
    graph."""
    fmt = RDF_FORMATS.get(answered.headers["content-type"].split(";")[0].strip())
    if fmt is None:
        assert replayable(replayed) == replayable(answered)
        return
    ignoring = frozenset({"date", "content-length"})
    status, _, headers = replayable(replayed, ignoring)
    assert (status, headers) == (answered.status_code, replayable(answered, ignoring)[2])
    assert isomorphic(graph_of(replayed.content, fmt), graph_of(answered.content, fmt))


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (CONCEPT, {}),
        (CONCEPT + ".ttl", {}),
        (CONCEPT, {"accept": "application/ld+json"}),
        (CONCEPT, {"accept": "application/rdf+xml"}),
        (CONCEPT, {"accept": "text/html"}),
        ("/schemes/engagement-glossary", {"accept-language": "cy, en;q=0.5"}),
    ],
)
async def test_a_replay_is_what_a_fresh_app_answers(
    client: httpx.AsyncClient, fresh: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> None:
    """The session app's replay (after its neighbours were prepared too) equals its earlier
    answer exactly, and the first answer of an app built for this test, which has nothing
    prepared to replay."""
    for neighbour in neighbours(headers):
        await client.get(path, headers=neighbour)
    earlier = await client.get(path, headers=headers)
    replayed = await client.get(path, headers=headers)
    answered = await fresh.get(path, headers=headers)
    assert answered.status_code == 200
    assert replayable(replayed) == replayable(earlier)
    assert_same_answer(replayed, answered)


async def test_the_negotiated_format_follows_accept(client: httpx.AsyncClient) -> None:
    json = await client.get(CONCEPT, headers={"accept": "application/json"})
    turtle = await client.get(CONCEPT, headers={"accept": "text/turtle"})
    again = await client.get(CONCEPT, headers={"accept": "application/json"})
    assert json.headers["content-type"].startswith("application/json")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert again.headers["content-type"] == json.headers["content-type"]
    assert len({json.headers["etag"], turtle.headers["etag"]}) == 2


async def test_links_follow_the_allowed_host_the_request_named(client: httpx.AsyncClient) -> None:
    one = await client.get(CONCEPT, headers={"host": "localhost"})
    two = await client.get(CONCEPT, headers={"host": "testserver"})
    assert "http://localhost/concepts/consultation.ttl" in one.headers["link"]
    assert "http://testserver/concepts/consultation.ttl" in two.headers["link"]
    assert "localhost" not in two.headers["link"]
    assert one.headers["etag"] != two.headers["etag"]


async def test_the_query_string_is_part_of_what_is_replayed(client: httpx.AsyncClient) -> None:
    default = await client.get(CONCEPT)
    turtle = await client.get(CONCEPT, params={"format": "ttl"})
    assert default.headers["content-type"].startswith("application/json")
    assert turtle.headers["content-type"].startswith("text/turtle")


async def test_if_none_match_is_checked_on_every_replay(client: httpx.AsyncClient) -> None:
    fresh = await client.get(CONCEPT)
    etag = fresh.headers["etag"]
    cached = await client.get(CONCEPT, headers={"if-none-match": etag})
    stale = await client.get(CONCEPT, headers={"if-none-match": '"not-this-one"'})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    assert "link" in cached.headers
    assert stale.status_code == 200
    assert stale.content == fresh.content


async def test_middleware_headers_are_not_replayed_twice(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        response = await client.get(CONCEPT)
    names = [name for name, _ in response.headers.raw]
    assert len(names) == len(set(names)), names


@pytest.mark.parametrize(
    ("header", "expected"),
    [('"a"', True), ('W/"a"', True), ('"b", "a"', True), ("*", True), ('"b"', False)],
)
def test_if_none_match_compares_weakly(header: str, expected: bool) -> None:
    assert matches(header, '"a"') is expected


async def test_rendering_runs_off_the_event_loop(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real = app_module.renderers()

    def spy(request: Request, serving: Serving, resource: Resource) -> Response:
        threads.append(threading.current_thread())
        return real.renderers["json"].render(request, serving, resource)

    monkeypatch.setattr(
        app_module, "renderers", lambda: Registry({**real.renderers, "json": Renderer(spy)})
    )
    async with running_app(settings) as running:
        response = await running.client.get(CONCEPT)
    assert response.status_code == 200
    assert threads
    assert threading.main_thread() not in threads  # the event loop's thread never renders


async def test_an_rdf_description_is_one_entry_whatever_the_languages_asked(
    client: httpx.AsyncClient,
) -> None:
    """It holds every label in every language, so Accept-Language cannot change it (issue
    12: keyed on what the answer depends on, a Turtle concept is cached once, not per
    language preference); JSON, whose labels are picked by language, still differs."""
    spellings = ("en", "cy, en;q=0.5", "fr-CH, fr;q=0.9")
    turtle = [await client.get(CONCEPT + ".ttl", headers={"accept-language": s}) for s in spellings]
    assert len({r.headers["etag"] for r in turtle}) == 1
    assert len({r.content for r in turtle}) == 1
    json_tags = {
        (await client.get(CONCEPT, headers={"accept-language": s})).headers["etag"]
        for s in spellings
    }
    assert len(json_tags) == len(spellings)
