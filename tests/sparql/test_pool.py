"""``api.sparql_pool``: worker processes that really stop a runaway query and come back."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from api.sparql.pool import BusyError, CrashedError, ExpiredError, QueryPool
from api.sparql.worker import Job
from tests.support.rdf import store_of
from tests.support.vocabularies import SMALL

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
QUICK = Job("ASK { ?s ?p ?o }", "json", "ttl", 10)


@pytest.fixture
def pool() -> Iterator[QueryPool]:
    queries = QueryPool(store_of(SMALL), size=1)
    yield queries
    queries.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def worker_pids(pool: QueryPool) -> set[int]:
    return {w.process.pid for w in pool._live}  # observing, not steering


def test_a_query_is_answered(pool: QueryPool) -> None:
    assert pool.run(QUICK, 5).body == b'{"head": {}, "boolean": true}'


def test_a_runaway_query_is_killed_and_its_worker_replaced(pool: QueryPool) -> None:
    pool.run(QUICK, 5)
    (first,) = worker_pids(pool)
    started = time.monotonic()
    with pytest.raises(ExpiredError):
        pool.run(Job(RUNAWAY, "json", "ttl", 10), 0.5)
    assert time.monotonic() - started < 3
    assert not alive(first)  # really stopped, not abandoned
    assert pool.run(QUICK, 10).status == "ok"  # a fresh worker answers
    assert worker_pids(pool)
    assert first not in worker_pids(pool)


def test_a_dead_worker_is_reported_and_replaced(pool: QueryPool) -> None:
    pool.run(QUICK, 5)
    (pid,) = worker_pids(pool)
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(CrashedError):
        pool.run(QUICK, 5)
    assert pool.run(QUICK, 10).status == "ok"


def test_a_busy_pool_says_so(pool: QueryPool) -> None:
    pool.run(QUICK, 5)
    runaway = threading.Thread(target=lambda: _expire(pool))
    runaway.start()
    time.sleep(0.3)
    with pytest.raises(BusyError):
        pool.run(QUICK, 0.5)
    runaway.join()


def _expire(pool: QueryPool) -> None:
    with pytest.raises(ExpiredError):
        pool.run(Job(RUNAWAY, "json", "ttl", 10), 2)


def test_close_stops_every_worker() -> None:
    pool = QueryPool(store_of(SMALL), size=2)
    pool.run(QUICK, 10)
    time.sleep(1.5)  # let the second worker finish starting
    pids = worker_pids(pool)
    pool.close()
    assert pids
    assert not any(alive(pid) for pid in pids)


def test_admission_is_bounded_and_released(pool: QueryPool) -> None:
    holders = [pool.admission() for _ in range(4)]  # size 1 x 4 places
    for holder in holders:
        holder.__enter__()
    with pytest.raises(BusyError), pool.admission():
        pass
    for holder in holders:
        holder.__exit__(None, None, None)
    with pool.admission():
        assert pool.run(QUICK, 5).status == "ok"
