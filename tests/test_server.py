"""The REST API over a real socket: a uvicorn subprocess, an httpx client, real HTTP/1.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import GLOSSARY_NAMESPACE, running_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def http(server_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, timeout=10) as client:
        yield client


def test_a_concept_over_the_wire(http: httpx.Client, server_url: str) -> None:
    response = http.get("/concepts/consultation.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["links"]["self"] == f"{server_url}/concepts/consultation"
    assert body["definition"]["value"].startswith("A formal process")


def test_conditional_requests_over_the_wire(http: httpx.Client) -> None:
    first = http.get("/concepts/co-design")
    again = http.get("/concepts/co-design", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_paging_links_use_the_host_the_client_used(http: httpx.Client, server_url: str) -> None:
    response = http.get("/concepts", params={"limit": 2})
    next_url = response.json()["next"]
    assert next_url.startswith(f"{server_url}/concepts?")
    assert response.headers["link"] == f'<{next_url}>; rel="next"'
    assert http.get(next_url).status_code == 200


def test_resolve_redirects_to_the_concept(http: httpx.Client, server_url: str) -> None:
    iri = "https://w3id.org/engagement-glossary/concepts/participation"
    response = http.get("/resolve", params={"iri": iri}, follow_redirects=True)
    assert response.status_code == 200
    assert str(response.url) == f"{server_url}/concepts/participation"
    assert response.history[0].status_code == 303


def test_cors_lets_any_origin_read_json(http: httpx.Client) -> None:
    response = http.get("/search", params={"q": "co"}, headers={"origin": "https://x.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "etag" in exposed
    assert "link" in exposed


def test_errors_over_the_wire_are_problems(http: httpx.Client) -> None:
    response = http.get("/search", params={"q": ""})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["invalid_params"] == [{"name": "q", "reason": "must not be empty"}]
    unknown = http.get("/nowhere")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"


def test_head_over_the_wire(http: httpx.Client) -> None:
    response = http.head("/concepts/consultation")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) > 100
    assert response.content == b""


def test_many_concurrent_clients_get_consistent_answers(server_url: str) -> None:
    async def fetch_all() -> set[bytes]:
        async with httpx.AsyncClient(base_url=server_url, timeout=10) as client:
            responses = await asyncio.gather(
                *(client.get("/concepts/participation") for _ in range(100))
            )
        assert {r.status_code for r in responses} == {200}
        return {r.content for r in responses}

    assert len(asyncio.run(fetch_all())) == 1


def test_with_a_base_url_the_host_header_is_ignored(limited: httpx.Client) -> None:
    """A client's Host never reaches a link, redirect or ETag when the base URL is set."""
    evil = {"host": "evil.example"}
    plain = limited.get("/concepts", params={"limit": 2})
    response = limited.get("/concepts", params={"limit": 2}, headers=evil)
    assert response.json()["next"].startswith(f"{GLOSSARY_NAMESPACE}concepts?")
    assert response.headers["etag"] == plain.headers["etag"]
    iri = f"{GLOSSARY_NAMESPACE}concepts/participation"
    redirect = limited.get("/resolve", params={"iri": iri}, headers=evil)
    assert redirect.headers["location"] == iri


def test_without_a_base_url_a_foreign_host_is_refused(http: httpx.Client) -> None:
    response = http.get("/concepts/consultation", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here"
    with pytest.raises(RuntimeError, match="server exited") as raised:  # noqa: SIM117
        with running_server({"GLOSSARY_VOCAB": str(missing)}):
            pass
    assert "nothing-here" in str(raised.value)  # what the server wrote reaches the test
