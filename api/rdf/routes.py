"""Linked-data routes: RDF renderers, dumps, VoID, the ontology, the JSON-LD context, IRIs.

The RDF representations of concepts, schemes and collections are served by
``renderers.respond`` (REST routes) with the :data:`RENDERERS` here; this module adds the
documents about the dataset and :func:`iri_path`, the router's default handler, which
resolves IRI paths when ``public_base_url`` is a vocabulary's namespace.
docs/linked-data.md.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

import anyio
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from api.http.caching import (
    add_cache_headers,
    conditional,
    entity_tag,
    not_modified,
    not_modified_response,
)
from api.http.errors import NotAcceptable, NotFound
from api.http.headers import accepts_gzip
from api.http.negotiation import RDF_FORMATS, TURTLE, Format
from api.http.renderers import Renderer, Resource, choose_from, split_name
from api.model import Collection, Concept, Scheme
from api.namespaces import GLOSS
from api.rdf import descriptions as rdf
from api.rdf.void import describe_dataset
from api.runtime.serving import Serving, current
from api.settings import Settings, data_path

ONTOLOGY_FILE: Final = "glossary-ontology.ttl"
_ROUTE_OF: Final = MappingProxyType(
    {Concept: "concept", Scheme: "scheme", Collection: "collection"}
)


def _renderer(fmt: str) -> Renderer:
    def render(request: Request, serving: Serving, resource: Resource) -> Response:
        return rdf.RESPONSES[fmt](rdf.Views.of(serving).resource(resource.iri, fmt))

    def can_render(serving: Serving, resource: Resource) -> bool:
        return rdf.Views.of(serving).expressible(resource.iri, fmt)

    render.__doc__ = f"The resource's concise bounded description as {fmt}."
    return Renderer(render, can_render)


#: Format name → renderer of a concept, scheme or collection (see ``renderers.Registry``).
RENDERERS: Final[Mapping[str, Renderer]] = MappingProxyType(
    {fmt.name: _renderer(fmt.name) for fmt in RDF_FORMATS}
)


# Documents ---------------------------------------------------------------------------


async def jsonld_context(request: Request) -> Response:
    """Our published JSON-LD ``@context`` (the one embedded in every JSON-LD document)."""
    serving = current(request)
    views = rdf.Views.of(serving)
    extension = views.extension
    body = views.document(("context", extension), lambda: rdf.context_bytes(extension))
    return conditional(request, "context", lambda: rdf.JsonLdResponse(body))


async def void(request: Request) -> Response:
    """The VoID and DCAT description of the dataset, in an RDF format."""
    serving = current(request)
    snapshot = serving.snapshot
    decision = choose_from(request, RDF_FORMATS, TURTLE)
    fmt = decision.format.name

    def make() -> bytes:
        def url_for(route: str, /, **params: str) -> str:
            return str(request.url_for(route, **params))

        triples = describe_dataset(
            snapshot.index, snapshot.vocabulary.store, snapshot.vocabulary.triple_count, url_for
        )
        return rdf.serialise(triples, fmt, views.extension)

    views = rdf.Views.of(serving)
    body = views.document(("void", str(request.base_url), fmt), make)
    links = [(f"{request.url_for('void')}?format={f.name}", f.media_type) for f in RDF_FORMATS]
    return _document(request, serving, body, decision.format, links, decision.decided_by)


async def dump(request: Request) -> Response:
    """Everything in one concept scheme, as one file; gzip when the client accepts it."""
    scheme_id, suffix = split_name(request.path_params["name"])
    serving = current(request)
    found = serving.snapshot.index.scheme(scheme_id)  # or the hashed form of its id
    if found is None:
        raise NotFound(f"No concept scheme has the id '{scheme_id[:100]}'.")
    scheme_id = found.id
    decision = choose_from(request, RDF_FORMATS, TURTLE, suffix)
    fmt, compressed = decision.format.name, accepts_gzip(request.headers.get("accept-encoding"))
    etag = entity_tag(request, f"{fmt}|{'gzip' if compressed else 'identity'}")
    vary = ("Accept, " if decision.decided_by != "suffix" else "") + "Accept-Encoding"
    headers = {"Vary": vary, "Link": _links(_dump_links(request, scheme_id))}
    if not_modified(request, etag):
        return not_modified_response(request, etag, headers)
    try:
        body = await _dump_body(request, serving, scheme_id, fmt, compressed)
    except rdf.Inexpressible:
        raise NotAcceptable([f.media_type for f in RDF_FORMATS if f.name != fmt]) from None
    headers["Content-Disposition"] = f'inline; filename="{scheme_id}.{fmt}"'
    if compressed:
        headers["Content-Encoding"] = "gzip"
    response = rdf.RESPONSES[fmt](body, headers=headers)
    add_cache_headers(request, response, etag)
    return response


async def _dump_body(
    request: Request, serving: Serving, scheme_id: str, fmt: str, compressed: bool
) -> bytes:
    """The dump, made once per snapshot in a thread. Making one holds the whole graph in
    memory, so at most ``dump_builds`` are made at once; the others wait without a thread."""
    views = rdf.Views.of(serving)
    made = views.made_dump(scheme_id, fmt, compressed=compressed)
    if made is not None:
        return made
    settings: Settings = request.state.settings
    build = functools.partial(views.dump, scheme_id, fmt, compressed=compressed)
    limiter = serving.builds.limiter(settings.dump_builds)
    return await anyio.to_thread.run_sync(build, limiter=limiter)


def _dump_links(request: Request, scheme_id: str) -> list[tuple[str, str]]:
    return [
        (str(request.url_for("dump", name=f"{scheme_id}.{f.name}")), f.media_type)
        for f in RDF_FORMATS
    ]


async def ontology(request: Request) -> Response:
    """Our extension ontology (``gloss:``), served at its namespace IRI's path."""
    serving = current(request)
    decision = choose_from(request, RDF_FORMATS, TURTLE)
    return _ontology_document(request, serving, decision.format, decision.decided_by)


