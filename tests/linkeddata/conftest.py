"""Fixtures of the linked-data tests: a real server with tight SPARQL limits, and an app
serving a vocabulary outside the glossary's namespace (for IRI resolution)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.settings import Settings
from tests.support.server import running_server
from tests.support.vocabularies import SMALL

#: The limits the ``limited_server`` runs with.
SPARQL_TIMEOUT = 1
SPARQL_MAX_ROWS = 100
GLOSSARY_NAMESPACE = "https://w3id.org/engagement-glossary/"


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
