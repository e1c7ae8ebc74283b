"""Run the benchmarks of issues 3, 4, 5 and 12 and print their figures beside the targets.

    python -m benchmarks.run [--quick] [--only NAME[,NAME...]] [--profile CASE]

Throughput (``benchmarks.throughput``): the service, started as ``glossary serve``, against
a bare Starlette endpoint, interleaved; every case varied (1,000 concepts, languages,
variables) and repeated, with ratios and CPU per request. Start-up
(``benchmarks.startup``): the glossary's ready time; ready time and memory per vocabulary
size; in-process search latency at 100,000 concepts; ``ready-remote`` (issue 15): ready time
and memory reading 100,000 concepts from a local Oxigraph server against reading the file.
Machine facts and every figure are also written to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import cases, generate, servers, startup, throughput, wrk

RESULTS = servers.ROOT / "benchmarks" / "results"
GLOSSARY = servers.ROOT / "vocab" / "glossary.ttl"
NAMES = (*cases.NAMES, "ready", "large", "search-p99", "ready-remote")
#: ``--start``: plain uvicorn (the bare app's settings), as the README does, as the Dockerfile.
STARTS = {"uvicorn": servers.SERVICE, "serve": servers.SERVE, "docker": servers.DOCKER}
#: Distributions whose versions are recorded beside the figures.
PACKAGES = (
    "uvicorn", "uvloop", "httptools", "starlette", "strawberry-graphql", "graphql-core",
    "pydantic", "pyoxigraph", "rdflib",
)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What to run and how hard: from the command line."""

    setup: throughput.Setup
    starts: int
    sizes: tuple[tuple[str, int], ...]

    @property
    def names(self) -> frozenset[str]:
        return self.setup.names


def plan_from(argv: Sequence[str] | None) -> Plan:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s; 1 start; 1 size")
    parser.add_argument("--only", action="append", help=f"comma-separated: {', '.join(NAMES)}")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0, help="of each wrk run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections")
    parser.add_argument("--vocab", type=Path, help="for throughput (default: 100,000 concepts)")
    parser.add_argument("--start", choices=sorted(STARTS), default="serve",
                        help="how the service is started for throughput")  # fmt: skip
    parser.add_argument("--profile", choices=cases.NAMES, help="py-spy the server on this case")
    args = parser.parse_args(argv)
    names = {n for group in args.only or [",".join(NAMES)] for n in group.split(",") if n}
    if unknown := names - set(NAMES):
        parser.error(f"unknown --only {', '.join(sorted(unknown))}; choose from {', '.join(NAMES)}")
    setup = throughput.Setup(
        names=frozenset(names),
        rounds=1 if args.quick else args.rounds,
        options=wrk.Options(args.threads, args.connections, 3.0 if args.quick else args.seconds),
        vocab=args.vocab or generate.ensure(startup.TARGET_SIZE[1], startup.TARGET_SIZE[0]),
        start=STARTS[args.start],
        profile=args.profile,
        profiles=RESULTS,
    )
    sizes = (startup.TARGET_SIZE,) if args.quick else startup.SIZES
    return Plan(setup, starts=1 if args.quick else 5, sizes=sizes)


def main(argv: Sequence[str] | None = None) -> None:
    plan = plan_from(argv)
    setup = plan.setup
    results: dict[str, Any] = {"machine": machine(), "plan": _plan_record(plan)}
    print(json.dumps(results["machine"], indent=2))
    if plan.names & set(cases.NAMES):
        print(f"throughput: {setup.rounds} round(s) of wrk {' '.join(setup.options.arguments())}")
        outcomes = throughput.run(setup)
        print(throughput.table(outcomes))
        results["throughput"] = [throughput.record(o) for o in outcomes]
    if "ready" in plan.names:
        results["ready"] = [
            startup.ready(GLOSSARY, plan.starts, start) for start in (servers.SERVE, servers.DOCKER)
        ]
        for line in results["ready"]:
            print(startup.ready_line(line))
    if "large" in plan.names:
        results["sizes"] = [
            row for kind, size in plan.sizes for row in startup.large_cold_and_warm(kind, size)
        ]
        print(startup.sizes_table(results["sizes"]))
    if "ready-remote" in plan.names:
        kind, size = startup.TARGET_SIZE
        results["ready_remote"] = startup.ready_remote(kind, size, min(plan.starts, 3))
        print(startup.ready_remote_line(results["ready_remote"]))
    if "search-p99" in plan.names:
        print("search at 100,000 concepts (benchmarks/search_bench.py):")
        results["search"] = startup.search_latency()
        print(f"search p99 {results['search']['p99_ms']:.3f} ms (target <= 5 ms)")
    results["machine"]["uptime_after"] = _command("uptime")
    print(f"uptime after: {results['machine']['uptime_after']}")
    save(results)


def machine() -> dict[str, str]:
    """Where and when: the facts docs/benchmarks.md records beside the figures."""
    info = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), "?")
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory_gb": f"{memory_kb / 1024 / 1024:.1f}",
        "python": sys.version.split()[0],
        "uptime": _command("uptime"),
        "wrk": _command("wrk", "--version").splitlines()[0],
        "packages": ", ".join(f"{name} {metadata.version(name)}" for name in PACKAGES),
    }


def _command(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True).stdout.strip()


def _plan_record(plan: Plan) -> dict[str, Any]:
    return {**asdict(plan), "setup": {**asdict(plan.setup), "names": sorted(plan.names)}}


def save(results: dict[str, Any]) -> Path:
    """Write ``results`` to a timestamped JSON file in ``benchmarks/results/``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / time.strftime("run-%Y%m%d-%H%M%S.json")
    path.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(f"results: {path.relative_to(servers.ROOT)}")
    return path


if __name__ == "__main__":
    main()
