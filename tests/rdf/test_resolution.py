"""IRIs resolve: with ``public_base_url`` the IRI namespace, an IRI's path leads to it."""

from __future__ import annotations

import httpx
import pytest

from tests.support.server import GLOSSARY_NAMESPACE

pytestmark = pytest.mark.anyio


async def test_an_iri_path_redirects_to_its_resource(example_client: httpx.AsyncClient) -> None:
    response = await example_client.get("/B")
    assert response.status_code == 303
    assert response.headers["location"] == "http://example.org/concepts/B"
    scheme = await example_client.get("/scheme", params={"format": "ttl"})
    assert scheme.status_code == 303
    assert scheme.headers["location"] == "http://example.org/schemes/scheme?format=ttl"


async def test_the_redirect_leads_to_the_negotiated_representation(
    example_client: httpx.AsyncClient,
) -> None:
    response = await example_client.get(
        "/B", headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert "Birds" in response.text


@pytest.mark.parametrize("path", ["/nothing", "/B/more", "/b"])
async def test_unknown_iri_paths_are_404_problems(
    example_client: httpx.AsyncClient, path: str
) -> None:
    response = await example_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_catch_all_keeps_405_and_slash_redirects(
    example_client: httpx.AsyncClient,
) -> None:
    response = await example_client.post("/concepts/B")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert (await example_client.post("/B")).status_code == 404
    slash = await example_client.get("/concepts/")
    assert slash.status_code in (307, 308)
    assert slash.headers["location"] == "http://example.org/concepts"


async def test_resolve_by_query_parameter(example_client: httpx.AsyncClient) -> None:
    response = await example_client.get("/resolve", params={"iri": "http://example.org/C"})
    assert response.status_code == 303
    assert response.headers["location"] == "http://example.org/concepts/C"


async def test_without_a_base_url_iri_paths_are_not_resolved(client: httpx.AsyncClient) -> None:
    assert (await client.get("/B")).status_code == 404
    assert (await client.get("/nothing/at/all")).status_code == 404


def test_glossary_iris_are_rest_paths(limited: httpx.Client) -> None:
    # The glossary's IRIs are laid out like the REST paths: no redirect needed.
    for iri in ("concepts/consultation", "schemes/engagement-glossary", "def/"):
        path = "/" + iri
        response = limited.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, path
        assert f"<{GLOSSARY_NAMESPACE}{iri}>" in response.text or "@prefix" in response.text
