"""Many workers, one copy: ``glossary serve --workers N`` loads once and forks.

The supervisor (this process) binds the socket, loads and admits the vocabulary, builds the
app, moves everything out of the collector's reach (``gc.freeze``) and forks N children,
each running a uvicorn ``Server`` on the shared socket. The children share the read model's
pages copy-on-write instead of each loading its own (docs/deployment.md has the figures).

The supervisor stays single-threaded (a fork copies only the forking thread) and waits
for signals: a child that dies is replaced; SIGTERM or SIGINT is passed on to the children,
which finish their requests and exit; SIGHUP, or changed files every ``watch_interval``,
reloads. A reload is made here, once, and reaches the workers as a new generation: the
supervisor loads the files (``api.runtime.reload.Reloader``: the same checks, shrink
guard and ``/health`` status as one process), forks N new children, waits until they
listen, and asks the old ones to finish. So every worker answers from the same snapshot,
with the same reload status, and the new read model is shared as the old one was. Each
child still makes its own SPARQL pool (two worker processes on an on-disk store of their
own), so SPARQL's memory grows with N; ``sparql.pool`` says what a pool costs.

With N workers, Prometheus' multi-process mode keeps the request counters in files every
worker sums when scraped (``api.http.metrics``): the folder is made here, before anything
imports ``prometheus_client``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import gc
import logging
import logging.config
import os
import select
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final, cast

import uvicorn

from api.build.files import VocabularyError
from api.build.isolation import LoadLimits
from api.build.remote import Endpoint, poll
from api.http.connections import LimitedProtocol, Limits
from api.http.logs import log_config
from api.runtime.reload import Reloader, Source, fingerprint, source_of
from api.runtime.serving import Runtime
from api.runtime.snapshot import Snapshot
from api.settings import Settings

logger = logging.getLogger("api.workers")

#: The signals the supervisor acts on; blocked, and taken with ``sigtimedwait``.
SIGNALS: Final = (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
#: Seconds new workers may take to listen before a reload gives up on them.
READY_TIMEOUT: Final = 120.0
#: A worker that dies sooner than this after starting is restarted after a pause, so a
#: worker that cannot start does not make the supervisor fork in a tight loop.
CRASH_WINDOW: Final = 5.0
#: prctl(2)'s option that signals a process when its parent dies.
PR_SET_PDEATHSIG: Final = 1
#: Where Prometheus' multi-process mode keeps its files (``api.http.metrics``).
METRICS_DIR: Final = "PROMETHEUS_MULTIPROC_DIR"


def config(settings: Settings, app: Any, **bind: Any) -> uvicorn.Config:
    """uvicorn with the limits of ``settings`` (``api.http.connections``) and our logging;
    the access log is ours (``api.http.logs``), so uvicorn's is off."""
    protocol = functools.partial(LimitedProtocol, limits=Limits.of(settings))
    return uvicorn.Config(
        app,
        factory=isinstance(app, str),
        **bind,
        log_config=log_config(settings.log_format),
        access_log=False,
        http=cast("type[asyncio.Protocol]", protocol),  # uvicorn calls it as it would a class
        server_header=False,
        timeout_keep_alive=settings.keep_alive_timeout,
        timeout_graceful_shutdown=settings.shutdown_timeout,
        # X-Forwarded-* are a client's to forge unless a proxy we trust set them.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or None,
    )


