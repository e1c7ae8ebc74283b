"""Negotiated representations are prepared once per snapshot and replayed exactly.

A replayed response must equal a freshly rendered one for the same request facts, and
must differ whenever a fact it varies on differs (Accept, Accept-Language, the host that
absolute links are built on, the query string); 304s must still follow If-None-Match.
"""

from __future__ import annotations

import httpx
import pytest

from api.http.renderers import matches

pytestmark = pytest.mark.anyio

CONCEPT = "/concepts/consultation"


def replayable(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Status, body and headers, without the one that differs between identical answers."""
    headers = sorted((k, v) for k, v in response.headers.items() if k != "date")
    return response.status_code, response.content, headers


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (CONCEPT, {}),
        (CONCEPT + ".ttl", {}),
        (CONCEPT, {"accept": "application/ld+json"}),
        (CONCEPT, {"accept": "text/html"}),
        ("/schemes/engagement-glossary", {"accept-language": "cy, en;q=0.5"}),
    ],
)
async def test_a_repeated_request_gets_the_same_response(
    client: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> None:
    first = await client.get(path, headers=headers)
    second = await client.get(path, headers=headers)
    assert first.status_code == 200
    assert replayable(second) == replayable(first)


async def test_the_negotiated_format_follows_accept(client: httpx.AsyncClient) -> None:
    json = await client.get(CONCEPT, headers={"accept": "application/json"})
    turtle = await client.get(CONCEPT, headers={"accept": "text/turtle"})
    again = await client.get(CONCEPT, headers={"accept": "application/json"})
    assert json.headers["content-type"].startswith("application/json")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert again.headers["content-type"] == json.headers["content-type"]
    assert len({json.headers["etag"], turtle.headers["etag"]}) == 2


async def test_links_follow_the_host_the_request_named(client: httpx.AsyncClient) -> None:
    one = await client.get(CONCEPT, headers={"host": "one.example"})
    two = await client.get(CONCEPT, headers={"host": "two.example"})
    assert "http://one.example/concepts/consultation.ttl" in one.headers["link"]
    assert "http://two.example/concepts/consultation.ttl" in two.headers["link"]
    assert "one.example" not in two.headers["link"]


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
