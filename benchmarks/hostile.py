"""Issue 10's load test: concepts under load while runaway queries and slow clients run.

    python -m benchmarks.hostile [--seconds 10] [--connections 64] [--runaway 10] [--slow 50]

The service runs as ``glossary serve`` (the edge limits of ``api.http.connections`` are
only there), on loopback. For ``seconds``:

- ``connections`` keep-alive connections fetch ``/concepts/{id}``, cycling through the
  glossary's concept ids, as fast as they are answered (asyncio streams, in a process of
  its own so the client's own CPU does not delay the ``/health`` probe);
- ``runaway`` clients each repeat a SPARQL query that runs until ``GLOSSARY_SPARQL_TIMEOUT``,
  each from its own loopback address (127.0.0.2, 127.0.0.3, ...: Linux routes all of
  127/8 to ``lo``), so the one-query-per-client rule does not turn them away; the pool
  takes 2 workers x 4, the rest get a 503; each client waits a quarter second between
  answers (those addresses are not exempt from the per-client rate limit);
- ``slow`` clients hold connections open: half send a request head a byte a second,
  half a ``POST /sparql`` head with ``Content-Length: 10000000`` and no body; the server
  cuts them (408) after its header and body timeouts and they reconnect at once;
- ``/health`` is fetched every 50 ms on a fresh connection, and its latency recorded.

The server process's ``VmRSS`` (the main process only: the SPARQL workers are child
processes with their own copy of the data) is read before the load and, after it, until
it is back within ``memory_bound_mb`` of that or ``settle`` seconds have passed.

Exits non-zero unless: no 5xx (nor 429/503, nor socket errors) on concepts, ``/health``
always answered 200 with p99 ≤ 100 ms, memory back within 50 MB. ``tests/test_load.py``
runs the same scenario with generous bounds (no timed assertions in the test suite).
Figures go to ``benchmarks/results/hostile-*.json``; see docs/benchmarks.md, "Under attack".
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import math
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from tests.support.server import running_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
#: Runs until the SPARQL timeout: the glossary's triples, cubed.
RUNAWAY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: The issue's targets.
HEALTH_P99_MS = 100.0
MEMORY_BOUND_MB = 50.0


@dataclass(frozen=True)
class Scenario:
    seconds: float = 10.0
    connections: int = 64
    runaway: int = 10
    slow: int = 50
    health_interval: float = 0.05
    #: Seconds to wait after the load for memory to come back within bound.
    settle: float = 10.0
    memory_bound_mb: float = MEMORY_BOUND_MB
    sparql_timeout: float = 5.0
    header_timeout: float = 3.0
    body_timeout: float = 4.0

    def env(self) -> dict[str, str]:
        return {
            "GLOSSARY_SPARQL_TIMEOUT": str(self.sparql_timeout),
            "GLOSSARY_HEADER_TIMEOUT": str(self.header_timeout),
            "GLOSSARY_BODY_TIMEOUT": str(self.body_timeout),
            "GLOSSARY_SHUTDOWN_TIMEOUT": "2",
        }


@dataclass
class Outcome:
    scenario: Scenario
    concepts: int = 0
    concept_statuses: dict[str, int] = field(default_factory=dict)
    concept_seconds: float = 0.0
    health_ms: list[float] = field(default_factory=list)
    health_statuses: dict[str, int] = field(default_factory=dict)
    sparql_statuses: dict[str, int] = field(default_factory=dict)
    slow_cuts: dict[str, int] = field(default_factory=dict)
    slow_connections: int = 0
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    rss_peak_mb: float = 0.0
    settle_seconds: float = 0.0
    tree_before_mb: float = 0.0
    tree_after_mb: float = 0.0

    @property
    def concept_rate(self) -> float:
        ok = sum(n for s, n in self.concept_statuses.items() if s.startswith("2"))
        return ok / self.concept_seconds if self.concept_seconds else 0.0

    @property
    def concept_failures(self) -> dict[str, int]:
        """Concept answers that are not 2xx: statuses, and ``error:...`` for socket errors."""
        return {s: n for s, n in self.concept_statuses.items() if not s.startswith("2")}

    @property
    def health_failures(self) -> dict[str, int]:
        return {s: n for s, n in self.health_statuses.items() if s != "200"}

    def health_percentile(self, share: float) -> float:
        ordered = sorted(self.health_ms)
        if not ordered:
            return math.inf
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    def summary(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "health_ms": None,
            "health_samples": len(self.health_ms),
            "health_p50_ms": round(self.health_percentile(0.5), 2),
            "health_p99_ms": round(self.health_percentile(0.99), 2),
            "health_max_ms": round(self.health_percentile(1.0), 2),
            "concept_rate": round(self.concept_rate, 1),
        }

    def lines(self) -> list[str]:
        s = self.scenario
        return [
            f"concepts: {s.connections} connections, {self.concept_seconds:.1f} s: "
            f"{self.concepts} answers, {self.concept_rate:.0f} 2xx/s, "
            f"statuses {dict(sorted(self.concept_statuses.items()))}",
            f"/health: {len(self.health_ms)} probes, p50 {self.health_percentile(0.5):.1f} ms, "
            f"p99 {self.health_percentile(0.99):.1f} ms, max {self.health_percentile(1):.1f} ms, "
            f"statuses {dict(sorted(self.health_statuses.items()))}",
            f"runaway SPARQL ({s.runaway} clients): {dict(sorted(self.sparql_statuses.items()))}",
            f"slow clients ({s.slow} at once): {self.slow_connections} connections, "
            f"cut with {dict(sorted(self.slow_cuts.items()))}",
            f"server RSS (main process): {self.rss_before_mb:.1f} MB before, "
            f"{self.rss_after_mb:.1f} MB {self.settle_seconds:.1f} s after the load, "
            f"peak {self.rss_peak_mb:.1f} MB; with SPARQL workers {self.tree_before_mb:.0f} "
            f"-> {self.tree_after_mb:.0f} MB",
        ]

    def misses(self) -> list[str]:
        """Where the issue's targets are not met (empty: all met)."""
        missed = []
        if self.concept_failures:
            missed.append(f"concepts answered {self.concept_failures}")
        if self.health_failures:
            missed.append(f"/health answered {self.health_failures}")
        if self.health_percentile(0.99) > HEALTH_P99_MS:
            missed.append(f"/health p99 {self.health_percentile(0.99):.1f} ms > {HEALTH_P99_MS}")
        if self.rss_after_mb - self.rss_before_mb > self.scenario.memory_bound_mb:
            missed.append(
                f"RSS {self.rss_after_mb:.1f} MB, more than {self.scenario.memory_bound_mb} MB "
                f"over {self.rss_before_mb:.1f} MB"
            )
        return missed


