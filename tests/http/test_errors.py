"""Every error path of the REST API answers one RFC 9457 shape, names the bad parameter and
is never cached."""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect
from starlette.types import Message

from api.http.errors import BadRequest, ClientDisconnected, ProblemResponse, as_problem
from api.http.parameters import encode_cursor

pytestmark = pytest.mark.anyio

PROBLEM_BASE = "/problem-types/"
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
    # Integers are digits only: no sign, space or leading zero ("+" in a query is a space).
    ("/search?q=co&limit=+5", 400, "limit"),
    ("/search?q=co&limit=%2B5", 400, "limit"),
    ("/search?q=co&limit=05", 400, "limit"),
    ("/search?q=co&limit=5%20", 400, "limit"),
    ("/search?q=co&limit=" + "9" * 5000, 400, "limit"),
    # One value per parameter, in UTF-8 (Starlette would keep the last, or put in U+FFFD).
    ("/search?q=a&q=b", 400, "q"),
    ("/search?q=co&limit=5&limit=5", 400, "limit"),
    ("/lookup?label=consultation&lang=en&lang=cy", 400, "lang"),
    ("/search?q=%FF", 400, "q"),
    ("/search?q=%ED%A0%80", 400, "q"),
    ("/search?q=%C0%AF", 400, "q"),
    ("/resolve?iri=https://example.org/%FF", 400, "iri"),
    ("/concepts/consultation?format=ttl&format=json", 400, "format"),
    ("/concepts/consultation?format=%FF", 400, "format"),
    ("/.well-known/void?format=ttl&format=nt", 400, "format"),
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


@pytest.mark.parametrize(
    "url",
    ["/search?q=co&limit=5", "/search?q=co&limit=50", "/lookup?label=citizen+engagement",
     "/search?q=%C5%B5"],
)  # fmt: skip
async def test_well_formed_parameters_are_read(client: httpx.AsyncClient, url: str) -> None:
    assert (await client.get(url)).status_code == 200


async def test_a_detail_quoting_a_lone_surrogate_still_renders(client: httpx.AsyncClient) -> None:
    body = b'{"text": "consultation", "scheme": "\\ud800"}'
    response = await client.post(
        "/annotate", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    rendered = ProblemResponse(BadRequest("no scheme '\ud800'").body()).body
    assert json.loads(rendered)["detail"] == "no scheme '\ufffd'"


# A client that hangs up ------------------------------------------------------------------


async def hang_up() -> Message:
    return {"type": "http.disconnect"}


async def ignore(message: Message) -> None:
    pass


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/annotate", b"text/plain"),
        ("/graphql", b"application/json"),
        # No handling of its own: the app's exception handlers answer the disconnect.
        ("/sparql", b"application/sparql-query"),
    ],
)
async def test_a_client_that_disconnects_mid_body_is_logged_at_info(
    app: Starlette, caplog: pytest.LogCaptureFixture, path: str, content_type: bytes
) -> None:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "client": ("127.0.0.1", 1), "server": ("localhost", 80),
        "headers": [(b"host", b"localhost"), (b"content-type", content_type),
                    (b"content-length", b"100")],
    }  # fmt: skip
    with caplog.at_level(logging.INFO, logger="api"):
        await app(scope, hang_up, ignore)  # the manager's app adds the lifespan state; no raise
    disconnects = [r for r in caplog.records if "disconnected" in r.getMessage()]
    assert [r.levelno for r in disconnects] == [logging.INFO]
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_every_disconnect_becomes_a_quiet_problem(caplog: pytest.LogCaptureFixture) -> None:
    for error in (ClientDisconnect(), anyio.BrokenResourceError(), anyio.EndOfStream()):
        with caplog.at_level(logging.INFO, logger="api"):
            problem = as_problem(error)
        assert isinstance(problem, ClientDisconnected)
    assert {r.levelno for r in caplog.records} == {logging.INFO}
    assert all(r.exc_info is None for r in caplog.records)
