"""A small pool of SPARQL worker processes, so a runaway query can really be stopped.

pyoxigraph releases the GIL while it evaluates (other requests keep running) but offers no
way to cancel a query, so a thread would spin on for ever. Each worker is a separate
process; a query that overruns its time is ended by killing its worker, and a fresh one is
started in the background. The workers share one read-only copy of the data on disk
(:class:`SharedStore`: written once per snapshot, by a short-lived child so that its peak
memory is not the server's), so a worker costs tens of megabytes and starts in a moment.
Workers run under a memory limit; answers come back in pieces and are spooled (to disk past
a small size), so the server never holds a large answer whole. Each client may hold only a
few of the pool's places, so one client cannot take all of them. docs/linked-data.md.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Final

import pyoxigraph as ox

from api.runtime.serving import ServiceKind
from api.runtime.snapshot import Snapshot
from api.settings import Settings
from api.sparql.worker import CHUNK_BYTES, READY, Job, Outcome

logger = logging.getLogger("api")

#: Workers per snapshot: enough for concurrent simple queries.
POOL_SIZE: Final = 2
#: Queries admitted at once (running or waiting for a worker), per worker; more are a 503.
WAITING_PER_WORKER: Final = 4
#: Seconds a new worker may take to start (the first also waits for the shared store).
START_TIMEOUT: Final = 120.0
#: Bytes of an answer kept in memory while it is sent; the rest waits in a temporary file.
SPOOL_IN_MEMORY: Final = 256 * 1024


class PoolError(Exception):
    """The pool could not answer: busy, timed out, or a worker failed."""


class BusyError(PoolError):
    """Every worker stayed busy (or was starting) for the whole wait."""


class ExpiredError(PoolError):
    """The query ran past its time limit; its worker was killed."""


class UnavailableError(PoolError):
    """No worker could be started."""


class CrashedError(PoolError):
    """The worker died while evaluating; it has been replaced."""


class MemoryExceededError(PoolError):
    """The query needed more memory than a worker may have; the worker has been replaced."""


class ClientBusyError(BusyError):
    """This client already has as many queries in the pool as one client may."""


class ClientShares:
    """How many queries each client has in flight, capped at ``per_client`` (no cap when
    ``None``): shared by the worker pool and the forwarder, so both refuse alike."""

    def __init__(self, per_client: int | None) -> None:
        self._per_client = per_client
        self._clients: dict[str, int] = {}  # at most one entry per claimed place
        self._lock = threading.Lock()

    def claim(self, client: str | None) -> Callable[[], None]:
        """Count one query for ``client``; the function returned gives the place back (once,
        however often it is called). Raises :class:`ClientBusyError` past the client's share;
        an anonymous client (``None``) is not counted."""
        if client is None or self._per_client is None:
            return _nothing
        with self._lock:
            held = self._clients.get(client, 0)
            if held >= self._per_client:
                raise ClientBusyError(
                    f"You already have {held} SPARQL {'query' if held == 1 else 'queries'} "
                    "running; wait for it to finish."
                )
            self._clients[client] = held + 1
        return functools.partial(self._release, client, threading.Event())

    def _release(self, client: str, released: threading.Event) -> None:
        with self._lock:
            if released.is_set():
                return
            released.set()
            left = self._clients.pop(client, 1) - 1
            if left > 0:
                self._clients[client] = left


@dataclass(frozen=True)
class Answer:
    """A worker's outcome and its body, spooled: read ``body`` from the start, then close it."""

    outcome: Outcome
    body: IO[bytes]

    def read(self) -> bytes:
        """The whole body (for small answers and tests), closing the spool."""
        with self.body:
            return self.body.read()


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    connection: Connection

    def stop(self) -> None:
        self.process.kill()  # harmless if it has already exited
        self.process.wait(timeout=10)
        self.connection.close()


