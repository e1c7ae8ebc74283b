"""The application factory: settings → lifespan (load once) → routes, mounts, middleware.

Run with ``uvicorn api.app:create_app --factory`` or ``glossary serve``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from api import rest
from api.graphql import routes as graphql_routes
from api.http.errors import Problem, handle_error
from api.http.renderers import Registry
from api.http.security import SecurityHeadersMiddleware, unexpected_error_headers
from api.pages import routes as pages
from api.rdf import routes as linkeddata
from api.runtime import Live, load_snapshot, watch
from api.settings import Settings

logger = logging.getLogger("api")


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


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the ASGI app; the vocabulary is loaded by the lifespan, once per process."""
    settings = settings or Settings.from_env()
    registry = Registry({**rest.RENDERERS, **linkeddata.RENDERERS, **pages.RENDERERS})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        snapshot = await asyncio.to_thread(load_snapshot, settings.vocab, _progress)
        live = Live(snapshot)
        # The read model lives as long as the process: moving it out of the collector's
        # generations keeps full collections from pausing requests for up to a second.
        gc.collect()
        gc.freeze()
        snapshot.warm()
        _progress(
            f"ready: {snapshot.index.concept_count} concepts, digest {snapshot.index.digest[:12]}"
        )
        watcher = None
        if settings.watch_interval > 0:
            watcher = asyncio.create_task(watch(live, settings.vocab, settings.watch_interval))
        try:
            yield {"settings": settings, "live": live, "renderers": registry}
        finally:
            if watcher is not None:
                watcher.cancel()
            live.snapshot.close()

    return Starlette(
        # Order matters: the busiest routes first (the router tries patterns in turn), and
        # linkeddata last, since it ends with the catch-all that resolves IRI paths.
        routes=[*graphql_routes(settings), *rest.routes(), *pages.routes(), *linkeddata.routes()],
        middleware=[
            # Security and CORS headers in one pass over raw headers (see docs/benchmarks.md).
            Middleware(SecurityHeadersMiddleware),
        ],
        # Problem and HTTPException are handled inside the router (ExceptionMiddleware); only
        # unexpected errors reach the outermost handler, which re-raises them for logging.
        exception_handlers={
            Exception: handle_unexpected,
            HTTPException: handle_error,
            Problem: handle_error,
        },
        lifespan=lifespan,
    )
