"""``api.workers``: ``glossary serve --workers N`` loads once, forks N workers on one socket,
replaces a dead one, reloads them all together, and stops on SIGTERM (real processes)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.server import free_port, wait_until_healthy

pytestmark = [pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 3
WATCH_INTERVAL = 0.5


@dataclass
class Forked:
    """A ``glossary serve --workers`` process tree and a copy of the vocabulary it watches."""

    process: subprocess.Popen[bytes]
    base: str
    vocab: Path

    def answers(self, count: int) -> list[tuple[int, str]]:
        """(worker pid, digest) of ``count`` /health requests, each on a new connection."""
        seen = []
        for _ in range(count):
            response = httpx.get(self.base + "/health", timeout=5)
            seen.append((int(response.headers["glossary-worker"]), response.json()["digest"]))
        return seen

    def workers(self) -> set[int]:
        return {int(pid) for pid in _children(self.process.pid)}


def _children(pid: int) -> list[str]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return found.stdout.split()


@pytest.fixture
def forked() -> Iterator[Forked]:
    folder = Path(tempfile.mkdtemp(prefix="glossary-workers-"))
    vocab = folder / "glossary.ttl"
    shutil.copy(ROOT / "vocab" / "glossary.ttl", vocab)
    port = free_port()
    argv = [sys.executable, "-m", "api.cli", "serve", "--workers", str(WORKERS)]
    argv += ["--port", str(port), "--vocab", str(vocab)]
    env = {**os.environ, "GLOSSARY_WATCH_INTERVAL": str(WATCH_INTERVAL)}
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(argv, env=env, stdout=output, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, output)
            _await(lambda: len(_children(process.pid)) == WORKERS, 30)
            yield Forked(process, base, vocab)
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()  # the workers follow it (PR_SET_PDEATHSIG)
                    process.wait(timeout=10)
            shutil.rmtree(folder, ignore_errors=True)


def _await(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


def test_every_worker_answers_from_one_load(forked: Forked) -> None:
    answers = forked.answers(60)
    assert {pid for pid, _ in answers} <= forked.workers()
    assert len({pid for pid, _ in answers}) >= 2  # the kernel spreads connections over them
    assert len({digest for _, digest in answers}) == 1
    # Each worker holds its share of the caches: the tree holds what one process would.
    caches = httpx.get(forked.base + "/health/caches", timeout=5).json()["caches"]
    assert caches["responses"]["capacity"] == 16384 // WORKERS


def test_metrics_sum_every_worker(forked: Forked) -> None:
    for _ in range(40):
        assert httpx.get(forked.base + "/concepts/co-design", timeout=5).status_code == 200
    text = httpx.get(forked.base + "/metrics", timeout=5).text
    counted = {
        sample.labels["route"]: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "glossary_http_requests_total" and sample.labels["status"] == "200"
    }
    assert counted["/concepts/{id}"] == 40  # whichever worker answered each


def test_a_reload_reaches_every_worker(forked: Forked) -> None:
    [(_, old)] = set(forked.answers(1))
    before = forked.workers()
    text = forked.vocab.read_text(encoding="utf-8")
    forked.vocab.write_text(text.replace('"co-design"@en', '"co-design (new)"@en', 1), "utf-8")

    def everyone_has_the_new_digest() -> bool:
        answers = forked.answers(30)
        return all(digest != old for _, digest in answers)

    # One watch interval, a load of 0.1 s and three workers' start: a few seconds on a quiet
    # machine; the bound is for a CI machine running other suites.
    _await(everyone_has_the_new_digest, 60)
    _await(lambda: forked.workers().isdisjoint(before), 20)  # the old generation has gone
    answers = forked.answers(60)
    assert len({digest for _, digest in answers}) == 1
    assert {pid for pid, _ in answers} <= forked.workers()
    concept = httpx.get(forked.base + "/concepts/co-design", timeout=5).json()
    assert concept["prefLabel"]["value"] == "co-design (new)"


def test_a_dead_worker_is_replaced(forked: Forked) -> None:
    victim = min(forked.workers())
    os.kill(victim, signal.SIGKILL)
    _await(lambda: victim not in forked.workers() and len(forked.workers()) == WORKERS, 20)
    answers = forked.answers(30)
    assert victim not in {pid for pid, _ in answers}


def test_workers_do_not_outlive_a_killed_supervisor(forked: Forked) -> None:
    workers = forked.workers()
    forked.process.kill()
    forked.process.wait(timeout=10)

    def gone() -> bool:
        alive = []
        for pid in workers:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        return not alive

    _await(gone, 30)


def test_sighup_reloads_and_sigterm_stops_cleanly(forked: Forked) -> None:
    before = forked.workers()
    forked.process.send_signal(signal.SIGHUP)
    _await(lambda: forked.workers().isdisjoint(before) and len(forked.workers()) == 3, 20)
    health = httpx.get(forked.base + "/health", timeout=5).json()
    assert health["reload"]["outcome"] == "ok"
    assert health["reload"]["lastSuccess"] is not None  # the forced reload, shown by each worker
    workers = forked.workers()
    forked.process.send_signal(signal.SIGTERM)
    assert forked.process.wait(timeout=20) == 0
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
