"""What GraphQL shows of withdrawn concepts, notation order and shared ids (issue 11)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.data.surfaces import CLASSIFICATION, SHARED_NAMES, load, serve
from tests.graphql.helpers import data, error

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(CLASSIFICATION)) as http:
        yield http


async def test_a_withdrawn_concept_and_its_replacements(client: httpx.AsyncClient) -> None:
    found = await data(
        client,
        """{ aves: concept(id: "c1-1") { deprecated replacedBy { iri concept { id prefLabel } } }
             alchemy: concept(id: "c3") { deprecated replacedBy { iri concept { id } } }
             birds: concept(id: "c1-2") { deprecated replaces { concept { id } } } }""",
    )
    assert found["aves"] == {
        "deprecated": True,
        "replacedBy": [
            {
                "iri": "http://example.org/classification/c1-2",
                "concept": {"id": "c1-2", "prefLabel": "Birds"},
            }
        ],
    }
    elsewhere = {"iri": "http://example.org/elsewhere/chemistry", "concept": None}
    assert found["alchemy"] == {"deprecated": True, "replacedBy": [elsewhere]}
    assert found["birds"] == {"deprecated": False, "replaces": [{"concept": {"id": "c1-1"}}]}


async def test_lists_leave_withdrawn_concepts_out_unless_asked(client: httpx.AsyncClient) -> None:
    query = """query($all: Boolean!) {
      concepts(first: 100, includeDeprecated: $all) { edges { node { id } } }
      scheme(id: "scheme") { topConcepts(includeDeprecated: $all) { id } } }"""
    current = await data(client, query, {"all": False})
    assert len(current["concepts"]["edges"]) == 5
    assert [c["id"] for c in current["scheme"]["topConcepts"]] == ["c2", "c1"]
    everything = await data(client, query, {"all": True})
    assert len(everything["concepts"]["edges"]) == 7
    assert [c["id"] for c in everything["scheme"]["topConcepts"]] == ["c3", "c2", "c1"]


async def test_concepts_by_notation(client: httpx.AsyncClient) -> None:
    found = await data(client, "{ concepts(sort: NOTATION) { edges { node { notation } } } }")
    notations = [edge["node"]["notation"] for edge in found["concepts"]["edges"]]
    assert notations == ["1", "1.2", "1.9", "1.10", "2"]


async def test_a_shared_bare_id_is_an_error_naming_the_choices() -> None:
    async with serve(load(SHARED_NAMES)) as shared:
        problem = await error(shared, '{ concept(id: "894") { id } }')
        assert "scheme~894" in problem["message"]
        assert "vocabulary~894" in problem["message"]
        assert problem["extensions"]["choices"] == ["scheme~894", "vocabulary~894"]
        assert problem["extensions"]["code"] == "BAD_USER_INPUT"
        unknown = await data(shared, '{ concept(id: "895") { id } }')
        assert unknown == {"concept": None}
