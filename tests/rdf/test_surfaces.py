"""RDF keeps what says a concept is withdrawn; the JSON-LD context names our extension
ontology only when the data uses it (issue 11)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL

from api.rdf.descriptions import CONTEXT_FILE
from tests.data.surfaces import CLASSIFICATION, load, serve
from tests.support.rdf import graph_of

pytestmark = pytest.mark.anyio
C = rdflib.Namespace("http://example.org/classification/")


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(CLASSIFICATION)) as http:
        yield http


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt", "rdf"])
async def test_a_withdrawn_concept_s_rdf_keeps_owl_deprecated(
    client: httpx.AsyncClient, fmt: str
) -> None:
    response = await client.get(f"/concepts/c1-1.{fmt}")
    assert response.status_code == 200
    graph = graph_of(response.content, fmt)
    assert (C["c1-1"], OWL.deprecated, rdflib.Literal(True)) in graph
    assert (C["c1-1"], DCTERMS.isReplacedBy, C["c1-2"]) in graph


async def test_the_context_leaves_out_the_extension_the_data_does_not_use(
    client: httpx.AsyncClient,
) -> None:
    context = (await client.get("/context.jsonld")).json()["@context"]
    assert "gloss" not in context
    assert "stance" not in context
    assert context["prefLabel"] == {"@id": "skos:prefLabel", "@container": "@language"}
    embedded = (await client.get("/concepts/c1-2.jsonld")).json()["@context"]
    assert "gloss" not in json.dumps(embedded)


async def test_the_glossary_s_context_is_the_published_file() -> None:
    # The shipped glossary uses the extension: its context is the published file, unchanged.
    async with serve(load(CONTEXT_FILE.parents[2] / "vocab")) as glossary:
        response = await glossary.get("/context.jsonld")
        assert response.content == CONTEXT_FILE.read_bytes()
