"""Absolute URLs come from the configured base URL or an allowed Host, never a client's whim."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.types import Receive, Scope, Send

from api.app import create_app
from api.http.hosts import KNOWN_HOSTS, HostMiddleware, Origin, host_name
from api.settings import Settings
from tests.support.pages import assert_problem

pytestmark = pytest.mark.anyio

EVIL = {"host": "evil.example"}
BASE = "https://glossary.example/terms/"


@pytest.fixture(scope="module")
async def based(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The shipped glossary with a public base URL under a path prefix."""
    app = create_app(settings.model_copy(update={"public_base_url": BASE}))
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/concepts/consultation", {}),  # JSON links and the Link header
        ("/concepts/consultation", {"accept": "text/html"}),  # the page
        ("/concepts/consultation/card", {}),
        ("/concepts?limit=2", {}),  # paging: next
        ("/.well-known/void", {"accept": "text/turtle"}),
        ("/oembed?url=https://glossary.example/terms/concepts/consultation", {}),
        ("/resolve?iri=https://w3id.org/engagement-glossary/concepts/participation", {}),
    ],
)
async def test_with_a_base_url_every_absolute_url_is_built_on_it(
    based: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> None:
    response = await based.get(path, headers={**headers, **EVIL})
    assert response.status_code in (200, 303), response.text
    answer = response.text + str(response.headers)
    assert "evil.example" not in answer
    assert "testserver" not in answer
    assert BASE in answer


async def test_the_redirect_of_resolve_leads_to_the_base(based: httpx.AsyncClient) -> None:
    iri = "https://w3id.org/engagement-glossary/concepts/participation"
    response = await based.get("/resolve", params={"iri": iri}, headers=EVIL)
    assert response.headers["location"] == BASE + "concepts/participation"


async def test_with_a_base_url_the_host_changes_neither_answer_nor_etag(
    based: httpx.AsyncClient,
) -> None:
    """So a shared cache keyed on the URL can never be taught another origin."""
    plain = await based.get("/concepts/consultation")
    evil = await based.get("/concepts/consultation", headers=EVIL)
    assert evil.content == plain.content
    assert evil.headers["etag"] == plain.headers["etag"]


async def test_a_path_with_or_without_the_base_prefix_is_routed(based: httpx.AsyncClient) -> None:
    """A proxy may pass the base URL's path on or strip it."""
    stripped = await based.get("/concepts/consultation")
    kept = await based.get("/terms/concepts/consultation")
    assert stripped.status_code == kept.status_code == 200
    assert stripped.json()["links"]["self"] == BASE + "concepts/consultation"
    assert kept.json() == stripped.json()
    # Links made from the request's own URL (alternates) get the prefix back too.
    assert f"<{BASE}concepts/consultation.ttl>" in stripped.headers["link"]
    assert stripped.headers["link"] == kept.headers["link"]


@pytest.mark.parametrize("prefix", ["", "/terms"])
async def test_paths_are_matched_without_the_base_prefix(
    based: httpx.AsyncClient, prefix: str
) -> None:
    """What matches on paths (here: the card's framing policy) sees the route's path."""
    response = await based.get(prefix + "/concepts/consultation/card")
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers


async def test_the_base_scheme_gets_https_headers(based: httpx.AsyncClient) -> None:
    response = await based.get("/health")
    assert "strict-transport-security" in response.headers


async def test_without_a_base_url_a_foreign_host_is_a_400_problem(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/concepts/consultation", headers=EVIL)
    assert_problem(response, 400, "host-not-allowed")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "evil.example" not in response.text


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000", "TestServer"])
async def test_allowed_hosts_are_answered_on_any_port(client: httpx.AsyncClient, host: str) -> None:
    response = await client.get("/concepts/consultation", headers={"host": host})
    assert response.status_code == 200
    assert response.json()["links"]["self"] == f"http://{host.lower()}/concepts/consultation"


async def test_two_hosts_are_a_400_problem(client: httpx.AsyncClient) -> None:
    headers = [("host", "testserver"), ("host", "evil.example")]
    response = await client.get("/health", headers=headers)
    assert_problem(response, 400, "host-not-allowed")


def test_testserver_is_not_allowed_in_production() -> None:
    assert Settings().allowed_hosts == ("localhost", "127.0.0.1", "[::1]")


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (b"Example.org:8000", "example.org"),
        (b"[::1]:80", "[::1]"),
        (b"[::1]", "[::1]"),
        (b"a", "a"),
    ],
)
def test_host_name_drops_the_port(header: bytes, name: str) -> None:
    assert host_name(header) == name


def test_an_origin_is_taken_from_the_base_url() -> None:
    origin = Origin.of("https://Example.org:8443/a/b/")
    assert origin == Origin("https", b"example.org:8443", ("example.org", 8443), "/a/b")
    assert Origin.of("http://example.org/").server == ("example.org", 80)


@pytest.mark.parametrize("url", ["ftp://example.org/", "/relative/", "https:///nohost"])
def test_a_base_url_that_is_not_absolute_http_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="not an absolute"):
        Origin.of(url)


def test_host_lists_are_comma_separated_in_the_environment() -> None:
    env = {"GLOSSARY_ALLOWED_HOSTS": "Glossary.example, localhost", "GLOSSARY_TRUSTED_PROXIES": ""}
    settings = Settings.from_env(env)
    assert settings.allowed_hosts == ("glossary.example", "localhost")
    assert settings.trusted_proxies == ()
    assert Settings.from_env(settings.to_env()) == settings


async def test_a_known_host_twice_is_still_a_400_problem(client: httpx.AsyncClient) -> None:
    """The quick path for hosts seen before takes only a request with one Host."""
    assert (await client.get("/health", headers={"host": "localhost"})).status_code == 200
    response = await client.get("/health", headers=[("host", "localhost"), ("host", "localhost")])
    assert_problem(response, 400, "host-not-allowed")


async def test_hosts_remembered_for_the_quick_path_are_bounded(settings: Settings) -> None:
    seen: list[bytes] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.extend(value for name, value in scope["headers"] if name == b"host")

    middleware = HostMiddleware(app, settings)
    for port in range(9000, 9000 + KNOWN_HOSTS + 10):
        await middleware(_scope(f"localhost:{port}"), _nothing, _nothing)
    assert len(middleware.known) == KNOWN_HOSTS
    await middleware(_scope("LOCALHOST:9000"), _nothing, _nothing)  # a known host, upper case
    assert seen[-1] == b"localhost:9000"


def _scope(host: str) -> Scope:
    return {"type": "http", "path": "/health", "headers": [(b"host", host.encode())]}


async def _nothing(*args: object) -> None:
    return None
