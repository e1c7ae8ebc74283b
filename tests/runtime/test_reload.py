"""Reloads never lose good data: failures and big shrinks are recorded, the old data kept."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from api.build.isolation import LoadLimits
from api.runtime import reload
from api.runtime.reload import Reloader, watch
from api.runtime.serving import Runtime
from api.runtime.snapshot import load_snapshot
from tests.build.test_files import entity_bomb
from tests.data import synthetic
from tests.support.pages import client_for

pytestmark = pytest.mark.anyio
LIMITS = LoadLimits(memory_mb=512)


@pytest.fixture
def vocabulary(tmp_path: Path) -> Path:
    """A watched folder holding a 60-concept vocabulary."""
    synthetic.write(tmp_path / "v.ttl", 60)
    return tmp_path


def runtime_of(folder: Path) -> Runtime:
    return Runtime(load_snapshot([folder], limits=LIMITS))


def reloader(runtime: Runtime, folder: Path, max_shrink: float = 0.2) -> Reloader:
    return Reloader(runtime, [folder], LIMITS, max_shrink)


async def test_a_refused_file_keeps_the_old_data_and_is_recorded_once(
    vocabulary: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = runtime_of(vocabulary)
    old = runtime.snapshot
    bomb = vocabulary / "bomb.rdf"
    bomb.write_text(entity_bomb(), encoding="utf-8")
    with caplog.at_level(logging.INFO, "api"):
        await reloader(runtime, vocabulary).reload()
    assert runtime.snapshot is old
    status = runtime.reload_status
    assert (status.attempts, status.outcome, status.last_success) == (1, "failed", None)
    assert status.last_attempt is not None
    assert status.reason == "bomb.rdf:2:1: dtd: " + status.reason.split(": dtd: ")[1]
    assert [r.getMessage() for r in caplog.records] == [
        f"vocabulary refused, still serving digest {old.digest[:12]}: {bomb}:2:1: dtd: "
        + status.reason.split(": dtd: ")[1]
    ]


async def test_any_failure_keeps_the_old_data(
    vocabulary: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = runtime_of(vocabulary)
    old = runtime.snapshot

    def fail(*args: object, **kwargs: object) -> None:
        raise MemoryError  # whatever it is, it is not the old data's fault

    monkeypatch.setattr(reload, "load_snapshot", fail)
    with caplog.at_level(logging.ERROR, "api"):
        await reloader(runtime, vocabulary).reload()
    assert runtime.snapshot is old
    assert runtime.reload_status.outcome == "failed"
    assert runtime.reload_status.reason == "unexpected MemoryError (see the server's log)"
    assert len(caplog.records) == 1
    assert caplog.records[0].exc_info is not None


async def test_a_vocabulary_that_shrinks_too_much_is_held_back_until_forced(
    vocabulary: Path,
) -> None:
    runtime = runtime_of(vocabulary)
    old = runtime.snapshot
    synthetic.write(vocabulary / "v.ttl", 1)
    await reloader(runtime, vocabulary).reload()
    assert runtime.snapshot is old
    assert runtime.reload_status.outcome == "held-back"
    assert "1 concepts, 59 fewer than the 60 served" in str(runtime.reload_status.reason)
    await reloader(runtime, vocabulary).reload(force=True)
    assert runtime.snapshot.index.concept_count == 1
    assert runtime.reload_status.outcome is None
    assert runtime.reload_status.last_success == runtime.reload_status.last_attempt


@pytest.mark.parametrize(("remaining", "max_shrink"), [(48, 0.2), (1, 1.0)])
async def test_a_shrink_within_the_setting_is_taken(
    vocabulary: Path, remaining: int, max_shrink: float
) -> None:
    runtime = runtime_of(vocabulary)
    synthetic.write(vocabulary / "v.ttl", remaining)
    await reloader(runtime, vocabulary, max_shrink).reload()
    assert runtime.snapshot.index.concept_count == remaining


async def test_a_reload_is_logged_with_old_and_new_digests_and_counts(
    vocabulary: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = runtime_of(vocabulary)
    old = runtime.snapshot
    synthetic.write(vocabulary / "v.ttl", 70)
    with caplog.at_level(logging.INFO, "api"):
        await reloader(runtime, vocabulary).reload()
    new = runtime.snapshot
    assert [r.getMessage() for r in caplog.records] == [
        f"vocabulary reloaded: digest {old.digest[:12]} -> {new.digest[:12]}, concepts 60 -> "
        f"70, triples {old.vocabulary.triple_count} -> {new.vocabulary.triple_count}"
    ]
    assert runtime.reload_status.outcome is None


async def watching(runtime: Runtime, folder: Path) -> asyncio.Task[None]:
    """The watcher, started: it has taken the files' fingerprint when this returns."""
    watcher = asyncio.create_task(watch(runtime, [folder], 0.05, limits=LIMITS, max_shrink=0.2))
    await asyncio.sleep(0)
    return watcher


async def until(condition: Callable[[], bool], timeout: float = 30) -> bool:
    """Whether ``condition`` comes true within ``timeout`` seconds (a bound, not a timing)."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


async def test_the_watcher_keeps_watching_after_a_failure(vocabulary: Path) -> None:
    runtime = runtime_of(vocabulary)
    old = runtime.snapshot
    watcher = await watching(runtime, vocabulary)
    try:
        (vocabulary / "bomb.rdf").write_text(entity_bomb(), encoding="utf-8")
        assert await until(lambda: runtime.reload_status.outcome == "failed")
        (vocabulary / "bomb.rdf").unlink()
        synthetic.write(vocabulary / "v.ttl", 61)
        assert await until(lambda: runtime.snapshot.index.concept_count == 61)
        assert runtime.reload_status.outcome is None
        assert runtime.snapshot is not old
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)


async def test_sighup_reloads_now_and_accepts_a_shrink(vocabulary: Path) -> None:
    runtime = runtime_of(vocabulary)
    watcher = await watching(runtime, vocabulary)
    try:
        synthetic.write(vocabulary / "v.ttl", 1)
        assert await until(lambda: runtime.reload_status.outcome == "held-back")
        # Never send SIGHUP unless the watcher took it: by default it ends the process.
        assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, signal.SIG_IGN, None)
        os.kill(os.getpid(), signal.SIGHUP)
        assert await until(lambda: runtime.snapshot.index.concept_count == 1)
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL  # given back on the way out


async def test_health_shows_the_last_reload_and_revalidates_when_it_changes(
    vocabulary: Path,
) -> None:
    turtle = (vocabulary / "v.ttl").read_text(encoding="utf-8")
    served = vocabulary / "app"
    served.mkdir()
    async with client_for(turtle, served, watch_interval=0.05) as client:
        first = await client.get("/health")
        assert first.json()["reload"] is None
        etag = first.headers["ETag"]
        (served / "vocabulary.ttl").write_text(turtle + "\n<broken", encoding="utf-8")

        async def reload_outcome() -> object:
            return (await client.get("/health")).json()["reload"]

        for _ in range(600):
            if await reload_outcome() is not None:
                break
            await asyncio.sleep(0.05)
        health = await client.get("/health", headers={"If-None-Match": etag})
    assert health.status_code == 200
    assert health.json()["digest"] == first.json()["digest"]
    reload_ = health.json()["reload"]
    assert reload_["outcome"] == "failed"
    assert reload_["lastSuccess"] is None
    assert reload_["reason"].startswith("vocabulary.ttl:")
    assert ": syntax: " in reload_["reason"]
    assert str(vocabulary) not in reload_["reason"]
