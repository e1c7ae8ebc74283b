"""Linked-data routes: RDF renderers, dumps, VoID, the ontology, the JSON-LD context, IRIs.

The RDF representations of concepts, schemes and collections are served by
``renderers.respond`` (REST routes) with the :data:`RENDERERS` here; this module adds the
documents about the dataset and, last of all routes, the catch-all that resolves IRI
paths when ``public_base_url`` is a vocabulary's namespace. docs/linked-data.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from api.http.errors import MethodNotAllowed, NotFound
from api.http.negotiation import RDF_FORMATS, TURTLE, Format
from api.http.renderers import (
    Renderer,
    Resource,
    add_cache_headers,
    choose_from,
    entity_tag,
    not_modified,
    not_modified_response,
    split_name,
)
from api.model import Collection, Concept, Scheme
from api.namespaces import GLOSS
from api.rdf import descriptions as rdf
from api.rdf.void import describe_dataset
from api.runtime import Snapshot, current
from api.settings import Settings, data_path
from api.sparql import endpoint as sparql

ONTOLOGY_FILE: Final = "glossary-ontology.ttl"
#: The catch-all takes every method so that it, not the router, answers 404 / 405.
ANY_METHOD: Final = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_ROUTE_OF: Final = MappingProxyType(
    {Concept: "concept", Scheme: "scheme", Collection: "collection"}
)


def _renderer(fmt: str) -> Renderer:
    def render(request: Request, snapshot: Snapshot, resource: Resource) -> Response:
        return rdf.RESPONSES[fmt](snapshot.rdf.resource(resource.iri, fmt))

    render.__doc__ = f"The resource's concise bounded description as {fmt}."
    return render


#: Format name → renderer of a concept, scheme or collection (see ``renderers.Registry``).
RENDERERS: Final[Mapping[str, Renderer]] = MappingProxyType(
    {fmt.name: _renderer(fmt.name) for fmt in RDF_FORMATS}
)


def routes() -> list[BaseRoute]:
    """The linked-data routes; the IRI catch-all must stay the app's last route."""
    return [
        Route("/context.jsonld", jsonld_context, methods=["GET"], name="jsonld-context"),
        Route("/.well-known/void", void, methods=["GET"], name="void"),
        Route("/dumps/{name}", dump, methods=["GET"], name="dump"),
        Route("/def/", ontology, methods=["GET"], name="ontology"),
        Route("/def/{name}", ontology_part, methods=["GET"], name="ontology-part"),
        Route("/sparql", sparql.endpoint, methods=["GET", "POST"], name="sparql"),
        Route("/{path:path}", iri_path, methods=ANY_METHOD, name="iri-path"),
    ]


# Documents ---------------------------------------------------------------------------


async def jsonld_context(request: Request) -> Response:
    """Our published JSON-LD ``@context`` (the one embedded in every JSON-LD document)."""
    snapshot = current(request)
    body = snapshot.rdf.document("context", rdf.CONTEXT_FILE.read_bytes)
    return _cached(request, snapshot, rdf.JsonLdResponse(body), "context")


async def void(request: Request) -> Response:
    """The VoID and DCAT description of the dataset, in an RDF format."""
    snapshot = current(request)
    decision = choose_from(request, RDF_FORMATS, TURTLE)
    fmt = decision.format.name

    def make() -> bytes:
        def url_for(route: str, /, **params: str) -> str:
            return str(request.url_for(route, **params))

        triples = describe_dataset(
            snapshot.index, snapshot.vocabulary.store, snapshot.vocabulary.triple_count, url_for
        )
        return rdf.serialise(triples, fmt)

    body = snapshot.rdf.document(("void", str(request.base_url), fmt), make)
    links = [(f"{request.url_for('void')}?format={f.name}", f.media_type) for f in RDF_FORMATS]
    return _document(request, snapshot, body, decision.format, links, decision.decided_by)


async def dump(request: Request) -> Response:
    """Everything in one concept scheme, as one file; gzip when the client accepts it."""
    scheme_id, suffix = split_name(request.path_params["name"])
    snapshot = current(request)
    if snapshot.index.scheme(scheme_id) is None:
        raise NotFound(f"No concept scheme has the id '{scheme_id[:100]}'.")
    decision = choose_from(request, RDF_FORMATS, TURTLE, suffix)
    fmt, compressed = decision.format.name, accepts_gzip(request.headers.get("accept-encoding"))
    etag = entity_tag(snapshot, request, f"{fmt}|{'gzip' if compressed else 'identity'}")
    vary = ("Accept, " if decision.decided_by != "suffix" else "") + "Accept-Encoding"
    headers = {"Vary": vary, "Link": _links(_dump_links(request, scheme_id))}
    if not_modified(request, etag):
        return not_modified_response(request, etag, headers)
    body = await run_in_threadpool(snapshot.rdf.dump, scheme_id, fmt, compressed=compressed)
    headers["Content-Disposition"] = f'inline; filename="{scheme_id}.{fmt}"'
    if compressed:
        headers["Content-Encoding"] = "gzip"
    response = rdf.RESPONSES[fmt](body, headers=headers)
    add_cache_headers(request, response, etag)
    return response


def _dump_links(request: Request, scheme_id: str) -> list[tuple[str, str]]:
    return [
        (str(request.url_for("dump", name=f"{scheme_id}.{f.name}")), f.media_type)
        for f in RDF_FORMATS
    ]


