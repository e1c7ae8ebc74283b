"""The glossary's questions through the SDK's own client, over both transports: ``glossary
mcp`` as a subprocess on stdio, and ``/mcp`` on a real uvicorn. Then ``/mcp``'s HTTP rules:
Origin checked, limits and bad input answered, never a 500."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import CallToolResult, TextResourceContents

from api.runtime.snapshot import Snapshot
from api.settings import Settings
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio

GLOSSARY = Path(sys.executable).parent / "glossary"
TOOLS = {"define", "lookup", "search", "compare", "spectrum", "annotate"}


def structured(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert isinstance(result.structured_content, dict)
    return result.structured_content


async def ask_the_glossary(client: Client, snapshot: Snapshot) -> None:
    """What an assistant asks: "what does the glossary mean by co-production, and how is it
    not consultation?", the definition of consultation, participation vs co-production."""
    index = snapshot.index
    assert {tool.name for tool in (await client.list_tools()).tools} >= TOOLS

    meaning = structured(await client.call_tool("define", {"term": "co-production"}))
    assert meaning["definition"] == index.concepts["co-production"].definitions[0].value
    assert meaning["concept"]["iri"] == index.concepts["co-production"].iri
    assert meaning["vocabulary"]["digest"] == snapshot.digest
    versus = structured(
        await client.call_tool("compare", {"first": "co-production", "second": "consultation"})
    )
    assert versus["second"]["definition"] == index.concepts["consultation"].definitions[0].value
    assert {b["id"] for b in versus["first"]["broader"]} >= {"doing-with"}
    assert [b["id"] for b in versus["second"]["broader"]] == ["doing-for"]

    consultation = structured(await client.call_tool("define", {"term": "consultation"}))
    assert consultation["definition"] == index.concepts["consultation"].definitions[0].value

    both = structured(
        await client.call_tool("compare", {"first": "participation", "second": "co-production"})
    )
    assert both["first_is_not_second"]
    assert both["second_is_not_first"]
    assert both["vocabulary"]["schemes"][0]["version"] == "1.5"

    spectrum = structured(await client.call_tool("spectrum", {}))
    assert [b["band"]["id"] for b in spectrum["bands"]] == ["doing-to", "doing-for", "doing-with"]

    iri = index.concepts["consultation"].iri
    (content,) = (await client.read_resource(iri)).contents
    assert isinstance(content, TextResourceContents)
    assert json.loads(content.text)["concept"]["iri"] == iri

    missing = await client.call_tool("define", {"term": "qqqqzzzz"})
    assert missing.is_error
    too_many = await client.call_tool("search", {"query": "co", "limit": 10_000})
    assert too_many.is_error


@pytest.mark.slow
async def test_the_sdk_client_over_stdio(snapshot: Snapshot) -> None:
    server = StdioServerParameters(command=str(GLOSSARY), args=["mcp"])
    async with Client(server, read_timeout_seconds=60) as client:
        await ask_the_glossary(client, snapshot)


@pytest.mark.server
async def test_the_sdk_client_over_streamable_http(server_url: str, snapshot: Snapshot) -> None:
    async with Client(f"{server_url}/mcp", read_timeout_seconds=60) as client:
        await ask_the_glossary(client, snapshot)


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
ACCEPT = {"Accept": "application/json, text/event-stream"}


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        (None, 200),  # desktop and server-side assistants send no Origin
        ("http://testserver", 200),  # the service's own pages
        ("https://evil.example", 403),  # DNS rebinding, or any other site's page
        ("null", 403),
    ],
)
async def test_only_allowed_origins_may_call(
    client: httpx.AsyncClient, origin: str | None, status: int
) -> None:
    headers = {**ACCEPT, **({"Origin": origin} if origin else {})}
    response = await client.post("/mcp", json=INITIALIZE, headers=headers)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.headers["content-type"] == "application/problem+json"
    else:
        assert response.json()["result"]["serverInfo"]["name"] == "engagement-glossary"


async def test_the_allowed_origins_are_a_setting(settings: Settings) -> None:
    allowing = settings.model_copy(update={"mcp_allowed_origins": ("https://assistant.example",)})
    async with running_app(allowing) as running:
        for origin, status in (("https://assistant.example", 200), ("https://evil.example", 403)):
            headers = {**ACCEPT, "Origin": origin}
            response = await running.client.post("/mcp", json=INITIALIZE, headers=headers)
            assert response.status_code == status


async def test_the_annotate_setting_caps_the_text_and_the_body(settings: Settings) -> None:
    small = settings.model_copy(update={"annotate_max_chars": 10})
    async with running_app(small) as running:
        arguments = {"text": "consultation here"}
        call = {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                "params": {"name": "annotate", "arguments": arguments}}  # fmt: skip
        response = await running.client.post("/mcp", json=call, headers=ACCEPT)
        assert response.status_code == 200
        result = response.json()["result"]
        assert result["isError"] is True
        assert "at most 10 characters" in result["content"][0]["text"]
        # The body may hold 12 bytes a character of text, and 64 KB more: no more.
        arguments["text"] = "x" * 70_000
        response = await running.client.post("/mcp", json=call, headers=ACCEPT)
        assert response.status_code == 413


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"{not json", {"Content-Type": "application/json", **ACCEPT}),
        (b'{"jsonrpc": "2.0"}', {"Content-Type": "application/json", **ACCEPT}),
        (json.dumps(INITIALIZE).encode(), {"Content-Type": "text/plain", **ACCEPT}),
        (b"[]", {"Content-Type": "application/json", **ACCEPT}),
    ],
)
async def test_bad_requests_are_4xx(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str]
) -> None:
    response = await client.post("/mcp", content=content, headers=headers)
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("method", ["GET", "DELETE", "PUT"])
async def test_only_post_is_answered(client: httpx.AsyncClient, method: str) -> None:
    """Stateless: no server-to-client stream to GET (it would stay open for nothing) and no
    session to DELETE; MCP allows 405 for both."""
    response = await client.request(method, "/mcp", headers=ACCEPT)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_unknown_concept_resource_is_not_found(client: httpx.AsyncClient) -> None:
    read = {"jsonrpc": "2.0", "id": 4, "method": "resources/read",
            "params": {"uri": "https://w3id.org/engagement-glossary/concepts/nope"}}  # fmt: skip
    response = await client.post("/mcp", json=read, headers=ACCEPT)
    assert response.json()["error"]["code"] == -32602