class QueryPool:
    """Worker processes over one store; :meth:`run` blocks (call it from a thread)."""

    def __init__(
        self,
        store: ox.Store,
        size: int = POOL_SIZE,
        *,
        memory_mb: int = 0,
        per_client: int | None = None,
        on_disk: Callable[[], Path | None] | None = None,
    ) -> None:
        self._shared = SharedStore(store, on_disk)
        self._size = size
        self._memory_mb = memory_mb
        self._shares = ClientShares(per_client)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._live: set[_Worker] = set()
        self._closed = threading.Event()
        self._starting = 0
        self._lock = threading.Lock()
        self._admitted = threading.BoundedSemaphore(size * WAITING_PER_WORKER)
        # Workers end with the snapshot (or the interpreter), not when a request does.
        self._finalizer = weakref.finalize(
            self, _stop_all, self._live, self._lock, self._closed, self._shared
        )

    def run(self, job: Job, timeout: float) -> Answer:
        """Evaluate ``job`` within ``timeout`` seconds of a worker taking it."""
        worker = self._acquire(timeout)
        outcome, body = self._exchange(worker, job, timeout)
        if outcome.status == "out-of-memory":  # the worker ends itself after saying so
            body.close()
            self._replace(worker)
            raise MemoryExceededError(self._out_of_memory)
        self._idle.put(worker)
        return Answer(outcome, body)

    def _exchange(self, worker: _Worker, job: Job, timeout: float) -> tuple[Outcome, IO[bytes]]:
        """Send ``job``, wait for its outcome, and receive its body: in memory as it came
        (a ``BytesIO`` shares the bytes, so reading it whole copies nothing) when small,
        else copied piece by piece into a spool that rolls over to disk."""
        try:
            worker.connection.send(job)
            if not worker.connection.poll(timeout):
                raise ExpiredError(
                    f"The query did not finish within {timeout:g} s and was stopped."
                )
            outcome: Outcome = worker.connection.recv()
            if outcome.size <= SPOOL_IN_MEMORY:
                pieces = [worker.connection.recv_bytes() for _ in range(_pieces(outcome.size))]
                return outcome, io.BytesIO(b"".join(pieces))
            # Not a with-block: the spool outlives this call, handed to the response.
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
            try:
                received = 0
                while received < outcome.size:
                    received += spool.write(worker.connection.recv_bytes())
            except BaseException:
                spool.close()
                raise
            spool.seek(0)
            return outcome, spool
        except (EOFError, OSError) as error:
            self._replace(worker)
            if self._ran_out_of_memory(worker):
                raise MemoryExceededError(self._out_of_memory) from error
            raise CrashedError("The query stopped its worker; it has been restarted.") from error
        except ExpiredError:
            self._replace(worker)
            raise

    def _ran_out_of_memory(self, worker: _Worker) -> bool:
        """Whether a dead worker hit its memory limit: Rust aborts when an allocation fails
        (pyoxigraph evaluating), Python exits with a MemoryError outside our handler."""
        return self._memory_mb > 0 and worker.process.returncode in (-signal.SIGABRT, 1)

    @property
    def _out_of_memory(self) -> str:
        return (
            f"The query needed more than the {self._memory_mb} MiB a SPARQL worker may use "
            "and was stopped."
        )

    def claim(self, client: str | None) -> Callable[[], None]:
        """Count one query (running, waiting or being sent) for ``client``; the function
        returned gives the place back and may be called more than once.

        Raises :class:`ClientBusyError` when the client already has ``per_client`` places:
        one client cannot take the whole pool, whatever it sends.
        """
        return self._shares.claim(client)

    @contextmanager
    def admission(self) -> Iterator[None]:
        """Hold a place for one query, or raise :class:`BusyError` at once when all are taken.

        Bounds the server threads a flood of slow queries can tie up waiting for workers.
        """
        if not self._admitted.acquire(blocking=False):
            raise BusyError("Too many SPARQL queries are running or waiting; try again shortly.")
        try:
            yield
        finally:
            self._admitted.release()

    #: The name of :meth:`figures` at /metrics (``glossary_sparql_pool{figure=...}``).
    figures_name: Final = "sparql_pool"

    def figures(self) -> dict[str, float]:
        """Workers by state, and the queries admitted (running or waiting), for /metrics."""
        with self._lock:
            live, starting = len(self._live), self._starting
        idle = self._idle.qsize()
        waiting_room = self._size * WAITING_PER_WORKER
        admitted = waiting_room - self._admitted._value  # no public count
        return {
            "idle_workers": idle,
            "busy_workers": max(live - idle, 0),
            "starting_workers": starting,
            "admitted_queries": admitted,
        }

    def start(self) -> None:
        """Start the workers now, in the background, so the first query does not wait."""
        self._fill()

    def close(self) -> None:
        """Stop every worker now (they also stop when the pool is garbage-collected)."""
        self._finalizer()

    def _acquire(self, timeout: float) -> _Worker:
        self._fill()
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        busy_until = time.monotonic() + timeout
        starting_until = time.monotonic() + START_TIMEOUT
        while True:
            try:
                return self._idle.get(timeout=0.05)
            except queue.Empty:
                self._check_waiting(busy_until, starting_until)

    def _check_waiting(self, busy_until: float, starting_until: float) -> None:
        """Give up when every worker stays busy and none is starting, or none could start."""
        with self._lock:
            live, starting = bool(self._live), self._starting > 0
        now = time.monotonic()
        if starting and now <= starting_until:
            return
        if live and now > busy_until:
            raise BusyError("Every SPARQL worker is busy; try again shortly.")
        if not live:
            raise UnavailableError("The SPARQL workers could not be started.")

    def _fill(self) -> None:
        """Start workers until the pool has ``size`` running or starting."""
        with self._lock:
            missing = 0 if self._closed.is_set() else self._size - len(self._live) - self._starting
            self._starting += max(missing, 0)
        for _ in range(missing):
            threading.Thread(target=self._start, name="sparql-worker-start", daemon=True).start()

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._live.discard(worker)
        worker.stop()
        self._fill()

    def _start(self) -> None:
        try:
            worker = start_worker(self._shared.path(), self._memory_mb)
        except Exception:
            if not self._closed.is_set():  # else the pool closed (and removed the store)
                logger.exception("could not start a SPARQL worker")
            worker = None
        with self._lock:
            self._starting -= 1
            closed = self._closed.is_set()
            if worker is not None and not closed:
                self._live.add(worker)
        if worker is not None and closed:
            worker.stop()  # the pool closed while this worker was loading
        elif worker is not None:
            self._idle.put(worker)


