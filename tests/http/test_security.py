"""Security headers on every kind of response, a CSP without ``unsafe-inline``, and the two
routes whose policy differs (the framable card, GraphiQL)."""

from __future__ import annotations

import httpx
import pytest

from api.http.security import FRAMEABLE, GRAPHIQL, STRICT, policy_for, security_headers

pytestmark = pytest.mark.anyio

#: (method, path, extra headers) of one response of each kind the service gives.
RESPONSES = {
    "home page": ("GET", "/", {}),
    "concept page": ("GET", "/concepts/consultation", {"accept": "text/html"}),
    "concept JSON": ("GET", "/concepts/consultation", {"accept": "application/json"}),
    "search JSON": ("GET", "/search?q=consultation", {}),
    "health": ("GET", "/health", {}),
    "problem": ("GET", "/no-such-route", {}),
    "HTML problem": ("GET", "/no-such-route", {"accept": "text/html"}),
    "stylesheet": ("GET", "/static/glossary.css", {}),
    "embed script": ("GET", "/embed.js", {}),
    "card": ("GET", "/concepts/consultation/card", {}),
    "oembed": ("GET", "/oembed?url=http://testserver/concepts/consultation", {}),
    "annotate": ("POST", "/annotate", {"content-type": "text/plain"}),
    "GraphQL": ("POST", "/graphql", {"content-type": "application/json"}),
}


async def fetch(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str]
) -> httpx.Response:
    body = b'{"query": "{ __typename }"}' if path == "/graphql" else b"consultation"
    return await client.request(
        method, path, headers=headers, content=body if method == "POST" else None
    )


@pytest.mark.parametrize(("method", "path", "headers"), RESPONSES.values(), ids=RESPONSES.keys())
async def test_every_response_carries_the_security_headers(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str]
) -> None:
    response = await fetch(client, method, path, headers)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["permissions-policy"]
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "cross-origin-resource-policy" in response.headers


@pytest.mark.parametrize(
    ("path", "corp"),
    [
        ("/", "same-origin"),
        ("/embed.js", "cross-origin"),
        ("/static/card.css", "cross-origin"),
        ("/concepts/consultation/card", "cross-origin"),
        ("/concepts/consultation.json", "cross-origin"),
    ],
)
async def test_only_our_own_pages_are_same_origin_resources(
    client: httpx.AsyncClient, path: str, corp: str
) -> None:
    response = await client.get(path)
    assert response.headers["cross-origin-resource-policy"] == corp


async def test_pages_may_not_be_framed(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/consultation", headers={"accept": "text/html"})
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


async def test_graphiql_gets_a_policy_of_its_own_without_a_cdn(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    if not response.headers["content-type"].startswith("text/html"):
        pytest.fail("GraphiQL is not served at /graphql")
    assert response.headers["content-security-policy"] == GRAPHIQL
    assert "script-src 'self';" in GRAPHIQL  # its own files, no inline script, no CDN
    assert "https:" not in GRAPHIQL


def test_the_policies() -> None:
    assert "script-src 'self';" in STRICT
    assert "style-src 'self';" in STRICT
    assert "frame-ancestors 'none'" in STRICT
    assert STRICT.replace("frame-ancestors 'none'", "frame-ancestors *") == FRAMEABLE
    assert policy_for("/concepts/x/card", "text/html") == FRAMEABLE
    assert policy_for("/concepts/x/card/extra", "text/html") == STRICT
    assert policy_for("/graphql", "application/json") == STRICT
    assert policy_for("/graphql", "text/html") == GRAPHIQL


def test_hsts_only_over_https() -> None:
    assert "Strict-Transport-Security" not in security_headers("/", "text/html", https=False)
    assert security_headers("/", "text/html", https=True)["Strict-Transport-Security"]


async def test_a_header_the_endpoint_set_is_kept(client: httpx.AsyncClient) -> None:
    # The card sets no X-Frame-Options and the middleware adds none for it; an endpoint's
    # own Cache-Control (no-store on problems) is likewise never overwritten.
    response = await client.get("/no-such-route")
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("method", "path", "headers"), RESPONSES.values(), ids=RESPONSES.keys())
async def test_every_response_allows_any_origin_without_varying_on_it(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str]
) -> None:
    response = await fetch(client, method, path, {**headers, "origin": "https://council.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "etag" in response.headers["access-control-expose-headers"].lower()
    assert "origin" not in response.headers.get("vary", "").lower()


async def test_a_preflight_allows_get_and_post_from_any_origin(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/annotate",
        headers={
            "origin": "https://health-board.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "content-type"


async def test_a_response_carries_exactly_one_policy(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/consultation/card")
    policies = response.headers.get_list("content-security-policy")
    assert policies == [FRAMEABLE]
