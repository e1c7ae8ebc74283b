"""``glossary serve --source URL``, run as a real process against a real Oxigraph server."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from tests.support.server import running_server
from tests.support.stores import Oxigraph


def test_serve_refuses_a_store_it_cannot_reach_without_a_traceback_or_the_token(
    glossary_store: Oxigraph,
) -> None:
    gone = f"http://127.0.0.1:{glossary_store.port + 1}/query"
    env = {**os.environ, "GLOSSARY_SOURCE_TOKEN": "t0ken-value"}
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--source", gone, "--port", "0"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "unreachable: SPARQL source: the store could not be reached" in result.stderr
    assert "Traceback" not in result.stderr
    assert "t0ken-value" not in result.stderr


def test_serve_refuses_a_source_that_is_not_a_url() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--source", "ftp://store/q", "--port", "0"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "GLOSSARY_SOURCE" in result.stderr


@pytest.mark.server
def test_serve_from_a_store_answers_over_http(glossary_store: Oxigraph) -> None:
    command = [sys.executable, "-m", "api.cli", "serve", "--source", glossary_store.url]
    with running_server(command=[*command, "--port", "{port}"]) as base:
        health = httpx.get(f"{base}/health").json()
        concept = httpx.get(f"{base}/concepts/consultation")
    assert health["counts"] == {"schemes": 1, "concepts": 60, "collections": 6, "triples": 794}
    assert concept.status_code == 200
    assert concept.json()["id"] == "consultation"
    assert health["files"] == []
