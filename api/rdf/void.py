"""The VoID and DCAT description of the dataset (``/.well-known/void``, RFC 8615 + VoID §7).

Built from the read model once per snapshot and base URL: the whole dataset with its size,
URI space, vocabularies, SPARQL endpoint and lookup, and one subset per concept scheme
with its dumps as DCAT distributions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Final

import pyoxigraph as ox

from api.build.index import Index
from api.http.negotiation import RDF_FORMATS
from api.model import Text
from api.namespaces import DCAT, DCT, FOAF, RDF_TYPE, SKOS, VOID

SD: Final = "http://www.w3.org/ns/sparql-service-description#"
IANA_MEDIA_TYPES: Final = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL: Final = "https://www.w3.org/TR/sparql11-protocol/"

#: Builds an absolute URL of ours from a route name and path parameters.
UrlFor = Callable[..., str]


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def text(value: Text) -> ox.Literal:
    return (
        ox.Literal(value.value, language=value.language)
        if value.language
        else ox.Literal(value.value)
    )


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


class Description:
    """Collects the triples of one description document."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, subject: str, predicate: str, *objects: ox.NamedNode | ox.Literal) -> None:
        for obj in objects:
            self.triples.append(ox.Triple(iri(subject), iri(predicate), obj))

    def typed(self, subject: str, *classes: str) -> None:
        self.add(subject, RDF_TYPE, *(iri(c) for c in classes))


def describe_dataset(
    index: Index, store: ox.Store, triple_count: int, url_for: UrlFor
) -> list[ox.Triple]:
    """The VoID / DCAT triples for everything loaded, with links built by ``url_for``."""
    doc = url_for("void")
    dataset = doc + "#dataset"
    out = Description()
    out.typed(doc, VOID + "DatasetDescription")
    out.add(
        doc, DCT + "title", ox.Literal("VoID and DCAT description of this dataset", language="en")
    )
    out.add(doc, FOAF + "primaryTopic", iri(dataset))
    _dataset(out, dataset, index, store, triple_count, url_for)
    for scheme_id in index.schemes:
        _subset(out, dataset, doc, index, scheme_id, url_for)
    _service(out, doc, dataset, url_for)
    return out.triples


def _dataset(
    out: Description, dataset: str, index: Index, store: ox.Store, triples: int, url_for: UrlFor
) -> None:
    out.typed(dataset, VOID + "Dataset", DCAT + "Dataset")
    schemes = list(index.schemes.values())
    if len(schemes) == 1:
        out.add(dataset, DCT + "title", *map(text, schemes[0].titles))
        out.add(dataset, DCT + "description", *map(text, schemes[0].descriptions))
    else:
        out.add(dataset, DCT + "title", ox.Literal("SKOS vocabularies", language="en"))
    licenses = {s.license for s in schemes}
    if len(licenses) == 1 and None not in licenses:
        out.add(dataset, DCT + "license", iri(str(licenses.pop())))
    out.add(dataset, VOID + "triples", integer(triples))
    entities = index.concept_count + index.scheme_count + index.collection_count
    out.add(dataset, VOID + "entities", integer(entities))
    out.add(dataset, VOID + "sparqlEndpoint", iri(url_for("sparql")))
    out.add(dataset, VOID + "uriLookupEndpoint", iri(url_for("resolve") + "?iri="))
    out.add(dataset, VOID + "rootResource", *(iri(s.iri) for s in schemes))
    out.add(dataset, VOID + "vocabulary", *(iri(v) for v in vocabularies(store)))
    space = uri_space([s.iri for s in schemes] + list(index.concept_iris))
    if space:
        out.add(dataset, VOID + "uriSpace", ox.Literal(space))
    first = next(iter(index.concept_iris), None)
    if first is not None:
        out.add(dataset, VOID + "exampleResource", iri(first))


def _subset(
    out: Description, dataset: str, doc: str, index: Index, scheme_id: str, url_for: UrlFor
) -> None:
    scheme = index.schemes[scheme_id]
    subset = f"{doc}#scheme-{scheme_id}"
    out.add(dataset, VOID + "subset", iri(subset))
    out.typed(subset, VOID + "Dataset", DCAT + "Dataset")
    out.add(subset, DCT + "title", *map(text, scheme.titles))
    out.add(subset, VOID + "rootResource", iri(scheme.iri))
    out.add(subset, VOID + "entities", integer(len(index.concept_ids(scheme=scheme_id))))
    out.add(subset, VOID + "class", iri(SKOS + "Concept"))
    for fmt in RDF_FORMATS:
        download = url_for("dump", name=f"{scheme_id}.{fmt.name}")
        distribution = f"{doc}#dump-{scheme_id}-{fmt.name}"
        out.add(subset, VOID + "dataDump", iri(download))
        out.add(subset, DCAT + "distribution", iri(distribution))
        out.typed(distribution, DCAT + "Distribution")
        out.add(distribution, DCT + "title", ox.Literal(f"Dump ({fmt.title})", language="en"))
        out.add(distribution, DCAT + "downloadURL", iri(download))
        out.add(distribution, DCAT + "accessURL", iri(download))
        out.add(distribution, DCAT + "mediaType", iri(IANA_MEDIA_TYPES + fmt.media_type))
        out.add(distribution, DCT + "format", ox.Literal(fmt.media_type))


def _service(out: Description, doc: str, dataset: str, url_for: UrlFor) -> None:
    service = doc + "#sparql"
    endpoint = url_for("sparql")
    out.typed(service, DCAT + "DataService", SD + "Service")
    out.add(service, DCT + "title", ox.Literal("SPARQL 1.1 query endpoint", language="en"))
    out.add(service, DCAT + "endpointURL", iri(endpoint))
    out.add(service, DCAT + "endpointDescription", iri(endpoint))
    out.add(service, SD + "endpoint", iri(endpoint))
    out.add(service, DCAT + "servesDataset", iri(dataset))
    out.add(service, DCT + "conformsTo", iri(SPARQL_PROTOCOL))


def vocabularies(store: ox.Store) -> list[str]:
    """The namespaces of the predicates and classes used in ``store`` (VoID §4.4)."""
    found: set[str] = set()
    query = "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }"
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT query's result
    for solution in solutions:
        term = solution["t"]
        if isinstance(term, ox.NamedNode):
            found.add(namespace(term.value))
    return sorted(found)


def namespace(value: str) -> str:
    """An IRI up to and including its last ``#`` or ``/``."""
    cut = max(value.rfind("#"), value.rfind("/"))
    return value[: cut + 1]


def uri_space(iris: Iterable[str]) -> str:
    """The longest namespace that every IRI in ``iris`` starts with ('' if none is shared)."""
    listed: Sequence[str] = list(iris)
    if not listed:
        return ""
    common = os.path.commonprefix(listed)  # noqa: RUF071 - IRIs, not paths
    space = namespace(common)
    return space if "://" in space and not space.endswith("://") else ""
