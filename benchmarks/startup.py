"""Start-up and memory: ready times, resident memory per vocabulary size, search latency.

"Ready" is the time from starting the process to the first 200 on ``/health``. Memory is
``VmRSS`` (resident now) and ``VmHWM`` (peak) of the server process from ``/proc``, read
when ready and again after one request of each sort; the SPARQL workers are separate
processes holding their own copy of the data, so the whole process tree is summed too.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import generate, servers
from benchmarks.cases import SPARQL

#: Vocabularies measured by ``large``: the targets apply to 100,000 ``synthetic`` concepts;
#: ``varied`` (short definitions, word labels: what search_bench loads) is for comparison.
SIZES = (
    *(("synthetic", n) for n in generate.SIZES),
    ("varied", 100_000),
    ("synthetic", 1_000_000),
)
TARGET_SIZE = ("synthetic", 100_000)


def ready(vocab: Path, starts: int, start: str = servers.SERVE) -> dict[str, Any]:
    """Ready time of ``starts`` fresh processes started by ``start``, and import and load
    time in one."""
    times = []
    env = {"GLOSSARY_VOCAB": str(vocab), "GLOSSARY_CACHE_DIR": "off"}  # cold, every time
    for _ in range(starts):
        with servers.running(start, env) as service:
            times.append(service.ready_seconds)
    return {
        "start": start,
        "process_ready_s": times,
        "median_s": statistics.median(times),
        **in_process(vocab),
    }


def in_process(vocab: Path) -> dict[str, float]:
    """Seconds to import the app and to run ``load_snapshot``, in a fresh interpreter."""
    code = (
        "import json, sys, time; t0 = time.perf_counter()\n"
        "import api.app; from api.runtime.snapshot import load_snapshot; from pathlib import Path\n"
        "t1 = time.perf_counter(); load_snapshot([Path(sys.argv[1])]); t2 = time.perf_counter()\n"
        "print(json.dumps({'import_s': t1 - t0, 'load_snapshot_s': t2 - t1}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(vocab)],
        cwd=servers.ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def ready_line(r: dict[str, Any]) -> str:
    times = ", ".join(f"{t:.2f}" for t in r["process_ready_s"])
    return (
        f"ready on the glossary ({r['start']}): median {r['median_s']:.2f} s"
        f" (runs {times}; target <= 1 s);"
        f" in process: imports {r['import_s']:.2f} s, load_snapshot {r['load_snapshot_s']:.3f} s"
    )


def large_cold_and_warm(kind: str, size: int, start: str = servers.SERVE) -> list[dict[str, Any]]:
    """:func:`large` twice on an empty start-up cache of its own: cold (the cache written
    meanwhile, waited for), then warm (read from it)."""
    with tempfile.TemporaryDirectory(prefix="glossary-bench-cache-") as folder:
        cold = large(kind, size, start, cache_dir=folder, wait_for_cache=True)
        return [cold, large(kind, size, start, cache_dir=folder)]


def large(
    kind: str,
    size: int,
    start: str = servers.SERVE,
    *,
    cache_dir: str = "off",
    wait_for_cache: bool = False,
) -> dict[str, Any]:
    """Ready time and memory on a ``size``-concept vocabulary, its progress echoed live;
    ``cache_dir``: the start-up cache's folder (``GLOSSARY_CACHE_DIR``)."""
    path = generate.ensure(size, kind)
    print(f"  {path.name}: {path.stat().st_size / 1e6:.1f} MB; the server's output:")
    env = {"GLOSSARY_VOCAB": str(path), "GLOSSARY_CACHE_DIR": cache_dir}
    with servers.running(start, env, timeout=600, echo=True) as service:
        rss, peak = servers.memory_mb(service.pid)
        health = json.loads(servers.fetch(service, "/health")[2])
        statuses = {path: _status(service, path) for path in _requests(kind, size)}
        rss_used, peak_used = servers.memory_mb(service.pid)
        tree = servers.tree_rss_mb(service.pid)
        warm = any("read model and store read from" in line for _, line in service.lines)
        if wait_for_cache:
            _wait_for_line(service, "start-up cache: written", timeout=600)
    return {
        "start": "warm" if warm else "cold",
        "kind": kind,
        "size": size,
        "megabytes": path.stat().st_size / 1e6,
        "triples": health.get("counts", {}).get("triples"),
        "ready_s": service.ready_seconds,
        "rss_mb": rss,
        "peak_mb": peak,
        "rss_after_requests_mb": rss_used,
        "peak_after_requests_mb": peak_used,
        "tree_rss_after_requests_mb": tree,
        "statuses": statuses,
        "progress_lines": len(service.lines),
    }


