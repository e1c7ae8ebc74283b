"""``conditional``: an answer kept under the facts its strong ETag is made of, replayed
(with ``replaying``) before the endpoint checks its parameters (issue 12)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.app import create_app
from api.http.caching import KEEP_LIMIT, conditional, origin, replaying
from api.http.errors import InvalidParameter
from api.settings import Settings
from tests.support.apps import for_tests
from tests.support.pages import assert_problem

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


@pytest.fixture
async def checked(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    """The app with one more route, behind ``replaying``, that records each time its
    endpoint runs and refuses ``?n=`` other than digits."""
    ran: list[str] = []

    async def endpoint(request: Request) -> Response:
        ran.append(request.url.query)
        if not request.query_params.get("n", "0").isdigit():
            raise InvalidParameter("n", "must be digits")
        return conditional(request, "json", lambda: JSONResponse({"n": request.url.query}))

    app = create_app(for_tests(settings))
    app.router.routes.insert(0, Route("/checked", replaying(endpoint)))
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http, ran


async def test_a_kept_answer_is_replayed_before_the_endpoint_runs(
    checked: tuple[httpx.AsyncClient, list[str]],
) -> None:
    http, ran = checked
    first = await http.get("/checked?n=1")
    again = await http.get("/checked?n=1")
    assert (again.status_code, again.content) == (200, first.content)
    assert ran == ["n=1"]
    star = await http.get("/checked?n=1", headers={"if-none-match": "*"})
    assert star.status_code == 304
    assert ran == ["n=1"]


async def test_a_bad_parameter_is_refused_every_time_even_after_a_good_one(
    checked: tuple[httpx.AsyncClient, list[str]],
) -> None:
    http, ran = checked
    assert (await http.get("/checked?n=1")).status_code == 200
    for headers in ({}, {"if-none-match": "*"}, {}):
        assert_problem(await http.get("/checked?n=x", headers=headers), 400, "invalid-parameter")
    assert ran == ["n=1", "n=x", "n=x", "n=x"]


def test_the_origin_key_hashes_whatever_iterable_the_server_gives_its_address_as() -> None:
    """ASGI allows a list (Starlette's TestClient sends one); the key must still hash."""
    scope = {
        "type": "http",
        "scheme": "http",
        "server": ["testserver", 80],
        "root_path": "",
        "headers": [(b"host", b"testserver")],
    }
    key = origin(Request(scope))
    assert hash(key) == hash(("http", "testserver", ("testserver", 80), ""))