async def ontology_part(request: Request) -> Response:
    """``/def/ontology.ttl`` (a format by suffix) or ``/def/Term`` (303 to the ontology)."""
    name, suffix = split_name(request.path_params["name"])
    serving = current(request)
    if suffix is not None:
        if name != "ontology":
            raise NotFound("There is nothing at this URL.")
        decision = choose_from(request, RDF_FORMATS, TURTLE, suffix)
        return _ontology_document(request, serving, decision.format, "suffix")
    if GLOSS + name not in _ontology_terms(serving):
        raise NotFound(f"The ontology defines no term '{name[:100]}'.")
    # A slash-namespace term: 303 See Other to the document that describes it (W3C Recipe 5).
    return RedirectResponse(str(request.url_for("ontology")), status_code=303)


def _ontology_document(
    request: Request, serving: Serving, fmt: Format, decided_by: str
) -> Response:
    body = rdf.Views.of(serving).document(("ontology", fmt.name), lambda: _ontology_bytes(fmt.name))
    links = [
        (str(request.url_for("ontology-part", name=f"ontology.{f.name}")), f.media_type)
        for f in RDF_FORMATS
    ]
    return _document(request, serving, body, fmt, links, decided_by)


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


def _ontology_terms(serving: Serving) -> frozenset[str]:
    def listed() -> bytes:
        quads = ox.parse(_ontology_source(), format=ox.RdfFormat.TURTLE)
        return "\n".join(
            {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
        ).encode()

    terms = rdf.Views.of(serving).document(("ontology", "terms"), listed)
    return frozenset(terms.decode().split("\n"))


def _document(
    request: Request,
    serving: Serving,
    body: bytes,
    fmt: Format,
    links: Sequence[tuple[str, str]],
    decided_by: str,
) -> Response:
    headers = {"Link": _links(links)}
    if decided_by != "suffix":
        headers["Vary"] = "Accept"
    return conditional(request, fmt.name, lambda: rdf.RESPONSES[fmt.name](body), headers=headers)


def _links(links: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f'<{url}>; rel="alternate"; type="{media_type}"' for url, media_type in links)


# IRI paths ---------------------------------------------------------------------------


async def iri_path(scope: Scope, receive: Receive, send: Send) -> None:
    """The router's default handler: 303 from an IRI's path to its resource when
    ``public_base_url`` is its namespace; 404 for every other unmatched path (the router
    has already answered 405 and the trailing-slash redirects)."""
    request = Request(scope, receive)
    settings: Settings = request.state.settings
    base = settings.public_base_url
    target = None
    if base is not None and request.method in ("GET", "HEAD"):
        target = _resolve(request, base + scope["path"].removeprefix("/"))
    if target is None:
        raise NotFound("There is nothing at this URL.")
    if request.url.query:
        target += "?" + request.url.query
    await RedirectResponse(target, status_code=303)(scope, receive, send)


def _resolve(request: Request, iri: str) -> str | None:
    """The URL of the resource with this IRI; for a hash namespace, its scheme's dump."""
    index = current(request).snapshot.index
    found = index.resource_by_iri(iri)
    if found is not None:
        return str(request.url_for(_ROUTE_OF[type(found)], id=found.id))
    for scheme in index.schemes.values():
        if scheme.iri.startswith(iri + "#"):
            return str(request.url_for("dump", name=scheme.id))
    return None
