"""Per-resource RDF: concise bounded descriptions, their serialisations and RDF responses.

A resource's description is read from the snapshot's pyoxigraph store and serialised once
per snapshot (:class:`Views` caches the bytes); no request walks an rdflib graph. Turtle
and JSON-LD of small graphs are written by rdflib, whose Turtle nests blank nodes and lists
and whose JSON-LD is compacted with our published context; N-Triples, RDF/XML and large
graphs (dumps) by pyoxigraph, ~50 times faster (docs/linked-data.md has the numbers).
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import pyoxigraph as ox
from starlette.responses import Response

from api.build.index import Index
from api.model import Collection
from api.namespaces import DCAT, GLOSS, GLOSSARY_NAMESPACE, PREFIXES, SKOS, VOID
from api.runtime.lru import LRU
from api.runtime.serving import Serving

if TYPE_CHECKING:
    import rdflib

SKOS_PREF_LABEL: Final = ox.NamedNode(SKOS + "prefLabel")
#: Prefixes written in Turtle and RDF/XML (only those used appear in rdflib's output).
PRETTY_PREFIXES: Final[Mapping[str, str]] = MappingProxyType(
    {
        **PREFIXES,
        "void": VOID,
        "dcat": DCAT,
        "sd": "http://www.w3.org/ns/sparql-service-description#",
        "vann": "http://purl.org/vocab/vann/",
        "concept": GLOSSARY_NAMESPACE + "concepts/",
        "collection": GLOSSARY_NAMESPACE + "collections/",
        "scheme": GLOSSARY_NAMESPACE + "schemes/",
    }
)
#: Above this many triples a graph is written by pyoxigraph (plain, fast) not rdflib (pretty).
PRETTY_LIMIT: Final = 50_000
CONTEXT_FILE: Final = Path(__file__).resolve().parent / "context.jsonld"
_OX_FORMATS: Final = MappingProxyType(
    {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "rdf": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }
)


class TurtleResponse(Response):
    media_type = "text/turtle"


class JsonLdResponse(Response):
    media_type = "application/ld+json"


class RdfXmlResponse(Response):
    media_type = "application/rdf+xml"


class NTriplesResponse(Response):
    media_type = "application/n-triples"


#: Format name (``negotiation.RDF_FORMATS``) → the response class that carries its media type.
RESPONSES: Final[Mapping[str, type[Response]]] = MappingProxyType(
    {
        "ttl": TurtleResponse,
        "jsonld": JsonLdResponse,
        "rdf": RdfXmlResponse,
        "nt": NTriplesResponse,
    }
)


def context(extension: bool = True) -> dict[str, Any]:
    """Our published JSON-LD context document (``/context.jsonld``); without the terms of
    our extension ontology (``gloss:``) unless ``extension``, so that the context of a
    vocabulary that does not use them names nothing of the shipped glossary."""
    loaded: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    if not extension:
        terms = loaded["@context"].items()
        loaded["@context"] = {key: value for key, value in terms if not _extends(key, value)}
    return loaded


def context_bytes(extension: bool) -> bytes:
    """``/context.jsonld``: the file itself, or without the extension's terms."""
    if extension:
        return CONTEXT_FILE.read_bytes()
    return json.dumps(context(extension=False), indent=2, ensure_ascii=False).encode()


def _extends(term: str, definition: object) -> bool:
    """Whether a context entry is (or maps to) a term of our extension ontology."""
    target = definition.get("@id") if isinstance(definition, dict) else definition
    return term == "gloss" or (isinstance(target, str) and target.startswith("gloss:"))


def uses_extension(store: ox.Store) -> bool:
    """Whether a triple of ``store`` has a predicate (or a class) of our extension ontology."""
    typed = ox.NamedNode(GLOSS + "Distinction")
    if _any(store.quads_for_pattern(None, _RDF_TYPE, typed, _G)):
        return True
    terms = (ox.NamedNode(GLOSS + term) for term in _EXTENSION_PREDICATES)
    return any(_any(store.quads_for_pattern(None, term, None, _G)) for term in terms)


