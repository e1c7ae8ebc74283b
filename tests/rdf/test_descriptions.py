"""``api.rdf``: concise bounded descriptions, serialisation in four formats, the caches."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from api.rdf import descriptions as rdf
from api.runtime.lru import LRU
from tests.support.rdf import SKOS, graph_of, store_of, views_of
from tests.support.vocabularies import COLLECTIONS, EXTENSION, SMALL, generate_vocabulary

EX = rdflib.Namespace("http://example.org/")
FORMATS = ("ttl", "jsonld", "rdf", "nt")


def description(turtle: str, iri: str) -> rdflib.Graph:
    return graph_of(rdf.serialise_plain(rdf.describe(store_of(turtle), iri), "nt"), "nt")


def test_a_description_has_the_resource_s_own_triples_and_no_one_else_s() -> None:
    graph = description(SMALL, str(EX.B))
    assert set(graph.objects(EX.B, SKOS.altLabel)) == {rdflib.Literal("Avians", lang="en")}
    assert (EX.B, SKOS.narrower, EX.D) in graph
    assert (EX.D, SKOS.notation, None) not in graph  # D is linked, not described
    assert (EX.A, SKOS.narrower, EX.B) not in graph  # incoming triples are not in a CBD


def test_a_description_has_the_preferred_labels_of_what_it_links_to() -> None:
    graph = description(SMALL, str(EX.B))
    assert (EX.D, SKOS.prefLabel, rdflib.Literal("Domestic birds", lang="en")) in graph
    assert (EX.E, SKOS.prefLabel, rdflib.Literal("Wyau", lang="cy")) in graph
    assert (EX.scheme, None, None) not in graph  # B states no inScheme link... but does:
    # (the scheme has no prefLabel in SMALL, only dct:title, so nothing about it appears)


def test_blank_nodes_are_followed_recursively() -> None:
    gloss = rdflib.Namespace("https://w3id.org/engagement-glossary/def/")
    graph = description(EXTENSION, str(EX.design))
    distinction = graph.value(EX.design, gloss.distinction)
    assert isinstance(distinction, rdflib.BNode)
    assert graph.value(distinction, gloss.distinctionTarget) == EX.production
    assert graph.value(distinction, gloss.reason) is not None
    # ... and the label of the concept reached through the blank node is there too.
    assert graph.value(EX.production, SKOS.prefLabel) == rdflib.Literal("Co-production", lang="en")


def test_a_definition_with_a_source_node_is_kept_whole() -> None:
    graph = description(SMALL, str(EX.E))
    node = graph.value(EX.E, SKOS.definition)
    assert graph.value(node, rdflib.RDF.value) == rdflib.Literal("Ova laid by birds.", lang="en")


def test_ordered_collections_keep_their_list_and_a_cyclic_list_terminates() -> None:
    graph = description(COLLECTIONS, str(EX.countdown))
    head = graph.value(EX.countdown, SKOS.memberList)
    assert head is not None
    members = list(rdflib.collection.Collection(graph, head))
    assert members == [EX.three, EX.two, EX.one]
    loop = description(COLLECTIONS, str(EX.loop))
    assert len(loop) == 3 + 4 + 2  # its own triples, two list cells, two member labels


def test_an_unknown_iri_has_an_empty_description() -> None:
    assert rdf.describe(store_of(SMALL), "http://example.org/nothing") == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("iri", [EX.B, EX.E, EX.countdown, EX.loop, EX.design, EX.scheme])
def test_every_format_round_trips_to_the_same_graph(fmt: str, iri: rdflib.URIRef) -> None:
    triples = rdf.describe(store_of(SMALL, COLLECTIONS, EXTENSION), str(iri))
    expected = graph_of(rdf.serialise_plain(triples, "nt"), "nt")
    assert len(expected) > 0
    assert isomorphic(graph_of(rdf.serialise(triples, fmt), fmt), expected)
    assert isomorphic(graph_of(rdf.serialise_plain(triples, fmt), fmt), expected)


def test_turtle_is_pretty_with_prefixes_and_nested_blank_nodes() -> None:
    text = rdf.serialise(rdf.describe(store_of(EXTENSION), str(EX.design)), "ttl").decode()
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in text
    assert "gloss:distinction [" in text
    assert "_:" not in text


def test_json_ld_is_compacted_with_the_published_context() -> None:
    document = json.loads(rdf.serialise(rdf.describe(store_of(SMALL), str(EX.A)), "jsonld"))
    assert document["@context"] == rdf.context()["@context"]
    node = document if "@graph" not in document else document["@graph"][0]
    nodes = document.get("@graph", [document])
    a = next(n for n in nodes if n.get("id") == str(EX.A))
    assert a["prefLabel"] == {"en": "Animals", "cy": "Anifeiliaid"}
    assert sorted(a["narrower"]) == [str(EX.B), str(EX.C)]
    assert node


def test_large_graphs_are_written_plainly_by_pyoxigraph(monkeypatch: pytest.MonkeyPatch) -> None:
    triples = rdf.describe(store_of(SMALL), str(EX.B))
    monkeypatch.setattr(rdf, "PRETTY_LIMIT", 1)
    text = rdf.serialise(triples, "ttl").decode()
    assert "<http://example.org/B>" in text or "ex:" not in text
    assert isomorphic(
        graph_of(text.encode(), "ttl"), graph_of(rdf.serialise_plain(triples, "nt"), "nt")
    )


@pytest.mark.parametrize("predicate", ["http://e.org/p/", "http://e.org/p#1", "http://e.org/"])
def test_a_graph_rdfxml_cannot_express_is_refused_in_rdfxml_only(predicate: str) -> None:
    triples = [ox.Triple(ox.NamedNode("http://e.org/s"), ox.NamedNode(predicate), ox.Literal("x"))]
    assert not rdf.xml_expressible(triples)
    with pytest.raises(rdf.Inexpressible):
        rdf.serialise(triples, "rdf")
    assert graph_of(rdf.serialise(triples, "ttl"), "ttl")  # the other formats still work


class TestViews:
    def test_a_resource_is_serialised_once(self) -> None:
        views, _ = views_of(SMALL)
        first = views.resource(str(EX.B), "ttl")
        assert views.resource(str(EX.B), "ttl") is first

    def test_the_resource_cache_is_bounded(self) -> None:
        store = store_of(SMALL)
        views = rdf.Views(store, views_of(SMALL)[1], resources=LRU(2))
        first = views.resource(str(EX.A), "nt")
        views.resource(str(EX.B), "nt")
        views.resource(str(EX.C), "nt")
        assert views.resource(str(EX.A), "nt") is not first
        assert views.resource(str(EX.A), "nt") == first

    def test_a_dump_has_the_scheme_its_concepts_and_collections(self) -> None:
        views, index = views_of(COLLECTIONS)
        (scheme_id,) = index.schemes
        graph = graph_of(views.dump(scheme_id, "nt"), "nt")
        assert (EX.scheme, rdflib.RDF.type, SKOS.ConceptScheme) in graph
        assert {EX.one, EX.two, EX.three} <= set(graph.subjects(SKOS.prefLabel, None))
        assert (EX.numbers, SKOS.member, EX.countdown) in graph

    def test_dumps_are_isomorphic_across_formats_and_gzip_decompresses(self) -> None:
        import gzip

        views, index = views_of(SMALL)
        expected = graph_of(views.dump("scheme", "nt"), "nt")
        for fmt in FORMATS:
            assert isomorphic(graph_of(views.dump("scheme", fmt), fmt), expected), fmt
        assert gzip.decompress(views.dump("scheme", "ttl", compressed=True)) == views.dump(
            "scheme", "ttl"
        )
        assert index.scheme("scheme") is not None


def test_a_large_vocabulary_dump_is_fast_enough() -> None:
    views, index = views_of(generate_vocabulary(3000))
    (scheme_id,) = index.schemes
    data = views.dump(scheme_id, "ttl")
    assert len(graph_of(data, "ttl")) > 3000 * 5
