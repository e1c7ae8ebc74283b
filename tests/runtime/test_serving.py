"""The runtime owns what changes: one ``Serving`` per snapshot, its services, swaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.runtime.serving import CacheSizes, Runtime, ServiceKind
from api.runtime.snapshot import Snapshot, load_snapshot
from api.settings import Settings
from tests.support.vocabularies import SMALL


class Recorder:
    """A service that records what the runtime asked of it."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.calls: list[str] = []

    def start(self) -> None:
        self.calls.append("start")

    def close(self) -> None:
        self.calls.append("close")


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> tuple[Snapshot, Snapshot]:
    folder = tmp_path_factory.mktemp("vocab")
    path = folder / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    first = load_snapshot([path])
    path.write_text(SMALL + "\n# edited\n", encoding="utf-8")
    return first, load_snapshot([Path(path)])


def test_a_service_is_made_once_per_snapshot_and_closed_on_swap(
    snapshots: tuple[Snapshot, Snapshot],
) -> None:
    first, second = snapshots
    runtime = Runtime(first, services=(ServiceKind(Recorder, Recorder),))
    old = runtime.current.service(Recorder)
    assert runtime.current.service(Recorder) is old
    assert old.snapshot is first
    assert old.calls == []
    runtime.swap(second)
    assert old.calls == ["close"]
    new = runtime.current.service(Recorder)
    assert new is not old
    assert new.snapshot is second
    runtime.close()
    assert new.calls == ["close"]


def test_eager_services_start_with_their_snapshot(snapshots: tuple[Snapshot, Snapshot]) -> None:
    first, second = snapshots
    kind = ServiceKind(Recorder, Recorder, eager=lambda snapshot: snapshot is second)
    runtime = Runtime(first, services=(kind,))
    runtime.start()
    assert runtime.current._services == {}  # not eager for the first: not even made
    runtime.swap(second)
    assert runtime.current.service(Recorder).calls == ["start"]


def test_caches_belong_to_one_snapshot(snapshots: tuple[Snapshot, Snapshot]) -> None:
    first, second = snapshots
    runtime = Runtime(first)
    runtime.current.caches.renderings.put("k", b"old")
    runtime.swap(second)
    assert runtime.current.caches.renderings.get("k") is None


def test_a_closed_snapshot_makes_no_new_services(snapshots: tuple[Snapshot, Snapshot]) -> None:
    first, second = snapshots
    runtime = Runtime(first, services=(ServiceKind(Recorder, Recorder),))
    old = runtime.current
    runtime.swap(second)
    with pytest.raises(RuntimeError):
        old.service(Recorder)


def test_answer_caches_are_bounded_in_bytes_and_report_their_hits(
    snapshots: tuple[Snapshot, Snapshot],
) -> None:
    runtime = Runtime(snapshots[0], sizes=CacheSizes(cache_bytes=10_000))
    caches = runtime.current.caches
    for n in range(10):
        caches.renderings.put(n, bytes(3_000))
    assert len(caches.renderings) == 3  # 9,000 bytes: a fourth would pass the budget
    caches.answers.put("huge", bytes(20_000))  # heavier than the whole budget: not kept
    assert caches.answers.get("huge") is None
    assert caches.renderings.get(9) is not None
    stats = caches.stats()
    assert (stats["renderings"].hits, stats["answers"].misses) == (1, 1)
    assert set(stats) == {
        "responses",
        "renderings",
        "resources",
        "documents",
        "answers",
        "sparql",
        "pages",
        "reconcile_queries",
        "reconcile_batches",
        "front",
    }


def test_cache_sizes_come_from_the_settings() -> None:
    settings = Settings.from_env({"GLOSSARY_CACHE_MB": "3"})
    assert CacheSizes.from_settings(settings).cache_bytes == 3 * 1024 * 1024
    front = Settings.from_env({"GLOSSARY_FRONT_REPLAYS": "7"})
    assert CacheSizes.from_settings(front).front == 7
    assert CacheSizes.from_settings(Settings()).front == 16384  # the documented default


def test_workers_share_out_the_cache_sizes() -> None:
    settings = Settings.from_env({"GLOSSARY_CACHE_MB": "3"})
    whole = CacheSizes.from_settings(settings)
    share = CacheSizes.from_settings(settings, processes=4)
    assert share.cache_bytes == whole.cache_bytes // 4
    assert (share.responses, share.front, share.pages) == (4096, 4096, 8)
    assert CacheSizes(pages=3).shared_by(4).pages == 1  # never none where one was asked for
    assert CacheSizes(front=0).shared_by(4).front == 0  # none stays none
    assert CacheSizes.from_settings(settings, processes=1) == whole
