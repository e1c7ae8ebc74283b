"""Fixture vocabularies for what the surfaces show (issue 11): withdrawn concepts and their
replacements, notations, several languages, untagged labels, several schemes.

``serve`` runs the app over a loaded snapshot, as ``glossary serve`` hands one over.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.runtime.snapshot import Snapshot, load_snapshot
from api.settings import Settings
from tests.support.apps import TEST_HOSTS

HERE = Path(__file__).resolve().parent
#: Real public vocabularies, read where the project shares them and never copied.
SHARED = HERE.parents[2].parent / "shared" / "vocabularies"
SKOSMOS = SHARED / "skosmos-test"
#: A multilingual classification with natural-order notations and two withdrawn classes.
CLASSIFICATION = HERE / "classification.ttl"
#: Two schemes whose concepts share the local name "894".
SHARED_NAMES = HERE / "shared-names.ttl"
#: Two files each with a scheme "thesaurus" and a collection "groups" (other namespaces).
THESAURUS_ONE = HERE / "thesaurus-one.ttl"
THESAURUS_TWO = HERE / "thesaurus-two.ttl"


def load(*paths: Path) -> Snapshot:
    """The files loaded as the service loads them."""
    return load_snapshot(paths)


@contextlib.asynccontextmanager
async def serve(snapshot: Snapshot, **settings: object) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app serving ``snapshot`` (requests go in-process)."""
    configured = Settings(vocab=snapshot.vocabulary.files, allowed_hosts=TEST_HOSTS, **settings)
    app = create_app(configured, snapshot=snapshot)
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
