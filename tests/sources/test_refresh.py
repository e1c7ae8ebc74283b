"""Refreshing from a store: a change the poll query sees is swapped in; a store stopped
mid-refresh leaves the old snapshot served and says so at ``/health``; once it is back,
the next refresh succeeds; SIGHUP refreshes at once."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from api.build.isolation import LoadLimits
from api.build.remote import Endpoint
from api.runtime.reload import watch
from api.runtime.serving import Runtime
from api.runtime.snapshot import load_snapshot
from api.settings import Settings
from tests.sources.conftest import GLOSSARY
from tests.support.apps import running_app
from tests.support.stores import Hostile, Oxigraph, hostile_store, running_oxigraph

pytestmark = pytest.mark.anyio

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NEW_CONCEPT = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {
  <https://w3id.org/engagement-glossary/concepts/new-term> a skos:Concept ;
    skos:prefLabel "new term"@en ;
    skos:inScheme <https://w3id.org/engagement-glossary/> .
}
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Oxigraph]:
    with running_oxigraph(tmp_path / "store", [GLOSSARY]) as running:
        yield running


async def until(condition: Callable[[], bool], seconds: float = 15) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


@asynccontextmanager
async def watching(endpoint: Endpoint) -> AsyncIterator[Runtime]:
    runtime = Runtime(load_snapshot(endpoint))
    watcher = asyncio.create_task(watch(runtime, endpoint, 0.1, limits=LoadLimits()))
    try:
        yield runtime
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)


async def test_a_change_the_poll_query_sees_is_swapped_in(store: Oxigraph) -> None:
    async with watching(Endpoint(store.url, poll_query=COUNT)) as runtime:
        old = runtime.snapshot
        await asyncio.sleep(0.3)
        assert runtime.snapshot is old  # the answer to the poll query did not change
        store.update(NEW_CONCEPT)
        assert await until(lambda: runtime.snapshot.index.concept_count == 61)
        assert runtime.snapshot.digest != old.digest
        assert runtime.reload_status.outcome is None


async def test_without_a_poll_query_an_unchanged_store_keeps_its_snapshot(
    store: Oxigraph,
) -> None:
    async with watching(Endpoint(store.url)) as runtime:
        old = runtime.snapshot
        assert await until(lambda: runtime.reload_status.attempts >= 2)
        assert runtime.snapshot is old  # read again, same digest: nothing swapped
        store.update(NEW_CONCEPT)
        assert await until(lambda: runtime.snapshot.index.concept_count == 61)


async def test_a_store_stopped_mid_refresh_keeps_the_old_snapshot_until_it_is_back(
    store: Oxigraph,
) -> None:
    # A slow proxy holds each request for 0.3 s: the store is stopped while one waits.
    slow = Hostile("slow", delay=0.3, upstream=store.url)
    with hostile_store(slow) as url:
        async with watching(Endpoint(url)) as runtime:
            old = runtime.snapshot
            asked = len(slow.seen)
            assert await until(lambda: len(slow.seen) > asked)  # a refresh has begun
            store.stop()
            assert await until(lambda: runtime.reload_status.outcome == "failed")
            assert runtime.snapshot is old
            assert "SPARQL source" in (runtime.reload_status.reason or "")
            store.start()
            assert await until(lambda: runtime.reload_status.outcome is None)
            assert runtime.snapshot is old  # the same data: nothing to swap


async def test_health_says_a_refresh_failed_and_then_that_it_succeeded(store: Oxigraph) -> None:
    settings = Settings(source=store.url, source_poll_query=COUNT, watch_interval=0.1)
    async with running_app(settings) as running:
        digest = (await running.client.get("/health")).json()["digest"]
        await asyncio.sleep(0.5)  # the watcher has seen the poll query's answer
        store.stop()
        assert await until(lambda: running.runtime.reload_status.outcome == "failed")
        health = (await running.client.get("/health")).json()
        assert health["digest"] == digest
        assert health["reload"]["outcome"] == "failed"
        assert health["reload"]["reason"].startswith("unreachable: SPARQL source")
        assert str(store.port) not in health["reload"]["reason"]
        store.start()
        assert await until(lambda: running.runtime.reload_status.outcome is None)
        health = (await running.client.get("/health")).json()
        assert health["reload"]["outcome"] == "ok"
        assert health["digest"] == digest


async def test_sighup_refreshes_from_the_store_at_once(store: Oxigraph) -> None:
    endpoint = Endpoint(store.url, poll_query=COUNT)
    runtime = Runtime(load_snapshot(endpoint))
    watcher = asyncio.create_task(watch(runtime, endpoint, 3600, limits=LoadLimits()))
    try:
        await asyncio.sleep(0.2)  # the watcher takes SIGHUP
        assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, signal.SIG_IGN, None)
        store.update(NEW_CONCEPT)
        os.kill(os.getpid(), signal.SIGHUP)
        assert await until(lambda: runtime.snapshot.index.concept_count == 61)
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
