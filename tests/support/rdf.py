"""Shared helpers of the linked-data tests: stores from Turtle, graphs from responses."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph as ox
import rdflib

from api.build.index import Index, build_index
from api.rdf.descriptions import Views

#: rdflib's parser name for each of our RDF format names.
RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
GLOSS = rdflib.Namespace("https://w3id.org/engagement-glossary/def/")
CONCEPTS = "https://w3id.org/engagement-glossary/concepts/"


def store_of(*turtle: str) -> ox.Store:
    store = ox.Store()
    for text in turtle:
        store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    return store


def views_of(*turtle: str) -> tuple[Views, Index]:
    store = store_of(*turtle)
    index = build_index(store, digest="test")
    return Views(store, index), index


def graph_of(data: bytes | str, fmt: str) -> rdflib.Graph:
    """Parse what we serve with rdflib (``data`` may also be a URL to fetch)."""
    graph = rdflib.Graph()
    with quiet_jsonld():
        if isinstance(data, str):
            return graph.parse(data, format=RDFLIB_FORMATS[fmt])
        return graph.parse(data=data, format=RDFLIB_FORMATS[fmt])


@contextmanager
def quiet_jsonld() -> Iterator[None]:
    """rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph; not our warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        yield


def rdflib_graph(store: ox.Store) -> rdflib.Graph:
    nt = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert nt is not None
    return rdflib.Graph().parse(data=nt, format="nt")
