"""The schema as clients see it: the SDL file matches the code, introspection rebuilds the
same schema, and real GraphQL clients run the users' queries against a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport
from graphql import (
    build_client_schema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    get_introspection_query,
    parse,
    validate,
)

from api.graphql.query import print_sdl

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"

#: What the glossary's users ask, as they would write it.
DEFINITION = """query Definition($id: ID!) {
  concept(id: $id) {
    prefLabel
    definition
    distinctions { concept { id prefLabel } reason direction }
  }
}"""
SPECTRUM = """query Spectrum($id: ID!, $order: ID!) {
  concept(id: $id) { narrower(orderedBy: $order) { id prefLabel } }
}"""
LOOKUP = """query Behind($label: String!) {
  lookup(label: $label) { concept { id prefLabel definition } label { value type } }
}"""


def test_the_sdl_file_is_the_printed_schema() -> None:
    # On failure: `glossary export-schema --output schema/schema.graphql`.
    assert SDL.read_text(encoding="utf-8") == print_sdl()


def test_the_sdl_has_no_mutations_or_subscriptions() -> None:
    schema = build_schema(print_sdl())
    assert schema.mutation_type is None
    assert schema.subscription_type is None


@pytest.mark.anyio
async def test_introspection_rebuilds_the_same_schema(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": get_introspection_query(descriptions=True)}
    )
    body = response.json()
    assert "errors" not in body, body.get("errors")
    from_server = build_client_schema(body["data"])
    from_file = build_schema(SDL.read_text(encoding="utf-8"))
    assert find_breaking_changes(from_file, from_server) == []
    assert find_dangerous_changes(from_file, from_server) == []
    for query in (DEFINITION, SPECTRUM, LOOKUP):
        assert validate(from_server, parse(query)) == []
    assert validate(from_server, parse("{ concept(id: 1) { nonsense } }")) != []


async def run(url: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """``query`` through gql: it fetches the schema, validates the query locally, then sends it."""
    transport = HTTPXAsyncTransport(url=url + "/graphql", timeout=10)
    async with Client(transport=transport, fetch_schema_from_transport=True) as session:
        result: dict[str, Any] = await session.execute(
            GraphQLRequest(query, variable_values=variables)
        )
    return result


@pytest.mark.server
@pytest.mark.anyio
async def test_gql_asks_for_the_definition_of_consultation(server_url: str) -> None:
    found = await run(server_url, DEFINITION, {"id": "consultation"})
    concept = found["concept"]
    assert concept["definition"].startswith("A formal process")
    assert {d["concept"]["id"] for d in concept["distinctions"]} == {"information", "participation"}
    assert {d["direction"] for d in concept["distinctions"]} == {"OUTGOING", "INCOMING"}


@pytest.mark.server
@pytest.mark.anyio
async def test_gql_asks_for_doing_for_in_spectrum_order(server_url: str) -> None:
    found = await run(server_url, SPECTRUM, {"id": "doing-for", "order": "engagement-spectrum"})
    narrower = [concept["id"] for concept in found["concept"]["narrower"]]
    assert narrower == ["information", "consultation", "participation"]


@pytest.mark.server
@pytest.mark.anyio
async def test_gql_asks_for_the_concept_behind_citizen_engagement(server_url: str) -> None:
    found = await run(server_url, LOOKUP, {"label": "citizen engagement"})
    assert found["lookup"][0]["concept"]["id"] == "community-engagement"
    assert found["lookup"][0]["label"] == {"value": "citizen engagement", "type": "ALT_LABEL"}