# The server ---------------------------------------------------------------------------


@contextmanager
def serving(scenario: Scenario, log: Path) -> Iterator[tuple[str, int]]:
    """``glossary serve`` on a free loopback port; yields its base URL and process id.

    The server's output goes to ``log``: ``running_server`` pipes it and never reads the
    pipe, and uvicorn's access log would fill it within a second of this load and block
    the server.
    """
    glossary = Path(sys.executable).parent / "glossary"
    serve = [str(glossary)] if glossary.exists() else [sys.executable, "-m", "api.cli"]
    argv = [*serve, "serve", "--host", "127.0.0.1", "--port", "{port}"]
    line = " ".join(_quoted(a) for a in argv)
    command = ["/bin/sh", "-c", f"exec {line} >{_quoted(str(log))} 2>&1"]
    with running_server(scenario.env(), command=command) as base:
        port = int(urlsplit(base).port or 0)
        yield base, server_pid(port)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def server_pid(port: int) -> int:
    """Our child serving ``port``: the process whose command line names it."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().decode(errors="replace").split("\0")
            stat = (cmdline.parent / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and "serve" in argv and str(port) in argv:
            return int(cmdline.parent.name)
    raise LookupError(f"no child process of ours serves port {port}")


def rss_mb(pid: int) -> tuple[float, float]:
    """``(VmRSS, VmHWM)`` of ``pid`` in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return float(fields["VmRSS"].split()[0]) / 1024, float(fields["VmHWM"].split()[0]) / 1024