@contextlib.contextmanager
def shared_metrics() -> Iterator[None]:
    """A fresh folder for Prometheus' multi-process files while the workers run; call it
    before ``prometheus_client`` is imported (it picks its storage at import)."""
    folder = tempfile.mkdtemp(prefix="glossary-metrics-")
    os.environ[METRICS_DIR] = folder
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket every worker accepts on (as uvicorn's own supervisor binds it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class WorkerServer(uvicorn.Server):
    """A worker's uvicorn: says on a pipe when it listens, so a reload can wait for it."""

    def __init__(self, config: uvicorn.Config, ready: int) -> None:
        super().__init__(config)
        self.ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            os.write(self.ready, b"1")
        os.close(self.ready)


@dataclass
class Child:
    """A worker process: its pid, when it started, and the pipe it says "ready" on."""

    pid: int
    started: float
    ready: int
    generation: int


@dataclass
class Supervisor:
    """Forks the workers, replaces the dead, reloads in generations, passes on SIGTERM."""

    settings: Settings
    runtime: Runtime
    sock: socket.socket
    count: int
    children: dict[int, Child] = field(default_factory=dict)
    generation: int = 0
    #: What the current generation serves: the digest, and the reload outcome and reason.
    serving: tuple[str, str | None, str | None] = ("", None, None)
    #: The services its workers share (:meth:`_shared`).
    shared: dict[type[Any], Any] = field(default_factory=dict)

    def run(self) -> None:
        """Serve until SIGTERM or SIGINT; the workers finish their requests first."""
        signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
        source = source_of(self.settings)
        reloader = Reloader(
            self.runtime,
            source,
            LoadLimits.from_settings(self.settings),
            self.settings.reload_max_shrink,
        )
        interval = self.settings.watch_interval
        # Before the workers start: a change while they start is then seen at the next check.
        seen = _changes(reloader, source) if interval > 0 else None
        self._roll()
        next_check = time.monotonic() + interval if interval > 0 else float("inf")
        while True:
            timeout = min(max(next_check - time.monotonic(), 0.0), 1.0)
            info = signal.sigtimedwait(SIGNALS, timeout)
            signum = info.si_signo if info is not None else None
            if signum in (signal.SIGTERM, signal.SIGINT):
                self._stop(list(self.children.values()))
                return
            self._reap()
            forced = signum == signal.SIGHUP
            if forced or time.monotonic() >= next_check:
                # As api.runtime.reload.watch does: files by their stats, a store by its poll
                # query ("" when there is none: load it to find out), None when it failed.
                now = _changes(reloader, source) if interval > 0 else None
                if forced or (now is not None and (now != seen or now == "")):
                    seen = now
                    asyncio.run(reloader.reload(force=forced))
                if forced or self._outdated():
                    self._roll()
                if interval > 0:
                    next_check = time.monotonic() + interval

    def _outdated(self) -> bool:
        """Whether the workers serve another snapshot, or show another reload outcome, than
        the supervisor has now (a reload that found nothing new changes neither)."""
        status = self.runtime.reload_status
        return self.serving != (self.runtime.snapshot.digest, status.outcome, status.reason)

    def _roll(self) -> None:
        """Start a generation of workers on the runtime's snapshot; once they listen, ask the
        previous generation to finish (the first generation replaces nobody)."""
        self.generation += 1
        old = list(self.children.values())
        status = self.runtime.reload_status
        self.serving = (self.runtime.snapshot.digest, status.outcome, status.reason)
        self.shared = self._shared()
        prepared = self._config()
        self.runtime.snapshot.wait_for_cache()  # a fork copies one thread: not its writer
        gc.collect()
        gc.freeze()  # what was just made joins the read model out of the collector's reach
        new = [self._fork(prepared) for _ in range(self.count)]
        self._await_ready(new)
        self._stop(old, wait=False)
        logger.info(
            "generation %d: %d workers serving digest %s",
            self.generation,
            self.count,
            self.runtime.snapshot.digest[:12],
        )

    def _config(self) -> uvicorn.Config:
        """uvicorn's configuration, loaded here: the modules it imports (the event loop, the
        protocol) and what it allocates are then shared, where each worker would otherwise
        write them into free slots all over the inherited heap, unsharing those pages."""
        prepared = config(self.settings, self._app())
        prepared.load()
        prepared.get_loop_factory()
        return prepared

    def _app(self) -> Any:
        from api.app import create_app  # after shared_metrics(): it imports prometheus_client

        # The workers watch nothing: the supervisor reloads, and each worker serves one
        # snapshot for its whole life.
        settings = self.settings.model_copy(update={"watch_interval": 0.0})
        return create_app(
            settings,
            snapshot=self.runtime.snapshot,
            reload_status=self.runtime.reload_status,
            made=self.shared,
            processes=self.count,
        )

    def _shared(self) -> dict[type[Any], Any]:
        """The services every worker would make alike for the snapshot, made once here so
        that they share them: the pages' lists and A-Z (about 100 MB at 100,000 concepts),
        and the concepts' IRI namespaces that MCP's resource templates are made from.
        Not the SPARQL pool: its threads and processes would not survive the fork."""
        from api.pages.routes import browsing  # after shared_metrics(), as create_app
        from api.protocols.mcp.namespaces import concept_namespaces  # not the SDK

        kind = browsing()
        service = kind.make(self.runtime.snapshot)
        service.start()
        # Each worker's MCP server registers a resource template per IRI namespace: found
        # here, the workers read the answer rather than every concept (docs/deployment.md).
        concept_namespaces(self.runtime.snapshot.index)
        return {kind.kind: service}

    def _fork(self, prepared: uvicorn.Config) -> Child:
        read, write = os.pipe()
        supervisor = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(read)
            _die_with(supervisor)
            _work(prepared, self.sock, write)
        os.close(write)
        child = Child(pid, time.monotonic(), read, self.generation)
        self.children[pid] = child
        return child

    def _await_ready(self, children: list[Child]) -> None:
        waiting = {child.ready: child for child in children}
        deadline = time.monotonic() + READY_TIMEOUT
        while waiting and time.monotonic() < deadline:
            readable, _, _ = select.select(list(waiting), [], [], 0.5)
            for fd in readable:
                os.read(fd, 1)  # "1" when listening; nothing when it died first
                os.close(fd)
                waiting.pop(fd)
        for fd, child in waiting.items():
            os.close(fd)
            logger.error("worker %d did not start within %g s", child.pid, READY_TIMEOUT)

    def _reap(self) -> None:
        """Collect exited workers; replace those of the current generation."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            child = self.children.pop(pid, None)
            if child is None or child.generation != self.generation:
                continue
            code = os.waitstatus_to_exitcode(status)
            logger.error("worker %d exited (%d); starting another", pid, code)
            if time.monotonic() - child.started < CRASH_WINDOW:
                time.sleep(1.0)
            replacement = self._fork(self._config())
            self._await_ready([replacement])

    def _stop(self, children: list[Child], *, wait: bool = True) -> None:
        """SIGTERM ``children`` (a graceful shutdown each); with ``wait``, until they exit,
        or SIGKILL after the shutdown timeout and a margin."""
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGTERM)
        if not wait:
            return
        deadline = time.monotonic() + self.settings.shutdown_timeout + 5
        for child in children:
            while time.monotonic() < deadline:
                with contextlib.suppress(ChildProcessError):
                    if os.waitpid(child.pid, os.WNOHANG)[0] != 0:
                        break
                    time.sleep(0.05)
                    continue
                break
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(child.pid, 0)
            self.children.pop(child.pid, None)


def _changes(reloader: Reloader, source: Source) -> object:
    """The source's fingerprint: the files' stats, or the store's poll answer; ``None`` when
    the store did not answer (recorded by ``reloader``, so the workers are told)."""
    if not isinstance(source, Endpoint):
        return fingerprint(source)
    try:
        return poll(source)
    except VocabularyError as error:
        reloader.unreachable(error)
        return None


def _die_with(supervisor: int) -> None:
    """Have the kernel send this worker SIGTERM when the supervisor dies (killed, say), so
    that no worker is left serving on its own (Linux's ``PR_SET_PDEATHSIG``; elsewhere a
    worker outlives a killed supervisor)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != supervisor:  # it died before the call above
        os._exit(1)


def _work(prepared: uvicorn.Config, sock: socket.socket, ready: int) -> None:
    """A worker's life: uvicorn on the shared socket until told to stop; never returns (an
    exit from here would run the supervisor's clean-ups, such as removing the metrics)."""
    code = 1
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, ())
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        # SIGHUP is the supervisor's (a reload); a worker ignores it rather than die of it.
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        WorkerServer(prepared, ready).run(sockets=[sock])
        code = 0
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    except BaseException:
        logger.exception("worker %d failed", os.getpid())
    finally:
        logging.shutdown()
        os._exit(code)


def serve(settings: Settings, snapshot: Snapshot, host: str, port: int, count: int) -> None:
    """Serve ``snapshot`` from ``count`` forked workers on ``host:port`` (see the module)."""
    logging.config.dictConfig(log_config(settings.log_format))
    sock = bind(host, port)
    # The supervisor's runtime holds the snapshot and the reload status; it serves nothing
    # and starts no services (the workers make their own).
    runtime = Runtime(snapshot)
    logger.info("supervisor %d: %d workers on %s:%d", os.getpid(), count, host, port)
    Supervisor(settings, runtime, sock, count).run()
