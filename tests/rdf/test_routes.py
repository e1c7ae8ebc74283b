"""Linked data over a real socket: every RDF format parsed by rdflib, pyld and rapper, and
the same graph whichever format was asked for; dumps, VoID, the ontology, IRI paths."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

from api.http.headers import accepts_gzip
from tests.support.rdf import CONCEPTS, GLOSS, SKOS, graph_of

pytestmark = pytest.mark.server

FORMATS = ("ttl", "jsonld", "rdf", "nt")
MEDIA_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
}
RESOURCES = (
    "/concepts/consultation",
    "/concepts/co-design",
    "/schemes/engagement-glossary",
    "/collections/co-production-cycle",
)
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def no_network(url: str, options: Any = None) -> Any:
    raise RuntimeError(f"pyld tried to fetch {url}: JSON-LD must be self-contained")


# Resources ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", RESOURCES)
def test_rdflib_parses_every_format_by_suffix(server_url: str, path: str, fmt: str) -> None:
    graph = graph_of(f"{server_url}{path}.{fmt}", fmt)
    assert (rdflib.URIRef(f"https://w3id.org/engagement-glossary{path}"), None, None) in graph


@pytest.mark.parametrize("path", RESOURCES)
def test_the_graph_is_the_same_in_every_format(http: httpx.Client, path: str) -> None:
    graphs = {fmt: graph_of(http.get(f"{path}.{fmt}").content, fmt) for fmt in FORMATS}
    for fmt in FORMATS:
        assert isomorphic(graphs[fmt], graphs["nt"]), fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_rdflib_negotiates_by_accept(server_url: str, fmt: str) -> None:
    # rdflib sends the Accept header of the format it was told to expect.
    graph = graph_of(f"{server_url}/concepts/consultation", fmt)
    assert (rdflib.URIRef(CONCEPTS + "consultation"), SKOS.prefLabel, None) in graph


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_media_type_of_each_format(http: httpx.Client, fmt: str) -> None:
    by_suffix = http.get(f"/concepts/consultation.{fmt}")
    by_accept = http.get("/concepts/consultation", headers={"Accept": MEDIA_TYPES[fmt]})
    by_param = http.get("/concepts/consultation", params={"format": fmt})
    for response in (by_suffix, by_accept, by_param):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == MEDIA_TYPES[fmt]
    assert by_suffix.content == by_accept.content == by_param.content
    assert "Accept" in by_accept.headers["vary"]


def test_every_format_is_advertised_in_link_headers(http: httpx.Client, server_url: str) -> None:
    links = http.get("/concepts/consultation.ttl").headers["link"]
    for fmt, media_type in MEDIA_TYPES.items():
        link = f'<{server_url}/concepts/consultation.{fmt}>; rel="alternate"; type="{media_type}"'
        assert link in links


def test_a_concept_description_is_bounded_and_labels_its_links(http: httpx.Client) -> None:
    graph = graph_of(http.get("/concepts/consultation.ttl").content, "ttl")
    consultation = rdflib.URIRef(CONCEPTS + "consultation")
    distinctions = list(graph.objects(consultation, GLOSS.distinction))
    assert distinctions
    for node in distinctions:
        target = graph.value(node, GLOSS.distinctionTarget)
        assert graph.value(target, SKOS.prefLabel) is not None  # the linked concept's label
        assert graph.value(target, SKOS.definition) is None  # ... but not its description
    assert graph.value(graph.value(consultation, SKOS.broader), SKOS.prefLabel) is not None


@pytest.mark.parametrize("path", RESOURCES)
def test_pyld_expands_our_json_ld_without_the_network(http: httpx.Client, path: str) -> None:
    document = http.get(f"{path}.jsonld").json()
    options = {"documentLoader": no_network}
    expanded = jsonld.expand(document, options)
    assert expanded
    nquads = jsonld.to_rdf(document, {**options, "format": "application/n-quads"})
    expected = graph_of(http.get(f"{path}.nt").content, "nt")
    assert isomorphic(rdflib.Graph().parse(data=nquads, format="nt"), expected)


def test_the_embedded_context_is_the_published_one(http: httpx.Client) -> None:
    published = http.get("/context.jsonld")
    assert published.headers["content-type"] == "application/ld+json"
    document = http.get("/concepts/co-design.jsonld").json()
    assert document["@context"] == published.json()["@context"]
    compacted = jsonld.compact(
        jsonld.expand(document, {"documentLoader": no_network}),
        published.json(),
        {"documentLoader": no_network},
    )
    nodes = compacted.get("@graph", [compacted])
    co_design = next(n for n in nodes if n.get("id") == CONCEPTS + "co-design")
    assert co_design["prefLabel"] == {"en": "co-design"}


def rapper(tmp_path: Path, data: bytes, syntax: str, base: str) -> int:
    """Triples that raptor's ``rapper`` counts in ``data``; fails on any parse error."""
    if shutil.which("rapper") is None:
        pytest.fail("rapper is not installed: `python3 tasks.py test` installs raptor2-utils")
    path = tmp_path / "data"
    path.write_bytes(data)
    done = subprocess.run(
        ["rapper", "-i", syntax, "-c", str(path), base],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr, done.stderr
    return int(done.stderr.split("returned ")[1].split(" ")[0])


@pytest.mark.parametrize(
    "path",
    [*RESOURCES, "/dumps/engagement-glossary", "/.well-known/void", "/def/", "/sparql"],
)
@pytest.mark.parametrize(("fmt", "syntax"), [("ttl", "turtle"), ("rdf", "rdfxml")])
def test_rapper_validates_our_turtle_and_rdf_xml(
    http: httpx.Client, tmp_path: Path, path: str, fmt: str, syntax: str
) -> None:
    response = http.get(path, headers={"Accept": MEDIA_TYPES[fmt]})
    assert response.status_code == 200
    count = rapper(tmp_path, response.content, syntax, str(response.url))
    assert count == len(graph_of(response.content, fmt)) > 0


# Dumps -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_dump_in_every_format_is_the_same_graph(http: httpx.Client, fmt: str) -> None:
    expected = graph_of(http.get("/dumps/engagement-glossary.nt").content, "nt")
    assert len(expected) > 500
    assert isomorphic(
        graph_of(http.get(f"/dumps/engagement-glossary.{fmt}").content, fmt), expected
    )


def test_a_dump_holds_every_concept_and_collection(http: httpx.Client) -> None:
    graph = graph_of(http.get("/dumps/engagement-glossary.ttl").content, "ttl")
    concepts = set(graph.subjects(rdflib.RDF.type, SKOS.Concept))
    assert len(concepts) == len(http.get("/concepts", params={"limit": 100}).json()["items"])
    assert set(graph.subjects(rdflib.RDF.type, SKOS.OrderedCollection))


def test_a_dump_is_gzipped_only_when_asked(http: httpx.Client) -> None:
    plain = http.get("/dumps/engagement-glossary.ttl", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["vary"]
    raw = httpx.get(
        str(plain.url), headers={"Accept-Encoding": "gzip"}, timeout=30
    )  # httpx decodes; compare with what came over the wire
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.content == plain.content
    with httpx.stream("GET", str(plain.url), headers={"Accept-Encoding": "gzip"}) as stream:
        wire = b"".join(stream.iter_raw())
    assert gzip.decompress(wire) == plain.content
    refused = http.get(str(plain.url), headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused.headers


def test_a_dump_negotiates_without_a_suffix(http: httpx.Client) -> None:
    response = http.get("/dumps/engagement-glossary", headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"] == "application/n-triples"
    assert "Accept" in response.headers["vary"]
    assert http.get("/dumps/engagement-glossary").headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    ("path", "status"),
    [("/dumps/nothing.ttl", 404), ("/dumps/engagement-glossary.xyz", 404), ("/dumps/a.b.c", 404)],
)
def test_dump_errors(http: httpx.Client, path: str, status: int) -> None:
    response = http.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_a_dump_answers_conditional_requests(http: httpx.Client) -> None:
    first = http.get("/dumps/engagement-glossary.nt")
    again = http.get(
        "/dumps/engagement-glossary.nt", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


# VoID, ontology, context ------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_void_description_parses_in_every_format(http: httpx.Client, fmt: str) -> None:
    response = http.get("/.well-known/void", headers={"Accept": MEDIA_TYPES[fmt]})
    assert response.headers["content-type"].split(";")[0] == MEDIA_TYPES[fmt]
    graph = graph_of(response.content, fmt)
    assert set(graph.subjects(rdflib.RDF.type, VOID.Dataset))


def test_the_void_description_links_what_we_serve(http: httpx.Client, server_url: str) -> None:
    graph = graph_of(http.get("/.well-known/void").content, "ttl")
    dataset = rdflib.URIRef(f"{server_url}/.well-known/void#dataset")
    assert (dataset, rdflib.RDF.type, DCAT.Dataset) in graph
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(f"{server_url}/sparql")
    assert graph.value(dataset, VOID.uriSpace) == rdflib.Literal(
        "https://w3id.org/engagement-glossary/"
    )
    assert int(str(graph.value(dataset, VOID.triples))) > 500
    dumps = set(graph.objects(None, VOID.dataDump))
    assert len(dumps) == 4
    for dump in dumps:
        assert http.get(str(dump)).status_code == 200
    for url in graph.objects(None, DCAT.downloadURL):
        media_type = graph.value(graph.value(None, DCAT.downloadURL, url), DCAT.mediaType)
        served = http.get(str(url)).headers["content-type"].split(";")[0]
        assert str(media_type).endswith(served)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_ontology_is_served_at_its_namespace(http: httpx.Client, fmt: str) -> None:
    response = http.get("/def/", headers={"Accept": MEDIA_TYPES[fmt]})
    graph = graph_of(response.content, fmt)
    owl = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
    assert (rdflib.URIRef(str(GLOSS)), rdflib.RDF.type, owl.Ontology) in graph
    same = graph_of(http.get(f"/def/ontology.{fmt}").content, fmt)
    assert isomorphic(graph, same)


def test_ontology_terms_redirect_to_the_ontology(http: httpx.Client, server_url: str) -> None:
    response = http.get("/def/Distinction")
    assert response.status_code == 303
    assert response.headers["location"] == f"{server_url}/def/"
    assert http.get("/def/NoSuchTerm").status_code == 404
    assert http.get("/def/other.ttl").status_code == 404


# Headers and bad Accept headers --------------------------------------------------------

GARBAGE_ACCEPT = [
    "garbage",
    "*/*;q=nonsense",
    "text/turtle;q=2",
    ";;;,,,;;",
    "text/",
    "/",
    "application/json;q=0.5;q=0.9;level=1",
    "x" * 8000,
    "image/png",
    "text/turtle;q=0, application/ld+json;q=0",
]


@pytest.mark.parametrize("accept", GARBAGE_ACCEPT)
@pytest.mark.parametrize(
    "path",
    ["/concepts/consultation", "/dumps/engagement-glossary", "/.well-known/void", "/def/",
     "/sparql", "/sparql?query=ASK%7B%7D", "/context.jsonld"],
)  # fmt: skip
def test_garbage_accept_headers_get_406_or_the_default(
    http: httpx.Client, path: str, accept: str
) -> None:
    response = http.get(path, headers={"Accept": accept})
    assert response.status_code in (200, 406), response.text
    if response.status_code == 406:
        assert response.json()["offered"]
    assert http.get("/health").status_code == 200


def test_406_lists_the_offered_types(http: httpx.Client) -> None:
    response = http.get("/concepts/consultation", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert set(MEDIA_TYPES.values()) <= set(response.json()["offered"])


def test_json_is_still_the_default(http: httpx.Client) -> None:
    response = http.get("/concepts/consultation")
    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.content)["id"] == "consultation"


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [
        (None, False),
        ("", False),
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("GZIP", True),
        ("x-gzip", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("identity", False),
        ("deflate", False),
    ],
)
def test_accepts_gzip(header: str | None, gzip_ok: bool) -> None:
    assert accepts_gzip(header) is gzip_ok
