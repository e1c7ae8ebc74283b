"""Every error path of the REST API answers one RFC 9457 shape, names the bad parameter and
is never cached."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.http.parameters import encode_cursor

pytestmark = pytest.mark.anyio

PROBLEM_BASE = "https://w3id.org/engagement-glossary/problems/"
LONG = "x" * 201

#: (URL, status, the parameter the body must name or None)
ERRORS: list[tuple[str, int, str | None]] = [
    ("/no-such-route", 404, None),
    ("/concepts/no-such-concept", 404, None),
    ("/concepts/no-such-concept.json", 404, None),
    ("/concepts/consultation.exe", 404, None),
    ("/concepts/not%20an%20id", 404, None),
    ("/concepts/no-such-concept/broader", 404, None),
    ("/concepts/no-such-concept/narrower", 404, None),
    ("/concepts/no-such-concept/related", 404, None),
    ("/concepts/no-such-concept/hierarchy", 404, None),
    ("/concepts/no-such-concept/distinctions", 404, None),
    ("/schemes/no-such-scheme", 404, None),
    ("/schemes/no-such-scheme/top-concepts", 404, None),
    ("/collections/no-such-collection", 404, None),
    ("/lookup?label=no%20concept%20is%20called%20this", 404, None),
    ("/resolve?iri=https://example.org/unknown", 404, None),
    ("/concepts?limit=abc", 400, "limit"),
    ("/concepts?limit=1.5", 400, "limit"),
    ("/concepts?limit=0", 400, "limit"),
    ("/concepts?limit=-1", 400, "limit"),
    ("/concepts?limit=101", 400, "limit"),
    ("/concepts?limit=99999999999999999999", 400, "limit"),
    ("/concepts?cursor=not-a-cursor", 400, "cursor"),
    ("/concepts?cursor=%C3%A9t%C3%A9", 400, "cursor"),
    ("/concepts?cursor=" + encode_cursor(5, "0" * 64), 400, "cursor"),
    ("/concepts?scheme=no-such-scheme", 400, "scheme"),
    ("/concepts?collection=no-such-collection", 400, "collection"),
    ("/concepts?lang=not_a_tag", 400, "lang"),
    ("/concepts/consultation?lang=123", 400, "lang"),
    ("/concepts/consultation?lang=", 400, "lang"),
    ("/concepts/consultation?format=exe", 400, "format"),
    ("/concepts/co-design/broader?transitive=perhaps", 400, "transitive"),
    ("/search", 400, "q"),
    ("/search?q=", 400, "q"),
    ("/search?q=%20%20", 400, "q"),
    ("/search?q=" + LONG, 400, "q"),
    ("/search?q=ok&limit=0", 400, "limit"),
    ("/search?q=ok&limit=51", 400, "limit"),
    ("/search?q=ok&lang=%F0%9F%98%80", 400, "lang"),
    ("/search?q=ok&scheme=nope", 400, "scheme"),
    ("/search?q=a%00b", 400, "q"),
    ("/lookup", 400, "label"),
    ("/lookup?label=", 400, "label"),
    ("/lookup?label=" + LONG, 400, "label"),
    ("/lookup?label=x&lang=--", 400, "lang"),
    ("/resolve", 400, "iri"),
    ("/resolve?iri=", 400, "iri"),
    ("/resolve?iri=consultation", 400, "iri"),
    ("/resolve?iri=https://example.org/a%20b", 400, "iri"),
    ("/resolve?iri=https://example.org/%0Aa", 400, "iri"),
    ("/resolve?iri=:nothing", 400, "iri"),
]


def assert_problem(response: httpx.Response, status: int, parameter: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers
    body: dict[str, Any] = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["type"].startswith(PROBLEM_BASE)
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert isinstance(body["detail"], str)
    assert "Traceback" not in body["detail"]
    assert "/work/" not in response.text
    if parameter is not None:
        assert body["type"] == PROBLEM_BASE + "invalid-parameter"
        assert [p["name"] for p in body["invalid_params"]] == [parameter]
        assert parameter in body["detail"]
    return body


@pytest.mark.parametrize(("url", "status", "parameter"), ERRORS)
async def test_error_paths_answer_one_problem_shape(
    client: httpx.AsyncClient, url: str, status: int, parameter: str | None
) -> None:
    assert_problem(await client.get(url), status, parameter)


@pytest.mark.parametrize("url", ["/concepts", "/concepts/consultation", "/search?q=x", "/health"])
async def test_other_methods_are_405_with_allow(client: httpx.AsyncClient, url: str) -> None:
    response = await client.request("DELETE", url)
    assert_problem(response, 405, None)
    assert "GET" in response.headers["allow"]


async def test_406_lists_what_is_offered(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/consultation", headers={"accept": "image/png"})
    body = assert_problem(response, 406, None)
    assert "application/json" in body["offered"]


async def test_a_cursor_from_another_vocabulary_version_says_so(client: httpx.AsyncClient) -> None:
    stale = encode_cursor(5, "f" * 64)
    body = (await client.get("/concepts", params={"cursor": stale})).json()
    assert "another version" in body["invalid_params"][0]["reason"]


async def test_a_cursor_past_the_end_is_refused(client: httpx.AsyncClient) -> None:
    digest = (await client.get("/health")).json()["digest"]
    response = await client.get("/concepts", params={"cursor": encode_cursor(10_000, digest)})
    assert_problem(response, 400, "cursor")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/concepts?limit=0", "limit"),
        ("/concepts/consultation?lang=%21", "lang"),
        ("/schemes/engagement-glossary?lang=%21", "lang"),
        ("/collections/engagement-spectrum?lang=%21", "lang"),
        ("/concepts/consultation?format=exe", "format"),
        ("/search?q=", "q"),
    ],
)
async def test_bad_parameters_win_over_if_none_match(
    client: httpx.AsyncClient, url: str, parameter: str
) -> None:
    response = await client.get(url, headers={"if-none-match": "*"})
    assert_problem(response, 400, parameter)


async def test_browsers_get_an_html_error_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/nope", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert "404" in response.text


async def test_html_error_pages_escape_what_the_client_sent(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/lookup", params={"label": "<b>nothing</b>"}, headers={"accept": "text/html"}
    )
    assert response.status_code == 404
    assert "<b>nothing" not in response.text
    assert "&lt;b&gt;nothing" in response.text
