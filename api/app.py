"""The application factory: settings → lifespan (load once) → one route table, middleware.

Run with ``uvicorn api.app:create_app --factory`` or ``glossary serve``. This module is the
one place that sees every surface: it lists every route, gathers the renderers into one
registry and wires the runtime's services (the SPARQL workers) to the lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from api.build.isolation import LoadLimits
from api.graphql import ide as graphiql
from api.graphql.query import build_schema
from api.graphql.view import Endpoint as GraphQLEndpoint
from api.http.caching import replaying
from api.http.errors import DISCONNECTS, Problem, handle_error
from api.http.fairness import FairShareMiddleware, FairShares
from api.http.front import FrontReplay
from api.http.hosts import HostMiddleware
from api.http.logs import access_line
from api.http.metrics import Metrics, MetricsEndpoint, MetricsMiddleware, Observer
from api.http.renderers import Registry
from api.http.security import SecurityHeadersMiddleware, unexpected_error_headers
from api.pages import errors as error_pages
from api.pages import problems as quality
from api.pages import routes as pages
from api.pages.templating import STATIC
from api.protocols import reconciliation
from api.protocols.fhir import routes as fhir
from api.protocols.mcp import Endpoint as MCPEndpoint
from api.protocols.skosmos import routes as skosmos
from api.rdf import routes as rdf
from api.rest import concepts, find, schemes, service
from api.rest.common import JSON_RENDERER
from api.runtime.reload import source_of, watch
from api.runtime.serving import CacheSizes, ReloadStatus, Runtime, Service
from api.runtime.snapshot import Snapshot, load_snapshot
from api.settings import Settings
from api.sparql import endpoint as sparql
from api.sparql.forwarding import forwarder
from api.sparql.pool import workers
from api.widgets import editor, embeds

GET_POST, POST = ["GET", "POST"], ["POST"]


def get(path: str, endpoint: Callable[[Request], Awaitable[Response]], name: str) -> Route:
    """A GET route (HEAD too: Starlette answers HEAD wherever GET is allowed)."""
    return Route(path, endpoint, methods=["GET"], name=name)


def routes(
    settings: Settings, metrics: Metrics | None = None, mcp: MCPEndpoint | None = None
) -> list[Route | Mount]:
    """Every route of the service, each named so links are built with ``url_for``.

    The busiest first (the router tries patterns in turn). Paths that match nothing go to
    the router's default handler, which resolves IRI paths (:func:`api.rdf.routes.iri_path`).
    """
    documentation = service.Documentation()
    graphql = GraphQLEndpoint(build_schema(settings))
    return [
        Route("/graphql", graphql, methods=GET_POST, name="graphql"),
        get("/graphql/schema.graphql", graphiql.sdl, "graphql-schema"),
        get("/graphql/assets/{name}", graphiql.asset, "graphiql-asset"),
        # Skosmos REST v1 (docs/protocols.md): one prefix test for other paths, and its
        # clients (autocomplete) are busy, so it is not left to wait behind every route
        skosmos.mount(),
        # FHIR terminology: a prefix test too, so its $lookup traffic is not tried against
        # every route below first
        fhir.mount(),
        # W3C Reconciliation (docs/protocols.md): its batches are POSTs, which the replay in
        # front never answers, so each one passes the router: four patterns here, where at
        # the end it was tried against ~40 first (about a third of a replayed batch's CPU)
        *reconciliation.routes(),
        # REST (mirrored in openapi/openapi.yaml)
        get("/concepts/{id}", concepts.concept, "concept"),
        get("/schemes", replaying(schemes.schemes), "schemes"),
        get("/schemes/{id}", schemes.scheme, "scheme"),
        get("/schemes/{id}/top-concepts", replaying(schemes.top_concepts), "scheme-top-concepts"),
        get("/concepts", replaying(concepts.concepts), "concepts"),
        get("/concepts/{id}/broader", replaying(concepts.broader), "concept-broader"),
        get("/concepts/{id}/narrower", replaying(concepts.narrower), "concept-narrower"),
        get("/concepts/{id}/related", replaying(concepts.related), "concept-related"),
        get("/concepts/{id}/hierarchy", replaying(concepts.hierarchy), "concept-hierarchy"),
        get(
            "/concepts/{id}/distinctions", replaying(concepts.distinctions), "concept-distinctions"
        ),
        get("/collections", replaying(schemes.collections), "collections"),
        get("/collections/{id}", schemes.collection, "collection"),
        get("/lookup", replaying(find.lookup), "lookup"),
        get("/search", replaying(find.search), "search"),
        get("/resolve", find.resolve, "resolve"),
        get("/health", service.health, "health"),
        get("/health/caches", service.cache_stats, "health-caches"),
        get("/problems", service.problems, "problems"),
        get("/openapi.json", documentation.openapi, "openapi"),
        get("/docs", pages.documentation(documentation), "docs"),
        # HTML pages
        get("/", pages.home, "home"),
        get("/pages/search", pages.search, "search-page"),
        get("/pages/problems", quality.problems, "problems-page"),
        get("/pages/a-z/{letter}", pages.letter, "a-z"),
        get("/pages/accessibility", pages.accessibility, "accessibility-page"),
        # Widgets for other sites
        get("/embed.js", embeds.embed_script, "embed-js"),
        get("/concepts/{id}/card", embeds.card, "concept-card"),
        get("/oembed", embeds.oembed, "oembed"),
        get("/annotate", editor.page, "annotate-page"),
        Route("/annotate", editor.post, methods=POST, name="annotate"),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        # Linked data
        get("/context.jsonld", rdf.jsonld_context, "jsonld-context"),
        get("/.well-known/void", rdf.void, "void"),
        get("/dumps/{name}", rdf.dump, "dump"),
        get("/def/", rdf.ontology, "ontology"),
        get("/def/{name}", rdf.ontology_part, "ontology-part"),
        Route("/sparql", sparql.endpoint, methods=GET_POST, name="sparql"),
        # POST only: stateless, so no server-to-client stream (GET) and no session (DELETE)
        Route("/mcp", mcp or MCPEndpoint(settings), methods=POST, name="mcp"),
        # Operations (not part of the API): Prometheus scrapes it
        *(
            [get("/metrics", MetricsEndpoint(metrics, settings).scrape, "metrics")]
            if metrics
            else []
        ),
    ]


def renderers() -> Registry:
    """Format → renderer of a concept, scheme or collection, from every surface."""
    return Registry({**JSON_RENDERER, **rdf.RENDERERS, **pages.RENDERERS})


def _progress(message: str) -> None:
    print(f"glossary: {message}", file=sys.stderr, flush=True)


async def handle_unexpected(request: Request, error: Exception) -> Response:
    """The 500 handler: Starlette calls it from outside our middleware, so it adds the
    security and CORS headers the middleware would have."""
    response = await handle_error(request, error)
    media_type = (response.media_type or "").split(";")[0]
    https = request.url.scheme == "https"
    for name, value in unexpected_error_headers(request.url.path, media_type, https).items():
        response.headers.setdefault(name, value)
    return response


def create_app(
    settings: Settings | None = None,
    *,
    snapshot: Snapshot | None = None,
    reload_status: ReloadStatus | None = None,
    made: Mapping[type[Any], Service] | None = None,
    processes: int = 1,
) -> Starlette:
    """Build the ASGI app; the vocabulary is loaded by the lifespan, once per process, unless
    ``snapshot`` is given: one loaded already (``glossary serve`` loads it before binding, to
    refuse a bad file, and hands it over rather than parse the files twice). The forked
    workers of ``api.workers`` are also given the supervisor's ``reload_status``, and the
    services it ``made`` for the snapshot (the pages' lists), which they share, and their
    number (``processes``), among whom the caches' sizes are shared out."""
    settings = settings or Settings.from_env()
    registry = renderers()
    preloaded = [snapshot] if snapshot is not None else []
    metrics = Metrics() if settings.metrics else None
    mcp = MCPEndpoint(settings)

    @contextlib.asynccontextmanager
    async def serving(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        limits = LoadLimits.from_settings(settings)
        snapshot = preloaded.pop() if preloaded else None  # used once: a restart loads afresh
        if snapshot is None:
            snapshot = await asyncio.to_thread(
                functools.partial(load_snapshot, source_of(settings), _progress, limits=limits)
            )
        runtime = Runtime(
            snapshot,
            services=(workers(settings), pages.browsing(), forwarder(settings)),
            sizes=CacheSizes.from_settings(settings, processes),
            made=made,
        )
        if reload_status is not None:
            runtime.reload_status = reload_status
        # The read model is out of the collector's reach already (``load_snapshot`` froze
        # it); what start-up made since (imports, the app, the runtime) follows it, after a
        # collection that walks only that: 0.04 s, where it walked the read model before
        # (0.44 s at 100,000 concepts). Full collections then never pause requests for long.
        gc.collect()
        gc.freeze()
        runtime.start()
        _progress(f"ready: {snapshot.index.concept_count} concepts, digest {snapshot.digest[:12]}")
        watcher = None
        if settings.watch_interval > 0:
            watcher = asyncio.create_task(
                watch(
                    runtime,
                    source_of(settings),
                    settings.watch_interval,
                    limits=limits,
                    max_shrink=settings.reload_max_shrink,
                )
            )
        try:
            # "metrics" is also read by the connection protocol, which counts its refusals.
            yield {
                "settings": settings,
                "runtime": runtime,
                "renderers": registry,
                "metrics": metrics,
                # Problems answered as HTML are pages of the site (api.http.errors).
                "error_page": error_pages.error_page,
            }
        finally:
            if watcher is not None:
                watcher.cancel()
            runtime.close()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        # MCP runs inside the app's lifespan, on the runtime it made; its SDK is imported
        # and its session manager started by the first /mcp request (api.protocols.mcp.http).
        async with serving(app) as state, mcp.running(state["runtime"]):
            yield state

    observing = metrics is not None or settings.access_log > 0
    # One bucket per client, charged by the replay in front or by the middleware, not both.
    shares = FairShares(settings)
    app = Starlette(
        routes=routes(settings, metrics, mcp),
        middleware=[
            # Outermost: every URL is built on the public base URL or an allowed Host, and the
            # security headers below see the public scheme (HSTS behind a TLS proxy).
            Middleware(HostMiddleware, settings=settings),
            # Answers asked again, sent as the stack below sent them, before the router: so
            # inside the host check (the origin is in its key), outside everything else.
            *(
                [
                    Middleware(
                        FrontReplay,
                        shares=shares,
                        observer=Observer(metrics, settings.access_log, access_line)
                        if observing
                        else None,
                    )
                ]
                if settings.front_replays > 0
                else []
            ),
            # Counts, times and samples the requests by route template, which the router
            # writes into the scope: so inside the host check, which may copy the scope.
            *(
                [Middleware(MetricsMiddleware, metrics, settings.access_log, access_line)]
                if observing
                else []
            ),
            # Security and CORS headers in one pass over raw headers (see docs/benchmarks.md).
            Middleware(SecurityHeadersMiddleware),
            # Per-client rates on the expensive routes; inside the two above, so a 429 has
            # the security headers and counts the client a trusted proxy names.
            Middleware(FairShareMiddleware, settings=settings, shares=shares),
        ],
        # Problem and HTTPException are handled inside the router (ExceptionMiddleware); only
        # unexpected errors reach the outermost handler, which re-raises them for logging.
        exception_handlers={
            Exception: handle_unexpected,
            HTTPException: handle_error,
            Problem: handle_error,
            # A client that hung up: answered inside the router (logged at INFO, no
            # traceback) rather than re-raised to the server as an unexpected error.
            **dict.fromkeys(DISCONNECTS, handle_error),
        },
        lifespan=lifespan,
    )
    # What the router runs when no route matches (after its own 405 and slash redirects):
    # ``Router(default=...)`` is Starlette's documented hook; Starlette() does not take it.
    app.router.default = rdf.iri_path
    return app