def _nothing() -> None:
    pass


def _pieces(size: int) -> int:
    """How many messages a body of ``size`` bytes comes in (``worker.send``)."""
    return -(-size // CHUNK_BYTES)


def start_worker(store: Path, memory_mb: int = 0) -> _Worker:
    """A new worker process over the read-only store at ``store``, ready for jobs.

    A plain subprocess on a socket pair rather than ``multiprocessing``: the child must not
    re-import the server's ``__main__`` (which may be a console script or stdin).
    """
    ours, theirs = socket.socketpair()
    process = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(theirs.fileno()), str(memory_mb)],
        pass_fds=(theirs.fileno(),),
        # One malloc arena: glibc reserves 64 MB of address space per thread's arena, and
        # RocksDB's threads would spend half the worker's RLIMIT_AS on reservations.
        env={**_child_env(), "MALLOC_ARENA_MAX": "1"},
        stdin=subprocess.DEVNULL,
    )
    theirs.close()
    worker = _Worker(process, Connection(ours.detach()))
    try:
        worker.connection.send_bytes(os.fsencode(store))
        if not worker.connection.poll(START_TIMEOUT) or worker.connection.recv() != READY:
            raise PoolError("a SPARQL worker did not start in time")
    except BaseException:
        worker.stop()
        raise
    return worker