def accepts_gzip(header: str | None) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (RFC 9110 §12.5.3; ``gzip;q=0`` refuses it)."""
    for element in (header or "").split(","):
        coding, *params = (part.strip().lower() for part in element.split(";"))
        if coding in ("gzip", "x-gzip", "*"):
            return not any(
                p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params
            )
    return False


async def ontology(request: Request) -> Response:
    """Our extension ontology (``gloss:``), served at its namespace IRI's path."""
    snapshot = current(request)
    decision = choose_from(request, RDF_FORMATS, TURTLE)
    return _ontology_document(request, snapshot, decision.format, decision.decided_by)


async def ontology_part(request: Request) -> Response:
    """``/def/ontology.ttl`` (a format by suffix) or ``/def/Term`` (303 to the ontology)."""
    name, suffix = split_name(request.path_params["name"])
    snapshot = current(request)
    if suffix is not None:
        if name != "ontology":
            raise NotFound("There is nothing at this URL.")
        decision = choose_from(request, RDF_FORMATS, TURTLE, suffix)
        return _ontology_document(request, snapshot, decision.format, "suffix")
    if GLOSS + name not in _ontology_terms(snapshot):
        raise NotFound(f"The ontology defines no term '{name[:100]}'.")
    # A slash-namespace term: 303 See Other to the document that describes it (W3C Recipe 5).
    return RedirectResponse(str(request.url_for("ontology")), status_code=303)


def _ontology_document(
    request: Request, snapshot: Snapshot, fmt: Format, decided_by: str
) -> Response:
    body = snapshot.rdf.document(("ontology", fmt.name), lambda: _ontology_bytes(fmt.name))
    links = [
        (str(request.url_for("ontology-part", name=f"ontology.{f.name}")), f.media_type)
        for f in RDF_FORMATS
    ]
    return _document(request, snapshot, body, fmt, links, decided_by)


def _ontology_source() -> bytes:
    path = data_path("schema") / ONTOLOGY_FILE
    if not path.is_file():
        raise NotFound("This deployment has no extension ontology.")
    return path.read_bytes()


def _ontology_bytes(fmt: str) -> bytes:
    source = _ontology_source()
    if fmt == "ttl":
        return source  # the file itself, comments and all
    triples = [q.triple for q in ox.parse(source, format=ox.RdfFormat.TURTLE)]
    return rdf.serialise(triples, fmt)


def _ontology_terms(snapshot: Snapshot) -> frozenset[str]:
    def listed() -> bytes:
        quads = ox.parse(_ontology_source(), format=ox.RdfFormat.TURTLE)
        return "\n".join(
            {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
        ).encode()

    return frozenset(snapshot.rdf.document(("ontology", "terms"), listed).decode().split("\n"))


def _document(
    request: Request,
    snapshot: Snapshot,
    body: bytes,
    fmt: Format,
    links: Sequence[tuple[str, str]],
    decided_by: str,
) -> Response:
    headers = {"Link": _links(links)}
    if decided_by != "suffix":
        headers["Vary"] = "Accept"
    response = rdf.RESPONSES[fmt.name](body, headers=headers)
    return _cached(request, snapshot, response, fmt.name)


def _cached(request: Request, snapshot: Snapshot, response: Response, variant: str) -> Response:
    etag = entity_tag(snapshot, request, variant)
    if not_modified(request, etag):
        return not_modified_response(request, etag, {})
    add_cache_headers(request, response, etag)
    return response


def _links(links: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f'<{url}>; rel="alternate"; type="{media_type}"' for url, media_type in links)


# IRI paths ---------------------------------------------------------------------------


async def iri_path(request: Request) -> Response:
    """303 from an IRI's path to its resource when ``public_base_url`` is its namespace."""
    if request.method not in ("GET", "HEAD"):
        return _unmatched(request)
    settings: Settings = request.state.settings
    base = settings.public_base_url
    target = None if base is None else _resolve(request, base + request.path_params["path"])
    if target is None:
        return _unmatched(request)
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(target, status_code=303)


def _resolve(request: Request, iri: str) -> str | None:
    """The URL of the resource with this IRI; for a hash namespace, its scheme's dump."""
    index = current(request).index
    found = index.resource_by_iri(iri)
    if found is not None:
        return str(request.url_for(_ROUTE_OF[type(found)], id=found.id))
    for scheme in index.schemes.values():
        if scheme.iri.startswith(iri + "#"):
            return str(request.url_for("dump", name=scheme.id))
    return None


def _unmatched(request: Request) -> Response:
    """What the router would have said without this catch-all: 405, a slash redirect or 404."""
    scope = request.scope
    others = [r for r in scope["router"].routes if getattr(r, "name", None) != "iri-path"]
    allowed = _allowed_methods(others, scope)
    if allowed:
        raise MethodNotAllowed(
            "This URL does not support that method.", headers={"Allow": ", ".join(allowed)}
        )
    path = scope["path"]
    if path != "/":
        other_path = path[:-1] if path.endswith("/") else path + "/"
        if any(r.matches({**scope, "path": other_path})[0] != Match.NONE for r in others):
            return RedirectResponse(str(request.url.replace(path=other_path)))
    raise NotFound("There is nothing at this URL.")


def _allowed_methods(candidates: Sequence[BaseRoute], scope: Scope) -> list[str]:
    allowed: set[str] = set()
    for route in candidates:
        match, _ = route.matches(scope)
        if match == Match.PARTIAL and isinstance(route, Route) and route.methods:
            allowed |= route.methods
    return sorted(allowed)
