"""A real uvicorn subprocess serving the app, for tests that need a network peer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO

import httpx

#: The limits the ``limited_server`` fixture runs with.
SPARQL_TIMEOUT = 1
SPARQL_MAX_ROWS = 100
GLOSSARY_NAMESPACE = "https://w3id.org/engagement-glossary/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(
    env: Mapping[str, str] | None = None, *, command: list[str] | None = None
) -> Iterator[str]:
    """Start ``uvicorn api.app:create_app --factory`` (or ``command``); yield its base URL."""
    port = free_port()
    argv = command or [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    argv = [a.replace("{port}", str(port)) for a in argv]
    # Output goes to a file, not a pipe: nobody reads a pipe while the server runs, and a
    # server logging every request would block once its 64 KB were full.
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            argv, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, output)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_healthy(
    base: str,
    process: subprocess.Popen[bytes],
    output: IO[bytes] | None = None,
    timeout: float = 60,
) -> None:
    """Wait for ``/health``; if the server exits first, fail with what it wrote to ``output``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logged = ""
            if output is not None:
                output.seek(0)
                logged = output.read().decode(errors="replace")
            raise RuntimeError(f"server exited with {process.returncode}:\n{logged}")
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {base} not healthy after {timeout} s")
