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
    files were parsed, and checked in a child process, twice). A cold start: with the
    start-up cache an earlier test may have filled, there would be no check to count."""
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    cold = {**os.environ, "GLOSSARY_CACHE_DIR": "off"}
    with tempfile.TemporaryFile() as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=cold, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", server, output)
        finally:
            server.terminate()
            server.wait(timeout=60)
        output.seek(0)
        lines = output.read().decode().splitlines()
    assert sum("in a child process" in line for line in lines) == 1, lines
    assert sum("glossary: ready:" in line for line in lines) == 1, lines


PROBLEMS = ROOT / "tests" / "data" / "problems"


def test_check_summary_counts_per_rule_and_severity() -> None:
    result = glossary("check", "--summary", str(PROBLEMS / "mixed"))
    assert result.returncode == 2, result.stderr  # a file could not be read
    checked, errors, problems, warnings = result.stdout.splitlines()
    assert checked == "checked 1 file: 34 triples, 7 concepts"
    assert errors == "1 error (unreadable-file 1)"
    assert problems.startswith("7 problems (S13 1, S14 1, vocpub-")
    assert "ambiguous-pref-label 1, orphan 1, top-concept-broader 1" in warnings


def test_check_select_and_ignore_choose_rules() -> None:
    only = glossary("check", "--select", "S14", "--select", "orphan", str(PROBLEMS / "based.rdf"))
    assert only.returncode == 1
    assert [line.split(": ")[2] for line in only.stdout.splitlines()[:-3]] == ["S14"]
    assert only.stdout.splitlines()[-2:] == ["1 problem (S14 1)", "0 warnings"]
    ignored = glossary(
        "check", "--ignore", "S14", "--ignore", "inverse-stated", str(PROBLEMS / "based.rdf")
    )
    assert "S14" not in ignored.stdout
    assert "inverse-stated" not in ignored.stdout
    assert "vocpub-scheme-title" in ignored.stdout


def test_check_writes_json() -> None:
    result = glossary("check", "--format", "json", str(PROBLEMS / "based.rdf"))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert (document["triples"], document["concepts"]) == (5, 1)
    assert document["counts"] == {"error": 0, "violation": 8, "warning": 1}
    assert {"rule": "S14", "severity": "violation", "count": 1} in document["rules"]
    (s14,) = (item for item in document["problems"] if item["rule"] == "S14")
    assert (s14["term"], s14["line"], s14["label"]) == ("https://example.org/based/tea", 7, "Thé")
    assert s14["message"] == '2 skos:prefLabel in language \'fr\': "Thé"@fr, "Thé vert"@fr'
    summary = json.loads(glossary("check", "--format", "json", "--summary", str(PROBLEMS)).stdout)
    assert "problems" not in summary
    assert summary["counts"]["error"] == 1


def test_check_writes_sarif_that_ci_can_annotate() -> None:
    result = glossary("check", "--format", "sarif", str(PROBLEMS / "mixed"))
    assert result.returncode == 2
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "glossary check"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    for result_ in run["results"]:
        assert rule_ids[result_["ruleIndex"]] == result_["ruleId"]
        assert result_["level"] in ("error", "warning")
        assert result_["message"]["text"]
    located = {item["ruleId"]: item["locations"][0]["physicalLocation"] for item in run["results"]}
    assert located["S14"] == {
        "artifactLocation": {"uri": "tests/data/problems/mixed/vocabulary.ttl"},
        "region": {"startLine": 12},
    }
    assert located["unreadable-file"]["artifactLocation"]["uri"].endswith("mixed/broken.ttl")
    assert located["unreadable-file"]["region"] == {"startLine": 6}


def test_serve_strict_refuses_listing_every_problem() -> None:
    result = glossary("serve", "--strict", "--vocab", str(PROBLEMS / "mixed" / "vocabulary.ttl"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "strict: 2 problems" in result.stderr
    assert sum(": S13: " in line or ": S14: " in line for line in lines) == 2
    assert "Traceback" not in result.stderr


def test_warm_fills_the_start_up_cache_that_serve_reads(tmp_path: Path) -> None:
    env = {**os.environ, "GLOSSARY_CACHE_DIR": str(tmp_path / "cache")}
    first = glossary("warm", env=env)
    assert first.returncode == 0, first.stderr
    assert "start-up cache: written to" in first.stderr
    again = glossary("warm", env=env)
    assert again.returncode == 0, again.stderr
    assert "read model and store read from" in again.stderr
    assert "checking" not in again.stderr
    got = glossary("get", "/concepts/consultation", env=env)
    assert json.loads(got.stdout)["id"] == "consultation"


def test_warm_says_when_the_cache_is_off() -> None:
    result = glossary("warm", env={**os.environ, "GLOSSARY_CACHE_DIR": "off"})
    assert result.returncode == 1
    assert "no start-up cache" in result.stderr
