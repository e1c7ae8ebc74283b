"""Sending GraphQL over HTTP in tests: the whole body, the data, or the first error."""

from __future__ import annotations

from typing import Any

import httpx


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON body of a POSTed query, which must come back 200 as JSON."""
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


async def data(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The ``data`` of a query that must succeed without errors."""
    body = await post(client, query, variables)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


async def error(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The first error of a query that must fail."""
    body = await post(client, query, variables)
    assert body.get("errors"), body
    first: dict[str, Any] = body["errors"][0]
    return first


def ids(objects: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in objects]