def _child_env() -> dict[str, str]:
    """The child imports ``api`` from wherever this process did."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


class SharedStore:
    """A snapshot's triples in an on-disk store that every worker opens read-only.

    Written on first use (by :meth:`path`, from a worker-starting thread): the store is
    dumped as N-Quads to a file, and a child process bulk-loads the file into the on-disk
    store and exits, so neither the dump nor the loader's peak is held by the server.
    :meth:`remove` deletes the folder (at once, or when a write in progress ends).

    A store already on disk (``on_disk`` finds it: the start-up cache's, once written,
    ``api.build.cache``) is shared as it is: nothing written, nothing removed; without one,
    the store is written as above."""

    def __init__(self, store: ox.Store, on_disk: Callable[[], Path | None] | None = None) -> None:
        self._store: ox.Store | None = store
        self._folder: Path | None = None
        self._find_on_disk = on_disk
        self._on_disk: Path | None = None
        self._lock = threading.Lock()
        self._removed = False

    def path(self) -> Path:
        """The store's folder, written first if it is not yet."""
        with self._lock:
            if self._removed:
                raise PoolError("the SPARQL workers have been stopped")
            if self._on_disk is None and self._find_on_disk is not None:
                self._on_disk, self._find_on_disk = self._find_on_disk(), None
            if self._on_disk is not None:
                return self._on_disk
            if self._folder is None:
                assert self._store is not None
                self._folder = write_shared(self._store)
                self._store = None  # the server keeps its own; the pool needs it no more
            return self._folder / "store"

    def remove(self) -> None:
        """Delete the on-disk store; later :meth:`path` calls fail."""
        self._removed = True
        with self._lock:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None


def write_shared(store: ox.Store) -> Path:
    """A new folder holding ``store`` as an on-disk store (``store/``), for read-only use."""
    folder = Path(tempfile.mkdtemp(prefix="glossary-sparql-"))
    try:
        dump = folder / "dump.nq"
        store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        argv = [sys.executable, "-c", _BUILD, str(dump), str(folder / "store")]
        done = subprocess.run(argv, env=_child_env(), stdin=subprocess.DEVNULL, check=False,
                              capture_output=True, timeout=START_TIMEOUT)  # fmt: skip
        if done.returncode != 0:
            raise PoolError(f"the shared SPARQL store could not be written: {done.stderr[-500:]!r}")
        dump.unlink()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


_CHILD: Final = (
    "import sys; from api.sparql.worker import main; main(int(sys.argv[1]), int(sys.argv[2]))"
)
#: The shared store's writer: pyoxigraph alone (importing ``api`` would add rdflib's 0.5 s).
#: Below the server in the CPU scheduler, like the workers: it runs while requests are served.
_BUILD: Final = (
    "import os, sys, pyoxigraph as ox; os.nice(10); store = ox.Store(sys.argv[2]); "
    "store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS); store.flush()"
)


def _stop_all(
    workers: set[_Worker], lock: threading.Lock, closed: threading.Event, shared: SharedStore
) -> None:
    with lock:
        closed.set()
        stopping = list(workers)
        workers.clear()
    for worker in stopping:
        worker.stop()
    shared.remove()


#: Up to this size the SPARQL workers start with the service, in the background; larger
#: vocabularies start them on the first query, since writing the shared store takes a while
#: and its dump would add to start-up's memory peak. 35,000 concepts from 37 schemes (UNESCO,
#: STW, Skosmos' tests and generated files: 366,000 triples) start with it; 100,000
#: generated concepts (700,000 triples) do not (docs/linked-data.md).
EAGER_SPARQL_TRIPLES: Final = 500_000


def _eager(snapshot: Snapshot) -> bool:
    return snapshot.vocabulary.triple_count <= EAGER_SPARQL_TRIPLES


def workers(settings: Settings) -> ServiceKind[QueryPool]:
    """The SPARQL workers as a runtime service: one pool per snapshot, made on first use (or
    at start-up for small vocabularies), closed when the snapshot is swapped out."""

    def make(snapshot: Snapshot) -> QueryPool:
        return QueryPool(
            snapshot.store,
            memory_mb=settings.sparql_worker_memory_mb,
            per_client=settings.sparql_client_queries,
            on_disk=snapshot.store_on_disk,
        )

    # With a SPARQL endpoint as the source, /sparql forwards to it: workers only on demand.
    eager = _eager if settings.source == "files" else _never
    return ServiceKind(QueryPool, make, eager)


def _never(snapshot: Snapshot) -> bool:
    return False
