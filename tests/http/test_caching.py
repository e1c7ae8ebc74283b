"""``conditional``: an answer kept under the facts its strong ETag is made of (issue 12)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.app import create_app
from api.http.caching import KEEP_LIMIT, conditional
from api.settings import Settings
from tests.support.apps import for_tests

pytestmark = pytest.mark.anyio


@pytest.fixture
async def counted(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    """The app with one more route whose answer records each time it is built."""
    built: list[str] = []

    async def endpoint(request: Request) -> Response:
        size = int(request.query_params.get("size", "10"))

        def build() -> Response:
            built.append(request.url.query)
            return JSONResponse({"padding": "x" * size, "query": request.url.query})

        return conditional(request, "json", build, {"Vary": "Accept-Language"})

    app = create_app(for_tests(settings))
    app.router.routes.insert(0, Route("/counted", endpoint))
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http, built


async def test_an_answer_is_built_once_per_variant_and_replayed(
    counted: tuple[httpx.AsyncClient, list[str]],
) -> None:
    http, built = counted
    first = await http.get("/counted?a=1")
    again = await http.get("/counted?a=1")
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["vary"] == "Accept-Language"
    assert built == ["a=1"]
    await http.get("/counted?a=2")  # another query
    await http.get("/counted?a=1", headers={"accept-language": "cy"})  # other languages
    await http.get("/counted?a=1", headers={"host": "localhost"})  # another origin
    assert len(built) == 4
    not_modified = await http.get("/counted?a=1", headers={"if-none-match": first.headers["etag"]})
    assert not_modified.status_code == 304
    assert len(built) == 4


async def test_a_large_answer_is_built_every_time(
    counted: tuple[httpx.AsyncClient, list[str]],
) -> None:
    http, built = counted
    for _ in range(2):
        await http.get(f"/counted?size={KEEP_LIMIT + 1}")
    assert len(built) == 2
