"""``api.void``: the dataset description from the read model."""

from __future__ import annotations

import pytest
import rdflib

from api.rdf import descriptions as rdf
from api.rdf.void import describe_dataset, namespace, uri_space, vocabularies
from tests.support.rdf import graph_of, views_of
from tests.support.vocabularies import COLLIDING, SMALL

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
BASE = "http://host"


def url_for(route: str, /, **params: str) -> str:
    paths = {"void": "/.well-known/void", "sparql": "/sparql", "resolve": "/resolve"}
    if route == "dump":
        return f"{BASE}/dumps/{params['name']}"
    return BASE + paths[route]


def described(*turtle: str) -> rdflib.Graph:
    views, index = views_of(*turtle)
    triples = describe_dataset(index, views.store, len(views.store), url_for)
    return graph_of(rdf.serialise_plain(triples, "nt"), "nt")


DATASET = rdflib.URIRef(f"{BASE}/.well-known/void#dataset")


def test_one_scheme_gives_the_dataset_its_title_and_licence() -> None:
    graph = described(SMALL)
    assert set(graph.objects(DATASET, DCT.title)) == {
        rdflib.Literal("Example scheme", lang="en"),
        rdflib.Literal("Cynllun enghreifftiol", lang="cy"),
    }
    assert graph.value(DATASET, DCT.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(DATASET, VOID.uriSpace) == rdflib.Literal("http://example.org/")
    assert graph.value(DATASET, VOID.uriLookupEndpoint) == rdflib.URIRef(f"{BASE}/resolve?iri=")


def test_each_scheme_is_a_subset_with_four_distributions() -> None:
    graph = described(SMALL, COLLIDING)
    subsets = set(graph.objects(DATASET, VOID.subset))
    assert len(subsets) == 2
    for subset in subsets:
        distributions = set(graph.objects(subset, DCAT.distribution))
        assert len(distributions) == 4
        for distribution in distributions:
            assert graph.value(distribution, DCAT.downloadURL) in set(
                graph.objects(subset, VOID.dataDump)
            )
    assert graph.value(DATASET, DCT.title) == rdflib.Literal("SKOS vocabularies", lang="en")
    assert graph.value(DATASET, VOID.uriSpace) is None  # example.org and example.com


def test_the_vocabularies_are_the_namespaces_used() -> None:
    views, _ = views_of(SMALL)
    found = vocabularies(views.store)
    assert "http://www.w3.org/2004/02/skos/core#" in found
    assert "http://purl.org/dc/terms/" in found


@pytest.mark.parametrize(
    ("iris", "expected"),
    [
        (["http://e.org/a/x", "http://e.org/a/y"], "http://e.org/a/"),
        (["http://e.org/a#x", "http://e.org/a#y"], "http://e.org/a#"),
        (["http://e.org/ab", "http://e.org/ac"], "http://e.org/"),
        (["http://e.org/x", "https://f.org/y"], ""),
        (["http://e.org/x"], "http://e.org/"),
        ([], ""),
    ],
)
def test_uri_space(iris: list[str], expected: str) -> None:
    assert uri_space(iris) == expected


def test_namespace() -> None:
    assert namespace("http://e.org/a/b#c") == "http://e.org/a/b#"
    assert namespace("http://e.org/a/b") == "http://e.org/a/"