def tree_rss_mb(pid: int) -> float:
    """``pid`` and its descendants (the SPARQL workers), in MB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    total, stack = 0.0, [pid]
    while stack:
        member = stack.pop()
        stack.extend(children.get(member, []))
        try:
            total += rss_mb(member)[0]
        except (OSError, KeyError):
            continue
    return total


# The load -----------------------------------------------------------------------------


def concept_ids(base: str) -> list[str]:
    answer = httpx.get(base + "/concepts", params={"limit": 100}, timeout=10)
    answer.raise_for_status()
    return [item["id"] for item in answer.json()["items"]]


def concept_load(base: str, ids: list[str], connections: int, seconds: float) -> dict[str, Any]:
    """In its own process: ``connections`` keep-alive clients fetching concepts."""
    return asyncio.run(_concept_load(base, ids, connections, seconds))


async def _concept_load(
    base: str, ids: list[str], connections: int, seconds: float
) -> dict[str, Any]:
    # Raw streams: httpx's pool slows down with many connections (172 answers a second at
    # 64 connections against 1,100 at one, here), which would measure the client.
    statuses: Counter[str] = Counter()
    host, port = urlsplit(base).hostname or "127.0.0.1", int(urlsplit(base).port or 0)
    start = time.monotonic()
    deadline = start + seconds

    async def one(offset: int) -> None:
        n = offset
        while time.monotonic() < deadline:
            try:
                reader, writer = await asyncio.open_connection(host, port)
            except OSError as error:
                statuses[f"connect:{type(error).__name__}"] += 1
                await asyncio.sleep(0.1)
                continue
            try:
                while time.monotonic() < deadline:
                    path = f"/concepts/{ids[n % len(ids)]}"
                    n += 1
                    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                    status, keep = await _answer(reader)
                    statuses[status] += 1
                    if not keep:
                        break
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                statuses[f"error:{type(error).__name__}"] += 1
            finally:
                writer.close()

    await asyncio.gather(*(one(i) for i in range(connections)))
    return {"statuses": dict(statuses), "seconds": time.monotonic() - start}


async def _answer(reader: asyncio.StreamReader) -> tuple[str, bool]:
    """Read one response: its status, and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ", 2)[1]
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" not in headers:
        raise ValueError(f"an answer without Content-Length: {lines[0]}")
    await reader.readexactly(int(headers["content-length"]))
    return status, headers.get("connection", "").lower() != "close"


def health_probe(
    base: str, interval: float, stop: threading.Event
) -> tuple[list[float], Counter[str]]:
    """``/health`` every ``interval`` on a fresh connection until ``stop``: latencies (ms)."""
    host, port = urlsplit(base).hostname or "127.0.0.1", urlsplit(base).port
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    while not stop.is_set():
        began = time.perf_counter()
        connection = http.client.HTTPConnection(host, port, timeout=10)
        try:
            connection.request("GET", "/health")
            answer = connection.getresponse()
            answer.read()
            statuses[str(answer.status)] += 1
        except (OSError, http.client.HTTPException) as error:
            statuses[f"error:{type(error).__name__}"] += 1
        finally:
            connection.close()
        took = time.perf_counter() - began
        latencies.append(took * 1000)
        stop.wait(max(0.0, interval - took))
    return latencies, statuses


async def _runaway(base: str, address: str, deadline: float, statuses: Counter[str]) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    url = f"{base}/sparql?query={quote(RUNAWAY_QUERY)}"
    headers = {"Accept": "application/sparql-results+json"}
    async with httpx.AsyncClient(transport=transport, timeout=60) as client:
        while time.monotonic() < deadline:
            try:
                answer = await client.get(url, headers=headers)
                statuses[str(answer.status_code)] += 1
            except httpx.HTTPError as error:
                statuses[f"error:{type(error).__name__}"] += 1
            await asyncio.sleep(0.25)


