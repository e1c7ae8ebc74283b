"""Beyond one process (issue 15): memory of the process tree with 1 and N forked workers, and
a concept's throughput through Varnish compared with the service alone.

Memory is read from ``/proc/<pid>/smaps_rollup`` of every process in the tree: PSS (each
shared page divided among the processes sharing it, so the sum is the tree's real use) and
USS (pages no other process has). RSS sums would count the read model, which forked workers
share, once per worker. Each figure is taken when every worker is ready and again after a
warm-up that reads every concept once, spread over the workers (reading an object writes
its reference count, so a page a worker reads stops being shared: the second figure is the
honest one).

Throughput is ``wrk`` on one concept's JSON (the same URL: cache hits) straight to a
one-worker service and through ``varnishd`` running deploy/varnish/glossary.vcl in front
of it, on the same machine (the client, cache and service share the cores).

    .venv/bin/python -m benchmarks.scaling [--workers 4] [--vocab FILE] [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from benchmarks import servers, wrk

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VOCAB = ROOT / "benchmarks" / "data" / "synthetic-100000.ttl"
RESULTS = ROOT / "benchmarks" / "results"


def smaps(pid: int) -> dict[str, float]:
    """PSS, USS and RSS of ``pid`` in MB (``/proc/<pid>/smaps_rollup``)."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, value = line.partition(":")
        fields[name] = float(value.split()[0]) / 1024
    uss = fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0)
    return {"pss": fields["Pss"], "uss": uss, "rss": fields["Rss"]}


def tree_memory(pid: int) -> dict[str, Any]:
    """The figures of ``pid`` and every process below it, and their sums."""
    members = {}
    for member in (pid, *servers.descendants(pid)):
        try:
            members[member] = smaps(member)
        except (OSError, KeyError):
            continue  # ended meanwhile
    total = {key: sum(m[key] for m in members.values()) for key in ("pss", "uss", "rss")}
    return {"processes": len(members), **{f"{k}_mb": round(v, 1) for k, v in total.items()}}


@contextmanager
def serving(vocab: Path, workers: int, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """``glossary serve --workers N`` on ``vocab``; yields its base URL once all N are ready."""
    port = servers.free_port()
    argv = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--vocab", str(vocab)]
    argv += ["--workers", str(workers)]
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            argv, cwd=ROOT, env={**os.environ, **(extra_env or {})}, stdout=output, stderr=output
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _ready(base, process, workers)
            yield base
        finally:
            servers.stop(process, timeout=30)


def _ready(base: str, process: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with {process.returncode}")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                children = len(servers.descendants(process.pid))
                if workers == 1 or children >= workers:
                    time.sleep(2)  # the last worker's lifespan has finished
                    return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the service was not ready within 300 s")


def warm_up(base: str, concepts: Sequence[str]) -> float:
    """Read every concept once (new connections, so the kernel spreads them over workers)."""
    started = time.monotonic()
    with httpx.Client(
        base_url=base, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)
    ) as client:
        for concept in concepts:
            client.get(f"/concepts/{concept}")
    return time.monotonic() - started


def concept_ids(base: str, limit: int) -> list[str]:
    ids: list[str] = []
    url: str | None = f"{base}/concepts?limit=100"
    while url and len(ids) < limit:
        page = httpx.get(url, timeout=30).json()
        ids += [item["id"] for item in page["items"]]
        url = page.get("next")
    return ids[:limit]


def memory(vocab: Path, counts: Sequence[int], warm: int) -> list[dict[str, Any]]:
    """The tree's memory with each worker count, ready and after reading ``warm`` concepts."""
    rows = []
    for count in counts:
        with serving(vocab, count) as base:
            pid = _server_pid(base)
            ready = tree_memory(pid)
            concepts = concept_ids(base, warm)
            seconds = warm_up(base, concepts)
            warmed = tree_memory(pid)
        rows.append({"workers": count, "ready": ready, "warmed": warmed, "warm_up_s": seconds,
                     "concepts_read": len(concepts)})  # fmt: skip
        print(json.dumps(rows[-1]), flush=True)
    return rows


def _server_pid(base: str) -> int:
    """The pid of the process at the top of the tree serving ``base`` (the supervisor, or the
    one process): the parent of the worker that answered, or that worker."""
    worker = int(httpx.get(base + "/health", timeout=5).headers["glossary-worker"])
    parent = int(Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[1])
    command = Path(f"/proc/{parent}/cmdline").read_bytes()
    return parent if b"--workers" in command and b"api.cli" in command else worker


@contextmanager
def varnish_in_front(base: str) -> Iterator[str]:
    """``varnishd`` with deploy/varnish/glossary.vcl, both backends the one service."""
    folder = Path(tempfile.mkdtemp(prefix="glossary-varnish-"))
    folder.chmod(0o755)
    port = base.rsplit(":", 1)[1]
    vcl = (ROOT / "deploy" / "varnish" / "glossary.vcl").read_text(encoding="utf-8")
    for n in (1, 2):
        vcl = vcl.replace(
            f'.host = "replica{n}";\n    .port = "8000";',
            f'.host = "127.0.0.1";\n    .port = "{port}";',
        )
    (folder / "glossary.vcl").write_text(vcl, encoding="utf-8")
    listen = servers.free_port()
    argv = ["varnishd", "-F", "-a", f"127.0.0.1:{listen}", "-f", str(folder / "glossary.vcl"),
            "-s", "malloc,64m", "-n", str(folder / "work"), "-T", "none"]  # fmt: skip
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    front = f"http://127.0.0.1:{listen}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(front + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield front
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


def throughput(vocab: Path, options: wrk.Options) -> dict[str, Any]:
    """Requests a second for one concept's JSON, alone and through Varnish (cache hits)."""
    with serving(vocab, 1) as base:
        concept = concept_ids(base, 1)[0]
        path = f"/concepts/{concept}"
        httpx.get(base + path, timeout=30)  # prepared once, as any busy concept is
        alone = wrk.run(base + path, options)
        with varnish_in_front(base) as front:
            httpx.get(front + path, timeout=30)
            cached = wrk.run(front + path, options)
            hit = httpx.get(front + path, timeout=30).headers.get("x-cache")
    return {
        "path": "/concepts/{id}",
        "service_rps": round(alone.rate),
        "service_p50_ms": alone.p50,
        "service_p99_ms": alone.p99,
        "varnish_rps": round(cached.rate),
        "varnish_p50_ms": cached.p50,
        "varnish_p99_ms": cached.p99,
        "varnish_x_cache": hit,
        "non_2xx": alone.non_2xx + cached.non_2xx,
        "ratio": round(cached.rate / alone.rate, 2) if alone.rate else None,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--vocab", type=Path, default=DEFAULT_VOCAB)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warm", type=int, default=100_000, help="concepts read in warm-up")
    parser.add_argument("--seconds", type=float, default=10.0, help="of each wrk run")
    parser.add_argument("--only", choices=("memory", "throughput"))
    args = parser.parse_args(argv)
    load = os.getloadavg()
    result: dict[str, Any] = {"vocab": args.vocab.name, "load_before": [round(x, 2) for x in load]}
    if args.only in (None, "memory"):
        result["memory"] = memory(args.vocab, (1, args.workers), args.warm)
    if args.only in (None, "throughput"):
        options = wrk.Options(threads=2, connections=50, seconds=args.seconds)
        result["throughput"] = throughput(args.vocab, options)
        print(json.dumps(result["throughput"]), flush=True)
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"scaling-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written {out}", flush=True)


if __name__ == "__main__":
    main()
