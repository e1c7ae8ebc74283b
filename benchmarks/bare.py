"""The yardstick: a bare Starlette app with one endpoint that returns a fixed body.

    BENCH_BODY=/path/to/body.json uvicorn benchmarks.bare:create_app --factory

The body (a concept's JSON, captured from the service) is read once in the factory, so a
request costs only the web stack: uvicorn, Starlette's router and a ``Response``.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY_VARIABLE = "BENCH_BODY"
TYPE_VARIABLE = "BENCH_MEDIA_TYPE"
PATH = "/bare"


def create_app() -> Starlette:
    """One route, ``GET /bare``, answering the bytes of ``$BENCH_BODY``."""
    body = Path(os.environ[BODY_VARIABLE]).read_bytes()
    media_type = os.environ.get(TYPE_VARIABLE, "application/json")

    async def bare(request: Request) -> Response:
        return Response(body, media_type=media_type)

    return Starlette(routes=[Route(PATH, bare, name="bare")])
