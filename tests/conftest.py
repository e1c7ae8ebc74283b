"""Shared fixtures: settings → app → client, all session-scoped and real (no mocks)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from api.app import create_app
from api.runtime.snapshot import Snapshot, load_snapshot
from api.settings import Settings
from tests.support.apps import TEST_HOSTS
from tests.support.server import (
    GLOSSARY_NAMESPACE,
    SPARQL_MAX_ROWS,
    SPARQL_TIMEOUT,
    running_server,
)
from tests.support.vocabularies import SMALL

ROOT = Path(__file__).resolve().parent.parent

#: The start-up cache (``api.build.cache``) is on by default, in ``$XDG_CACHE_HOME``: the
#: tests' loads, and the servers they start, keep theirs in a folder of their own.
TEST_CACHE_HOME = Path(tempfile.mkdtemp(prefix="glossary-tests-cache-"))
os.environ["XDG_CACHE_HOME"] = str(TEST_CACHE_HOME)


def pytest_unconfigure() -> None:
    shutil.rmtree(TEST_CACHE_HOME, ignore_errors=True)


VOCAB = ROOT / "vocab"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(vocab=(VOCAB,), cache_max_age=60, allowed_hosts=TEST_HOSTS)


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


@pytest.fixture(scope="session")
def limited_server() -> Iterator[str]:
    """A uvicorn serving the glossary at its own namespace, SPARQL limited to 1 s and 100 rows."""
    env = {
        "GLOSSARY_SPARQL_TIMEOUT": str(SPARQL_TIMEOUT),
        "GLOSSARY_SPARQL_MAX_ROWS": str(SPARQL_MAX_ROWS),
        "GLOSSARY_PUBLIC_BASE_URL": GLOSSARY_NAMESPACE,
    }
    with running_server(env) as base:
        yield base


@pytest.fixture(scope="session")
def limited(limited_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=limited_server, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def http(server_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def example_vocab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("example-vocab")
    (folder / "small.ttl").write_text(SMALL, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
async def example_client(example_vocab: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The app serving ``SMALL`` (IRIs ``http://example.org/X``) with that as its base URL."""
    settings = Settings(vocab=(example_vocab,), public_base_url="http://example.org/")
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.fixture(scope="session")
def snapshot(settings: Settings) -> Snapshot:
    """The shipped glossary, loaded as the service loads it."""
    return load_snapshot(settings.vocab)
