"""A freshly built app under its lifespan, with a view of the runtime the lifespan made."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from starlette.types import Receive, Scope, Send

from api.app import create_app
from api.runtime.serving import Runtime
from api.settings import Settings

#: Hosts the in-process test clients use (httpx's ASGI default is ``testserver``), on top
#: of the production default: tests never widen what a deployment answers.
TEST_HOSTS = (*Settings().allowed_hosts, "testserver")


def for_tests(settings: Settings) -> Settings:
    """``settings`` that also answer the test clients' host."""
    return settings.model_copy(update={"allowed_hosts": (*settings.allowed_hosts, "testserver")})


@dataclass
class Running:
    """A client of a fresh app, and the lifespan state its requests saw."""

    client: httpx.AsyncClient
    state: dict[str, Any]

    @property
    def runtime(self) -> Runtime:
        runtime = self.state["runtime"]
        assert isinstance(runtime, Runtime)
        return runtime


@contextlib.asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[Running]:
    """``create_app(settings)`` started as a server starts it; requests go in-process."""
    app = create_app(for_tests(settings))
    state: dict[str, Any] = {}

    async def spy(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state.update(scope.get("state", {}))
        await app(scope, receive, send)

    async with LifespanManager(spy, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await client.get("/health")  # one request, so the lifespan state has been seen
            yield Running(client, state)
