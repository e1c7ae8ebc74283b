"""The ``glossary`` command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.server import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent


def glossary(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_get_answers_in_process() -> None:
    result = glossary("get", "/concepts/consultation")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "consultation"
    # The SPARQL workers started with the service end quietly with it.
    assert "Traceback" not in result.stderr


def test_get_exits_1_on_a_problem() -> None:
    result = glossary("get", "/concepts/no-such-concept")
    assert result.returncode == 1
    assert json.loads(result.stdout)["status"] == 404


def test_check_is_clean_on_the_shipped_glossary() -> None:
    result = glossary("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_export_schema_matches_the_file() -> None:
    result = glossary("export-schema")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")


def test_serve_refuses_a_bad_vocabulary_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skos:x \n", "utf-8")
    result = glossary("serve", "--vocab", str(bad), "--port", "0")
    assert result.returncode != 0
    assert "bad.ttl:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["serve", "--port", "99999"], ["get", "/", "-H", "nocolon"]])
def test_usage_errors_are_messages_not_tracebacks(args: list[str]) -> None:
    result = glossary(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.server
def test_serve_exits_0_on_sigterm_with_an_upload_in_flight() -> None:
    """SIGTERM is a request to stop: a slow upload is cut after the graceful-shutdown
    timeout, and the exit status is success, not the signal."""
    port = free_port()
    env = {**os.environ, "GLOSSARY_SHUTDOWN_TIMEOUT": "1", "GLOSSARY_BODY_TIMEOUT": "300"}
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server)
        with socket.create_connection(("127.0.0.1", port)) as upload:
            upload.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK"
            )
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=120) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.mark.server
def test_serve_loads_the_vocabulary_once() -> None:
    """One process: the snapshot checked before binding is the one served (issue 12: the
    files were parsed, and checked in a child process, twice)."""
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    with tempfile.TemporaryFile() as output:
        server = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", server, output)
        finally:
            server.terminate()
            server.wait(timeout=60)
        output.seek(0)
        lines = output.read().decode().splitlines()
    assert sum("in a child process" in line for line in lines) == 1, lines
    assert sum("glossary: ready:" in line for line in lines) == 1, lines
