"""``/mcp`` started on first use: importing the app imports nothing of the SDK; the first
request starts one session manager (however many arrive at once), later ones reuse it; a
start that fails is a 503 and the next request retries; the lifespan ends cleanly, used or
not. In-process through httpx, under the app's real lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio
import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.protocols.mcp import Endpoint, http
from api.settings import Settings
from tests.protocols.mcp import counting
from tests.support.apps import for_tests
from tests.support.imports import loaded_by

pytestmark = pytest.mark.anyio

ACCEPT = {"Accept": "application/json, text/event-stream"}
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}


@dataclass
class Started:
    client: httpx.AsyncClient
    endpoint: Endpoint

    async def ping(self) -> httpx.Response:
        return await self.client.post("/mcp", json=PING, headers=ACCEPT)


@contextlib.asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[Started]:
    """A fresh app under its lifespan (so MCP has not started), and its ``/mcp`` endpoint."""
    app = create_app(for_tests(settings))
    (endpoint,) = [r.endpoint for r in app.routes if getattr(r, "name", None) == "mcp"]
    assert isinstance(endpoint, Endpoint)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=10) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Started(client, endpoint)


def test_importing_the_app_imports_nothing_of_the_sdk() -> None:
    # A fresh interpreter: this one has imported the SDK for other tests. api.workers and
    # api.cli too: the supervisor of --workers must not hand the SDK to every worker.
    modules = ["api.app", "api.cli", "api.workers", "api.protocols.mcp.namespaces"]
    assert loaded_by(modules, ["mcp"]) == []


async def test_the_first_call_starts_the_manager_and_later_ones_reuse_it(
    settings: Settings,
) -> None:
    async with started(settings) as mcp:
        assert mcp.endpoint.manager is None  # the lifespan started without it
        first = await mcp.ping()
        assert first.status_code == 200, first.text
        assert first.json() == {"jsonrpc": "2.0", "id": 1, "result": {}}
        manager = mcp.endpoint.manager
        assert manager is not None
        assert (await mcp.ping()).status_code == 200
        assert mcp.endpoint.manager is manager


async def test_concurrent_first_calls_start_one_manager(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "SESSIONS", counting.__name__)
    counting.made.clear()
    async with started(settings) as mcp:
        answers = await asyncio.gather(*(mcp.ping() for _ in range(4)))
        assert [answer.status_code for answer in answers] == [200] * 4
        assert counting.made == [mcp.endpoint.manager]


async def test_a_failed_start_is_a_503_and_the_next_call_retries(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with started(settings) as mcp:
        monkeypatch.setattr(http, "SESSIONS", "tests.protocols.mcp.no_such_module")
        failed = await mcp.ping()
        assert failed.status_code == 503
        assert failed.headers["content-type"] == "application/problem+json"
        assert failed.headers["retry-after"] == "1"
        assert failed.json()["detail"] == "The MCP server could not start; try again."
        assert mcp.endpoint.manager is None
        monkeypatch.undo()
        retried = await mcp.ping()
        assert retried.status_code == 200, retried.text
        assert mcp.endpoint.manager is not None


@pytest.mark.parametrize("used", [True, False], ids=["after-use", "without-use"])
async def test_shutdown_is_clean(
    settings: Settings, used: bool, caplog: pytest.LogCaptureFixture
) -> None:
    before = asyncio.all_tasks()
    with warnings.catch_warnings(record=True) as warned, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        with anyio.fail_after(30):  # a hang fails, rather than stalls the suite
            async with started(settings) as mcp:
                if used:
                    assert (await mcp.ping()).status_code == 200
                    assert mcp.endpoint.manager is not None
            # Every task the lifespan and the manager started has ended.
            await asyncio.sleep(0)
            assert asyncio.all_tasks() == before
    assert [str(w.message) for w in warned] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert mcp.endpoint.manager is None  # and a later request is refused, not started
