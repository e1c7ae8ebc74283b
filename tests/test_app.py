"""The application factory: an unexpected error is a bare 500 problem with every header."""

from __future__ import annotations

import gc

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.app import create_app
from api.build.files import VocabularyError
from api.settings import Settings
from tests.support.imports import loaded_by

pytestmark = pytest.mark.anyio


async def explode(request: Request) -> Response:
    raise RuntimeError("/secret/path/on/the/server")


async def test_an_unexpected_error_is_a_problem_with_security_and_cors_headers(
    settings: Settings,
) -> None:
    app = create_app(settings)
    app.router.routes.insert(0, Route("/explode", explode))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            response = await c.get("/explode")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/internal-error")
    assert "secret" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_lifespan_loads_within_the_load_limits_of_its_settings(
    settings: Settings,
) -> None:
    limited = settings.model_copy(update={"max_file_bytes": 1000})  # the glossary is larger
    with pytest.raises(VocabularyError, match="too-large"):
        async with LifespanManager(create_app(limited), startup_timeout=60):
            pass


async def test_the_lifespan_moves_the_read_model_out_of_the_collectors_reach(
    settings: Settings,
) -> None:
    gc.unfreeze()  # another test's app may have frozen objects already
    async with LifespanManager(create_app(settings), startup_timeout=60) as manager:
        index = manager._state["runtime"].snapshot.index
        # What the index keeps as objects (a concept read is decoded anew: the reader's).
        kept = [index.concepts, index.searcher, *(index.pref_labels(i) for i in index.concepts)]
        collected = {id(o) for o in gc.get_objects()}  # the generations a collection visits
        assert gc.get_freeze_count() > len(kept) > 2
        assert not any(id(thing) in collected for thing in kept)


def test_starting_imports_no_client_and_no_rdflib() -> None:
    # Only a SPARQL source needs httpx, and only JSON-LD and RDF/XML need rdflib: imported
    # at start, they took 0.15 s of the glossary's ready time (target 1 s; docs/benchmarks.md).
    assert loaded_by(["api.app", "api.cli", "api.workers"], ["httpx", "rdflib"]) == []
