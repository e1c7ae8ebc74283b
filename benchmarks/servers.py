"""Uvicorn processes for the benchmarks: the service and the bare app, started alike.

Both run with the settings the issue asks for (``uvicorn[standard]``: uvloop and
httptools, one worker, log level warning, no access log), so the only difference between
them is the application. Start-up is timed from ``Popen`` to the first 200 on the health
path; memory and CPU are read from ``/proc/<pid>``.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

UVICORN = (
    "--workers", "1",
    "--loop", "uvloop",
    "--http", "httptools",
    "--log-level", "warning",
    "--no-access-log",
)  # fmt: skip
SERVICE = "api.app:create_app"
BARE = "benchmarks.bare:create_app"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    """A running uvicorn process: where it listens, how long it took, what it printed."""

    process: subprocess.Popen[str]
    host: str
    port: int
    started: float
    ready_seconds: float = 0.0
    lines: list[tuple[float, str]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command(app: str, port: int) -> list[str]:
    """The uvicorn command line shared by the service and the bare app."""
    if app in STARTS:
        return STARTS[app](port)
    return [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1",
            "--port", str(port), *UVICORN]  # fmt: skip


def _glossary(*arguments: str) -> list[str]:
    """The ``glossary`` script beside this interpreter, as ``tasks.py serve`` runs it."""
    script = Path(sys.executable).parent / "glossary"
    return [str(script), *arguments] if script.is_file() else ["glossary", *arguments]


#: How the service is started besides plain uvicorn: as the README does (``python3 tasks.py
#: serve`` execs ``.venv/bin/glossary serve``) and as the Dockerfile does (its ``CMD``; run
#: here without docker, on the same machine, so only the command line is the Dockerfile's).
SERVE = "glossary serve"
DOCKER = "glossary serve (Dockerfile CMD)"
STARTS: dict[str, Callable[[int], list[str]]] = {
    SERVE: lambda port: _glossary("serve", "--port", str(port)),
    DOCKER: lambda port: _glossary("serve", "--host", "0.0.0.0", "--port", str(port)),
}


@contextmanager
def running(
    app: str,
    env: Mapping[str, str],
    ready_path: str = "/health",
    timeout: float = 120.0,
    echo: bool = False,
) -> Iterator[Server]:
    """Start ``app``; yield it once ``ready_path`` answers 200; stop it on exit."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        command(app, port),
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(process, "127.0.0.1", port, started)
    reader = threading.Thread(target=_collect, args=(server, echo), daemon=True)
    reader.start()
    try:
        server.ready_seconds = _wait(server, ready_path, timeout)
        yield server
    finally:
        stop(process, timeout=10)
        reader.join(timeout=5)


def stop(process: subprocess.Popen[Any], timeout: float) -> None:
    """Ask ``process`` to end (SIGTERM: uvicorn finishes its lifespan); kill it if it has
    not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _collect(server: Server, echo: bool) -> None:
    """Keep the server's output with the time each line arrived (progress, errors)."""
    assert server.process.stdout is not None
    for line in server.process.stdout:
        elapsed = time.perf_counter() - server.started
        server.lines.append((elapsed, line.rstrip()))
        if echo:
            print(f"    {elapsed:6.2f} s  {line.rstrip()}", flush=True)


def _wait(server: Server, path: str, timeout: float) -> float:
    """Seconds from process start to the first 200 on ``path`` (polled every 5 ms)."""
    deadline = server.started + timeout
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            output = "\n".join(line for _, line in server.lines)
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{output}")
        if status(server, path) == 200:
            return time.perf_counter() - server.started
        time.sleep(0.005)
    raise RuntimeError(f"server not ready on {path} after {timeout} s")


def status(server: Server, path: str) -> int | None:
    """The status of ``GET path``, or None while nothing listens."""
    try:
        return fetch(server, path)[0]
    except OSError:
        return None


def fetch(
    server: Server,
    path: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, str, bytes]:
    """``(status, content type, body)`` of one request, on a fresh connection."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.getheader("content-type", ""), response.read()
    finally:
        connection.close()


def memory_mb(pid: int) -> tuple[float, float]:
    """``(VmRSS, VmHWM)`` of ``pid`` in MB: resident now, and the peak so far."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return _kb(fields["VmRSS"]) / 1024, _kb(fields["VmHWM"]) / 1024


def _kb(value: str) -> float:
    return float(value.split()[0])


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the SPARQL workers, each with its own copy of the data)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB."""
    total = 0.0
    for member in (pid, *descendants(pid)):
        try:
            total += memory_mb(member)[0]
        except (OSError, KeyError):
            continue  # ended, or a zombie without VmRSS
    return total