async def _slow(
    port: int, body: bool, deadline: float, cuts: Counter[str], opened: list[int]
) -> None:
    """One slow client, reconnecting whenever the server cuts it, until ``deadline``."""
    host = f"Host: 127.0.0.1:{port}\r\n"
    if body:
        head = (
            f"POST /sparql HTTP/1.1\r\n{host}Content-Type: application/sparql-query\r\n"
            "Content-Length: 10000000\r\n\r\n"
        ).encode()
    else:
        head = f"GET /concepts HTTP/1.1\r\n{host}X-Slow: ".encode()
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError as error:
            cuts[f"connect:{type(error).__name__}"] += 1
            await asyncio.sleep(0.1)
            continue
        opened[0] += 1
        try:
            writer.write(head)
            while time.monotonic() < deadline:
                try:
                    received = await asyncio.wait_for(reader.read(4096), timeout=1.0)
                except TimeoutError:
                    if not body:
                        writer.write(b"a")
                    continue
                status = received.split(b" ", 2)[1].decode() if received else "closed"
                cuts[status] += 1
                break
        except OSError as error:
            cuts[f"error:{type(error).__name__}"] += 1
        finally:
            writer.close()


async def _attack(
    base: str, scenario: Scenario, deadline: float, outcome: Outcome, opened: list[int]
) -> None:
    port = int(urlsplit(base).port or 0)
    sparql: Counter[str] = Counter()
    cuts: Counter[str] = Counter()
    tasks = [
        *(_runaway(base, f"127.0.0.{2 + i}", deadline, sparql) for i in range(scenario.runaway)),
        *(_slow(port, i % 2 == 1, deadline, cuts, opened) for i in range(scenario.slow)),
    ]
    await asyncio.gather(*tasks)
    outcome.sparql_statuses, outcome.slow_cuts = dict(sparql), dict(cuts)


def attack(base: str, pid: int, scenario: Scenario) -> Outcome:
    """Run the scenario against a running server (process ``pid``)."""
    outcome = Outcome(scenario)
    ids = concept_ids(base)
    outcome.rss_before_mb = rss_mb(pid)[0]
    outcome.tree_before_mb = tree_rss_mb(pid)
    stop = threading.Event()
    probed: list[tuple[list[float], Counter[str]]] = []
    probe = threading.Thread(
        target=lambda: probed.append(health_probe(base, scenario.health_interval, stop))
    )
    opened = [0]
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        pool.submit(int).result()  # the process is up before the clock starts
        deadline = time.monotonic() + scenario.seconds
        load = pool.submit(concept_load, base, ids, scenario.connections, scenario.seconds)
        probe.start()
        try:
            asyncio.run(_attack(base, scenario, deadline, outcome, opened))
            concepts = load.result(timeout=scenario.seconds + 60)
        finally:
            stop.set()
            probe.join()
    outcome.health_ms, health = probed[0]
    outcome.health_statuses = dict(health)
    outcome.concept_statuses = concepts["statuses"]
    outcome.concept_seconds = concepts["seconds"]
    outcome.concepts = sum(concepts["statuses"].values())
    outcome.slow_connections = opened[0]
    settle_from = time.monotonic()
    while True:
        outcome.rss_after_mb, outcome.rss_peak_mb = rss_mb(pid)
        outcome.settle_seconds = time.monotonic() - settle_from
        within = outcome.rss_after_mb - outcome.rss_before_mb <= scenario.memory_bound_mb
        if within or outcome.settle_seconds >= scenario.settle:
            break
        time.sleep(0.5)
    outcome.tree_after_mb = tree_rss_mb(pid)
    return outcome


def run(scenario: Scenario, log: Path) -> Outcome:
    with serving(scenario, log) as (base, pid):
        return attack(base, pid, scenario)


def save(outcome: Outcome, name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / time.strftime(f"{name}-%Y%m%d-%H%M%S.json")
    record = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), **outcome.summary()}
    path.write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--runaway", type=int, default=10)
    parser.add_argument("--slow", type=int, default=50)
    args = parser.parse_args(argv)
    scenario = Scenario(
        seconds=args.seconds, connections=args.connections, runaway=args.runaway, slow=args.slow
    )
    print(f"uptime before: {os.popen('uptime').read().strip()}")
    with tempfile.TemporaryDirectory() as folder:
        outcome = run(scenario, Path(folder) / "server.log")
    for line in outcome.lines():
        print(line)
    print(f"uptime after: {os.popen('uptime').read().strip()}")
    print(f"results: {save(outcome, 'hostile').relative_to(ROOT)}")
    for miss in outcome.misses():
        print(f"MISSED: {miss}")
    return 1 if outcome.misses() else 0


if __name__ == "__main__":
    sys.exit(main())
