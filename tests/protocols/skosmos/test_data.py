"""``data`` and ``{vocid}/data``: the concept's RDF in each of Skosmos's formats, Skosmos's
compacted JSON (``graph``), and the dump for a whole vocabulary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.namespace import SKOS

from api.settings import Settings
from tests.protocols.skosmos.shapes import CONCEPT, CONSULTATION, VOCID
from tests.support.apps import Running, running_app
from tests.support.rdf import graph_of

pytestmark = pytest.mark.anyio

DATA = f"/rest/v1/{VOCID}/data"
FORMATS = {"application/rdf+xml": "rdf", "text/turtle": "ttl", "application/ld+json": "jsonld"}


@pytest.mark.parametrize("media_type", sorted(FORMATS))
async def test_each_rdf_format_describes_the_concept(
    client: httpx.AsyncClient, media_type: str
) -> None:
    for via in ({"format": media_type}, {}):
        headers = {} if via else {"Accept": media_type}
        response = await client.get(DATA, params={"uri": CONSULTATION, **via}, headers=headers)
        assert response.headers["content-type"].startswith(media_type)
        graph = graph_of(response.content, FORMATS[media_type])
        definition = graph.value(rdflib.URIRef(CONSULTATION), SKOS.definition)
        assert str(definition).startswith("A formal process by which policy makers")


async def test_rdf_xml_is_the_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/rest/v1/data", params={"uri": CONSULTATION})
    assert response.headers["content-type"].startswith("application/rdf+xml")


async def test_skosmos_json_is_compacted_with_graph(client: httpx.AsyncClient) -> None:
    response = await client.get(DATA, params={"uri": CONSULTATION, "format": "application/json"})
    body = response.json()
    assert body["@context"]["graph"] == "@graph"
    nodes = {node["uri"]: node for node in body["graph"]}
    consultation = nodes[CONSULTATION]
    assert consultation["type"] == "skos:Concept"  # one value: not in a list
    assert consultation["prefLabel"] == {"lang": "en", "value": "consultation"}
    assert consultation["broader"] == {"uri": CONCEPT + "doing-for"}
    assert nodes[CONCEPT + "doing-for"]["prefLabel"]["value"]  # neighbours bring labels


async def test_without_uri_the_vocabulary_redirects_to_its_dump(
    client: httpx.AsyncClient,
) -> None:
    for media_type, suffix in (("text/turtle", "ttl"), ("application/rdf+xml", "rdf")):
        response = await client.get(DATA, params={"format": media_type})
        assert response.status_code == 302
        assert response.headers["location"].endswith(f"/dumps/{VOCID}.{suffix}")
    dump = await client.get(DATA, params={"format": "text/turtle"}, follow_redirects=True)
    assert dump.status_code == 200
    assert len(rdflib.Graph().parse(data=dump.content, format="turtle")) > 500


@pytest.fixture(scope="module")
async def odd(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    """A vocabulary with a predicate RDF/XML cannot write (it ends in ``/``)."""
    folder = tmp_path_factory.mktemp("odd-predicate")
    Path(folder / "odd.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<http://example.org/s> a skos:ConceptScheme .\n"
        "<http://example.org/c> a skos:Concept ; skos:prefLabel 'odd'@en ;\n"
        "    skos:inScheme <http://example.org/s> ; <http://example.org/terms/> 'x' .\n",
        encoding="utf-8",
    )
    async with running_app(Settings(vocab=(folder,))) as running:
        yield running


async def test_rdf_xml_gives_way_to_turtle_unless_asked_for(odd: Running) -> None:
    params = {"uri": "http://example.org/c"}
    default = await odd.client.get("/rest/v1/data", params=params)
    assert default.status_code == 200
    assert default.headers["content-type"].startswith("text/turtle")
    asked = await odd.client.get(
        "/rest/v1/data", params={**params, "format": "application/rdf+xml"}
    )
    assert asked.status_code == 406
