"""Shared fixtures: settings → app → client, all session-scoped and real (no mocks)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from api.app import create_app
from api.settings import Settings
from tests.support.server import running_server

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / "vocab"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(vocab=(VOCAB,), cache_max_age=60)


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=60) as manager:
        yield manager.app  # type: ignore[misc]


@pytest.fixture(scope="session")
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A real uvicorn subprocess serving the shipped glossary."""
    with running_server() as base:
        yield base
