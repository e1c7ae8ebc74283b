"""skosmos-client (PyPI), the Python client of Skosmos's REST API, against a real uvicorn
serving the glossary: every method it has, and the glossary's questions through it."""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib.exceptions import ParserError
from rdflib.namespace import SKOS
from skosmos_client import SkosmosClient  # type: ignore[import-untyped]

from tests.protocols.skosmos.shapes import (
    CO_DESIGN,
    CONCEPT,
    CONSULTATION,
    ENGAGEMENT,
    SCHEME,
    VOCID,
)

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def skosmos(server_url: str) -> SkosmosClient:
    return SkosmosClient(api_base=server_url + "/rest/v1/")


def test_vocabularies(skosmos: SkosmosClient) -> None:
    assert skosmos.vocabularies("en") == [
        {"uri": VOCID, "id": VOCID, "title": "Glossary of engagement terminology"}
    ]


def test_get_vocabulary(skosmos: SkosmosClient) -> None:
    vocabulary = skosmos.get_vocabulary(VOCID, lang="en")
    assert vocabulary["id"] == VOCID
    assert vocabulary["conceptschemes"][0]["uri"] == SCHEME
    with pytest.raises(ValueError, match="Vocabulary id 'nope' not found"):
        skosmos.get_vocabulary("nope")


def test_search_with_the_client_s_defaults(skosmos: SkosmosClient) -> None:
    # maxhits=100, offset=0, unique=False: what the client sends unless told otherwise.
    found = skosmos.search("co-p*", lang="en", vocabs=[VOCID])
    assert CONCEPT + "co-production" in [r["uri"] for r in found]
    everywhere = skosmos.search("consultation", labellang="en", type_="skos:Concept")
    assert [r["uri"] for r in everywhere] == [CONSULTATION]
    below = skosmos.search("co*", parent=CONCEPT + "co-production", maxhits=5, unique=True)
    assert CO_DESIGN in [r["uri"] for r in below]


def test_lookup_answers_the_glossary_s_question(skosmos: SkosmosClient) -> None:
    [hit] = skosmos.lookup(VOCID, "citizen engagement", lang="en")
    assert hit["uri"] == CONCEPT + "community-engagement"
    with pytest.raises(ValueError, match="Could not find label"):
        skosmos.lookup(VOCID, "no such label")


def test_data_is_the_rdf_xml_the_client_asks_for(skosmos: SkosmosClient) -> None:
    # ``SkosmosClient.data`` sends exactly this request, then parses the body with
    # ``Graph.parse(data=...)`` and no format, which rdflib 7 reads as Turtle: the client
    # fails so against any Skosmos (RDF/XML is what it asks for). So the test sends the
    # client's request and parses the answer as what it is.
    for url in ("data", f"{VOCID}/data"):
        response = requests.get(
            skosmos.api_base + url,
            params={"uri": CONSULTATION, "format": "application/rdf+xml"},
            timeout=30,
        )
        assert response.headers["content-type"].startswith("application/rdf+xml")
        graph = rdflib.Graph().parse(data=response.content, format="xml")
        definition = graph.value(rdflib.URIRef(CONSULTATION), SKOS.definition)
        assert str(definition).startswith("A formal process by which policy makers")
    with pytest.raises(ParserError):  # the client's own call, as it fails on rdflib 7
        skosmos.data(CONSULTATION)


def test_types(skosmos: SkosmosClient) -> None:
    uris = [t["uri"] for t in skosmos.types("en")]
    assert str(SKOS.Concept) in uris
    assert [t["uri"] for t in skosmos.types("en", vocid=VOCID)] == uris


def test_top_concepts_and_groups(skosmos: SkosmosClient) -> None:
    tops = skosmos.top_concepts(VOCID, lang="en", scheme=SCHEME)
    assert ENGAGEMENT in [t["uri"] for t in tops]
    assert all("label" in t for t in tops)
    groups = skosmos.groups(VOCID, lang="en")
    assert CONCEPT.replace("concepts/", "collections/engagement-spectrum") in [
        g["uri"] for g in groups
    ]


def test_concept_methods(skosmos: SkosmosClient) -> None:
    co_design = skosmos.get_concept(VOCID, CO_DESIGN)
    assert co_design.label() == "co-design"
    assert co_design.label("en") == "co-design"
    assert co_design.broader("en") == [
        {"uri": CONCEPT + "co-production", "prefLabel": "co-production"}
    ]
    above = co_design.broaderTransitive("en", limit=1)
    assert set(above) == {CO_DESIGN, CONCEPT + "co-production"}
    assert co_design.related() == []
    engagement = skosmos.get_concept(VOCID, ENGAGEMENT)
    assert CONCEPT + "community-engagement" in [n["uri"] for n in engagement.narrower()]
    below = engagement.narrowerTransitive(limit=5)
    assert len(below) == 6  # the concept and five below it


def test_errors_raise_for_status(skosmos: SkosmosClient) -> None:
    unknown = skosmos.get_concept(VOCID, "https://example.org/unknown")
    with pytest.raises(requests.HTTPError, match="404"):
        unknown.label()