def _any(quads: Iterator[ox.Quad]) -> bool:
    return next(quads, None) is not None


_EXTENSION_PREDICATES: Final = (
    "distinction", "distinctionTarget", "reason", "recognitionCriterion", "stance", "roles",
)  # fmt: skip


def describe(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The concise bounded description of ``iri`` and the preferred labels of what it links to.

    Blank-node objects (distinctions, notes with sources, list cells, agents) are followed
    recursively, so the description is self-contained (CBD, W3C member submission §2).
    """
    return describe_all(store, [iri])


def describe_all(store: ox.Store, iris: Iterable[str]) -> list[ox.Triple]:
    """The union of the descriptions of ``iris``, in their order, each triple once.

    Labels are added only for linked resources outside ``iris`` (the others bring their own).
    """
    return list(described(store, iris))


def described(store: ox.Store, iris: Iterable[str]) -> Iterator[ox.Triple]:
    """:func:`describe_all` one triple at a time, so that a dump of a million triples is
    written as it is read instead of first held whole (and walked by the garbage collector
    as it grows: full collections of 0.1-0.6 s each at 172,000 concepts, GIL held)."""
    subjects = [ox.NamedNode(iri) for iri in iris]
    linked: set[ox.NamedNode] = set()
    seen: set[ox.BlankNode] = set()  # shared, so a node two resources share is written once
    for subject in subjects:
        yield from _bounded(store, subject, seen, linked)
    for other in sorted(linked.difference(subjects), key=str):
        yield from (q.triple for q in store.quads_for_pattern(other, SKOS_PREF_LABEL, None, _G))


_G: Final = ox.DefaultGraph()
_RDF_TYPE: Final = ox.NamedNode(PREFIXES["rdf"] + "type")


def _bounded(
    store: ox.Store, start: ox.NamedNode, seen: set[ox.BlankNode], linked: set[ox.NamedNode]
) -> Iterator[ox.Triple]:
    """The triples reachable from ``start`` through blank nodes; note the IRIs named."""
    pending: list[ox.NamedNode | ox.BlankNode] = [start]
    while pending:
        for quad in store.quads_for_pattern(pending.pop(), None, None, _G):
            yield quad.triple
            obj = quad.object
            if isinstance(obj, ox.BlankNode) and obj not in seen:
                seen.add(obj)
                pending.append(obj)
            elif isinstance(obj, ox.NamedNode) and quad.predicate != _RDF_TYPE:
                linked.add(obj)


def serialise(triples: Sequence[ox.Triple], fmt: str, extension: bool = True) -> bytes:
    """``triples`` as ``fmt`` (``ttl``, ``jsonld``, ``rdf``, ``nt``): pretty when small;
    JSON-LD compacted with our context (its extension terms only when ``extension``).

    Raises :class:`Inexpressible` for RDF/XML when a predicate cannot be written as an XML
    element name (one ending in ``/`` or a digit, say): RDF/XML cannot express that graph.
    """
    if fmt == "rdf" and not xml_expressible(triples):
        raise Inexpressible("RDF/XML cannot write a predicate of this graph as an element name.")
    triples = canonical(triples)
    # rdflib's nesting RDF/XML writer drops triples of list cells, so pyoxigraph writes it.
    if fmt in ("nt", "rdf") or len(triples) > PRETTY_LIMIT:
        return serialise_plain(triples, fmt)
    graph = to_rdflib(triples)
    try:
        if fmt == "jsonld":
            ctx = context(extension)["@context"]
            return graph.serialize(
                format="json-ld", context=ctx, auto_compact=True, encoding="utf-8"
            )
        return graph.serialize(format="turtle", encoding="utf-8")
    except Exception:  # rdflib fails on a malformed rdf:List (a cyclic one, say)
        return serialise_plain(triples, fmt)


def canonical(triples: Sequence[ox.Triple]) -> list[ox.Triple]:
    """``triples`` in one order, with blank nodes named by what they say, so that every
    process serving one snapshot writes the same bytes (replicas behind a shared cache
    answer one ETag with one body). The parser names blank nodes at random, and the store
    orders triples by those names, so a resource's distinctions came out in a different
    order in each process. A blank node is named by its rank among the others, ordered by
    its own triples (nested blank nodes by theirs): nodes that say the same are
    interchangeable."""
    about: dict[ox.BlankNode, list[ox.Triple]] = {}
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode):
            about.setdefault(triple.subject, []).append(triple)
    if not about:
        return sorted(triples, key=_order)
    said: dict[ox.BlankNode, str] = {}

    def says(node: ox.BlankNode) -> str:
        if node not in said:
            said[node] = "[]"  # a cycle through this node: its content is what is above it
            parts = (f"{t.predicate} {_said(t.object, says)}" for t in about.get(node, ()))
            said[node] = "[" + " ; ".join(sorted(parts)) + "]"
        return said[node]

    nodes = {t.object for t in triples if isinstance(t.object, ox.BlankNode)} | about.keys()
    ranked = sorted(nodes, key=says)
    names = {node: ox.BlankNode(f"b{rank}") for rank, node in enumerate(ranked)}
    renamed = [
        ox.Triple(_named(t.subject, names), t.predicate, _named(t.object, names)) for t in triples
    ]
    return sorted(renamed, key=_order)


def _named(term: Any, names: Mapping[ox.BlankNode, ox.BlankNode]) -> Any:
    return names[term] if isinstance(term, ox.BlankNode) else term


def _said(term: Any, says: Callable[[ox.BlankNode], str]) -> str:
    return says(term) if isinstance(term, ox.BlankNode) else str(term)


def _order(triple: ox.Triple) -> tuple[bool, str, str, str]:
    """Named subjects first, then blank ones, each by their text."""
    subject = triple.subject
    return (
        isinstance(subject, ox.BlankNode),
        str(subject),
        str(triple.predicate),
        str(triple.object),
    )


_XML_LOCAL_NAME: Final = re.compile(r"[^\W\d][\w.-]*$")


class Inexpressible(ValueError):
    """A graph that a format cannot express (RDF/XML needs XML names for predicates)."""


def xml_expressible(triples: Iterable[ox.Triple]) -> bool:
    """Whether RDF/XML can write every predicate of ``triples`` as an element name."""
    return all(
        _XML_LOCAL_NAME.search(predicate) is not None
        for predicate in {t.predicate.value for t in triples}
    )


def serialise_stream(triples: Iterator[ox.Triple], fmt: str) -> bytes:
    """Like :func:`serialise`, for a graph too large to hold whole: written as it is read, so
    plainly (pyoxigraph); :class:`Inexpressible` as soon as RDF/XML meets a bad predicate."""
    head = list(itertools.islice(triples, PRETTY_LIMIT + 1))
    if len(head) <= PRETTY_LIMIT:
        return serialise(head, fmt)
    rest = itertools.chain(head, triples)
    return serialise_plain(_xml_checked(rest) if fmt == "rdf" else rest, fmt)


def _xml_checked(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """``triples``, raising :class:`Inexpressible` at the first that RDF/XML cannot write."""
    checked: set[str] = set()
    for triple in triples:
        predicate = triple.predicate.value
        if predicate not in checked:
            if _XML_LOCAL_NAME.search(predicate) is None:
                raise Inexpressible(
                    "RDF/XML cannot write a predicate of this graph as an element name."
                )
            checked.add(predicate)
        yield triple


def serialise_plain(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """``triples`` written by pyoxigraph, grouped by subject as given; fast at any size."""
    prefixes = None if fmt == "nt" else dict(PRETTY_PREFIXES)
    # A generator, not the list: pyoxigraph holds the GIL while it reads a list (0.2 s per
    # 50,000 concepts, the event loop stalled), but a generator's Python frames let other
    # threads in at every switch interval.
    written = ox.serialize((t for t in triples), format=_OX_FORMATS[fmt], prefixes=prefixes)
    return written or b""  # None only when writing to a file


def to_rdflib(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """An rdflib graph of ``triples`` with our prefixes bound (used only to write them)."""
    import rdflib  # here: only JSON-LD and RDF/XML need it, and it costs every start 50 ms

    graph = rdflib.Graph(bind_namespaces="core")
    for prefix, namespace in PRETTY_PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
    return graph


def _term(term: Any) -> Any:
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == PREFIXES["xsd"] + "string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


class Views:
    """One snapshot's RDF, serialised on first use and kept in the runtime's caches."""

    def __init__(
        self,
        store: ox.Store,
        index: Index,
        resources: LRU[Hashable, bytes] | None = None,
        documents: LRU[Hashable, bytes] | None = None,
    ) -> None:
        self.store = store
        self.index = index
        self._resources = resources if resources is not None else LRU(4096)
        self._documents = documents if documents is not None else LRU(256)

    @classmethod
    def of(cls, serving: Serving) -> Views:
        """The views over what ``serving`` serves, kept in its caches."""
        caches = serving.caches
        return cls(
            serving.snapshot.store, serving.snapshot.index, caches.resources, caches.documents
        )

    @cached_property
    def extension(self) -> bool:
        """Whether the data uses our extension ontology (JSON-LD contexts name it only then)."""
        return uses_extension(self.store)

    def resource(self, iri: str, fmt: str) -> bytes:
        """The description of the concept, scheme or collection ``iri`` as ``fmt``."""
        return self._resources.get_or_make(
            (iri, fmt), lambda: serialise(describe(self.store, iri), fmt, self.extension)
        )

    def expressible(self, iri: str, fmt: str) -> bool:
        """Whether ``fmt`` can express the description of ``iri`` (RDF/XML cannot always)."""
        # Asked only when negotiation picked RDF/XML, and the answer is then prepared once.
        return fmt != "rdf" or xml_expressible(describe(self.store, iri))

    def dump(self, scheme_id: str, fmt: str, *, compressed: bool = False) -> bytes:
        """Everything in scheme ``scheme_id`` (its concepts and collections) as ``fmt``."""
        if compressed:
            plain = self.dump(scheme_id, fmt)
            return self.document(("dump.gz", scheme_id, fmt), lambda: gzip.compress(plain, 6))
        return self.document(("dump", scheme_id, fmt), lambda: self._dump(scheme_id, fmt))

    def made_dump(self, scheme_id: str, fmt: str, *, compressed: bool = False) -> bytes | None:
        """The dump if it has been made already (a dictionary lookup: no thread needed)."""
        return self._documents.get(("dump.gz" if compressed else "dump", scheme_id, fmt))

    def _dump(self, scheme_id: str, fmt: str) -> bytes:
        return serialise_stream(described(self.store, self.members(scheme_id)), fmt)

    def members(self, scheme_id: str) -> list[str]:
        """The IRIs a scheme's dump describes: the scheme, its concepts, its collections."""
        index = self.index
        scheme = index.schemes[scheme_id]
        concepts = [index.concepts[c].iri for c in index.concept_ids(scheme=scheme_id)]
        in_scheme = set(index.concept_ids(scheme=scheme_id))
        collections = [
            c.iri for c in index.collections.values() if _belongs(c, scheme_id, in_scheme)
        ]
        return [scheme.iri, *concepts, *collections]

    def document(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """Any other per-snapshot document (VoID, ontology, service description), made once."""
        return self._documents.get_or_make(key, make)


def _belongs(collection: Collection, scheme_id: str, in_scheme: set[str]) -> bool:
    if collection.schemes:
        return scheme_id in collection.schemes
    return any(member in in_scheme for member in collection.members)