def _wait_for_line(service: servers.Server, words: str, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not any(words in line for _, line in service.lines):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the server did not say {words!r} in {timeout} s")
        time.sleep(0.1)


def _status(service: servers.Server, path: str) -> int | str:
    """The status of one request (the first SPARQL query waits for the shared store)."""
    started = time.perf_counter()
    try:
        status: int | str = servers.fetch(service, path, timeout=300)[0]
    except OSError as error:
        status = f"{type(error).__name__}"
    print(f"    {path[:60]}: {status} in {time.perf_counter() - started:.2f} s", flush=True)
    return status


def _requests(kind: str, size: int) -> tuple[str, ...]:
    """One request of each sort, so that what is built on first use is built."""
    concept = generate.concept_id(size, kind)
    label = urllib.parse.urlencode({"query": SPARQL.format(label=f'"concept {concept[1:]}"@en')})
    return (
        f"/concepts/{concept}",
        f"/concepts/{concept}.ttl",
        "/search?q=concept+12",
        "/concepts?limit=20",
        f"/sparql?{label}",
    )


def sizes_table(rows: Sequence[dict[str, Any]]) -> str:
    """Start-up and memory per vocabulary (Markdown)."""
    lines = [
        "| vocabulary | concepts | Turtle MB | triples | start | ready s | RSS MB | peak MB "
        "| RSS after requests MB | with SPARQL workers MB |",
        "|" + "---|" * 10,
    ]
    for r in rows:
        lines.append(
            f"| {r['kind']} | {r['size']:,} | {r['megabytes']:.1f} | {r['triples']} "
            f"| {r.get('start', 'cold')} "
            f"| {r['ready_s']:.2f} | {r['rss_mb']:.0f} | {r['peak_mb']:.0f} "
            f"| {r['rss_after_requests_mb']:.0f} | {r['tree_rss_after_requests_mb']:.0f} |"
        )
    return "\n".join(lines) + (
        "\n(targets, issue 12: 100,000 synthetic: ready <= 4 s, RSS <= 400 MB, peak <= 600 MB,"
        " tree after SPARQL <= 600 MB; 1,000,000: ready <= 45 s, memory <= 3 GB)"
    )


#: No start-up cache: every start reads and builds (``api.build.cache``).
COLD = {"GLOSSARY_CACHE_DIR": "off"}


def ready_remote(kind: str, size: int, starts: int = 1) -> dict[str, Any]:
    """Ready time and memory of the service reading a ``size``-concept vocabulary from a
    local Oxigraph server (``oxigraph serve``; loading the store is not timed), beside the
    same read from the file (issue 15's target: at most twice the file's time). Both cold:
    the start-up cache would spare the file's start its parse and build, which is not what
    this compares (its effect is under ``large``)."""
    path = generate.ensure(size, kind)
    oxigraph = Path(sys.executable).with_name("oxigraph")
    with tempfile.TemporaryDirectory() as location:
        subprocess.run(
            [str(oxigraph), "load", "--location", location, "--file", str(path)],
            check=True, capture_output=True,
        )  # fmt: skip
        port = servers.free_port()
        store = subprocess.Popen(
            [str(oxigraph), "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            _wait_for_store(port)
            url = f"http://127.0.0.1:{port}/query"
            remote = [_ready_once({"GLOSSARY_SOURCE": url, **COLD}) for _ in range(starts)]
        finally:
            store.terminate()
            store.wait()
    files = [_ready_once({"GLOSSARY_VOCAB": str(path), **COLD}) for _ in range(starts)]
    remote_s = statistics.median(r["ready_s"] for r in remote)
    files_s = statistics.median(r["ready_s"] for r in files)
    return {
        "kind": kind,
        "size": size,
        "remote": remote,
        "files": files,
        "remote_median_s": remote_s,
        "files_median_s": files_s,
        "ratio": remote_s / files_s,
    }


def _ready_once(env: dict[str, str]) -> dict[str, Any]:
    with servers.running(servers.SERVE, env, timeout=900, echo=True) as service:
        rss, peak = servers.memory_mb(service.pid)
        triples = json.loads(servers.fetch(service, "/health")[2])["counts"]["triples"]
    return {"ready_s": service.ready_seconds, "rss_mb": rss, "peak_mb": peak, "triples": triples}


def _wait_for_store(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("oxigraph did not start")


def ready_remote_line(r: dict[str, Any]) -> str:
    remote, files = r["remote"][0], r["files"][0]
    return (
        f"ready from Oxigraph, {r['size']:,} {r['kind']} concepts: {r['remote_median_s']:.2f} s"
        f" (RSS {remote['rss_mb']:.0f} MB, peak {remote['peak_mb']:.0f} MB) against"
        f" {r['files_median_s']:.2f} s from the file (RSS {files['rss_mb']:.0f} MB, peak"
        f" {files['peak_mb']:.0f} MB): {r['ratio']:.2f}x (target <= 2x)"
    )


def search_latency() -> dict[str, Any]:
    """``benchmarks/search_bench.py`` at 100,000 concepts: its overall p99 (first: wall)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.search_bench", "100000", "1000"],
        cwd=servers.ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    print("\n".join("  " + line for line in done.stdout.splitlines()))
    overall = [line.split() for line in done.stdout.splitlines() if line.split()[:1] == ["all"]]
    if not overall:  # an older report: "search all n=... p99 X ms"
        overall = [line.split()[1:] for line in done.stdout.splitlines() if "search all" in line]
    p99 = [float(words[words.index("p99") + 1]) for words in overall]
    return {"p99_ms": p99[0], "p99_all_ms": p99, "output": done.stdout}
