"""Throughput of the service against the bare endpoint, measured in interleaved pairs.

The service and the bare app run side by side; ``wrk`` loads the bare endpoint, then one
case, then the bare endpoint again before the next case, round after round. Each case's
ratio is the median over rounds of its rate over the bare rate measured just before it, so
a burst of load from other jobs on a shared machine hits both sides of a pair alike. CPU
microseconds per request, read from ``/proc``, give a second ratio that other jobs barely
move.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from benchmarks import profiling, servers, wrk
from benchmarks.cases import BARE, Case, Target, cases, sparql_literal
from benchmarks.servers import Server


@dataclass(frozen=True)
class Setup:
    """Which cases, against which vocabulary and concept, how hard and how often."""

    names: frozenset[str]
    rounds: int
    options: wrk.Options
    vocab: Path
    concept: str
    graphql_concept: str
    profile: str | None = None
    profiles: Path = Path("benchmarks/results")


@dataclass
class Outcome:
    """A case's runs, paired with the bare runs made just before each of them."""

    case: Case
    runs: list[wrk.Load] = field(default_factory=list)
    bare: list[wrk.Load] = field(default_factory=list)
    error: str | None = None

    def median(self, attribute: str, loads: list[wrk.Load] | None = None) -> float:
        return statistics.median(float(getattr(load, attribute)) for load in loads or self.runs)

    @property
    def ratio(self) -> float:
        """Median over rounds of this case's 2xx rate over the bare rate measured before it."""
        pairs = zip(self.runs, self.bare, strict=True)
        return statistics.median(r.ok_rate / b.ok_rate for r, b in pairs)

    @property
    def cpu_ratio(self) -> float:
        """Bare CPU per request over ours: about the ratio an idle machine would show."""
        pairs = zip(self.runs, self.bare, strict=True)
        return statistics.median(b.server_us / r.server_us for r, b in pairs if r.server_us)

    @property
    def met(self) -> bool:
        return self.error is None and self.case.target.met(self.median("ok_rate"), self.ratio)


def run(setup: Setup) -> list[Outcome]:
    """Start the service and the bare app, then load them in turn, round by round."""
    with ExitStack() as stack:
        service = stack.enter_context(
            servers.running(servers.SERVICE, {"GLOSSARY_VOCAB": str(setup.vocab)})
        )
        concept = _concept_json(service, setup.concept)
        chosen = cases(setup.concept, setup.graphql_concept, sparql_literal(concept["prefLabel"]))
        body = stack.enter_context(_concept_body(service, setup.concept))
        bare = stack.enter_context(
            servers.running(servers.BARE, {"BENCH_BODY": str(body)}, ready_path=BARE.path)
        )
        outcomes = [Outcome(c, error=_probe(service, c)) for c in chosen if c.name in setup.names]
        live = [o for o in outcomes if o.error is None]
        _warm_up(service, bare, live, setup.options)
        for number in range(1, setup.rounds + 1):
            for outcome in live:
                _measure(service, bare, outcome, setup, number)
        return outcomes


def _concept_json(service: Server, concept: str) -> dict[str, Any]:
    status, _, body = servers.fetch(service, f"/concepts/{concept}")
    if status != 200:
        raise SystemExit(f"GET /concepts/{concept} answered {status}: choose another --concept")
    found: dict[str, Any] = json.loads(body)
    return found


@contextmanager
def _concept_body(service: Server, concept: str) -> Iterator[Path]:
    """The concept's JSON, as served, in a file for the bare app to answer with."""
    _, _, body = servers.fetch(service, f"/concepts/{concept}")
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        path = Path(folder) / "body.json"
        path.write_bytes(body)
        yield path


def _probe(service: Server, case: Case) -> str | None:
    """Why the case can't be measured (wrong status, type or a GraphQL error), or None."""
    body = case.body.encode() if case.body else None
    headers = dict(case.headers) | ({"Content-Type": "application/json"} if body else {})
    status, media_type, content = servers.fetch(service, case.path, case.method, body, headers)
    if status != 200:
        return f"status {status}: {content[:200]!r}"
    if not media_type.startswith(case.media_type):
        return f"content type {media_type}, expected {case.media_type}"
    if case.name.startswith("graphql") and b'"errors"' in content:
        return f"GraphQL errors: {content[:300]!r}"
    return None


def _warm_up(service: Server, bare: Server, live: list[Outcome], options: wrk.Options) -> None:
    """A short run on each endpoint first, so that no case pays for first-use work."""
    short = replace(options, seconds=1)
    load(bare, BARE, short)
    for outcome in live:
        connections = outcome.case.connections or options.connections
        load(service, outcome.case, replace(short, connections=connections))


def _measure(service: Server, bare: Server, outcome: Outcome, setup: Setup, number: int) -> None:
    """One pair of runs: the bare endpoint, then the case; progress printed as it goes."""
    options = setup.options
    if outcome.case.connections is not None:
        options = replace(options, connections=outcome.case.connections)
    outcome.bare.append(load(bare, BARE, options))
    name = outcome.case.name
    sampled = (
        profiling.sampled(
            service.pid, setup.options.seconds, setup.profiles / f"profile-{name}.txt"
        )
        if setup.profile == name and number == 1
        else nullcontext()
    )
    with sampled:
        outcome.runs.append(load(service, outcome.case, options))
    last = outcome.runs[-1]
    print(
        f"  round {number}: {name:12} {last.ok_rate:9.0f} req/s"
        f"  (bare {outcome.bare[-1].ok_rate:7.0f}; {last.non_2xx} non-2xx)"
        f"  p99 {last.p99:6.2f} ms  CPU {last.server_us:5.0f} us/req"
        f"  load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def load(server: Server, case: Case, options: wrk.Options) -> wrk.Load:
    """Run wrk on ``case`` at ``server``, through a Lua script when it is not a plain GET."""
    url = server.base + case.path
    if case.method == "GET" and not case.headers:
        return wrk.run(url, options, server=server.pid)
    typed = (("Content-Type", "application/json"),) if case.body else ()
    script = wrk.lua_request(case.method, case.body or "", (*case.headers, *typed))
    with wrk.script_file(script) as path:
        return wrk.run(url, options, path, server=server.pid)


def table(outcomes: Sequence[Outcome]) -> str:
    """The throughput table (Markdown): medians over rounds, ratios as medians of pairs."""
    rows = [
        "| endpoint | 2xx/s | p50 ms | p99 ms | bare req/s | ratio | target | met "
        "| CPU µs/req (bare) | CPU ratio | server cores | wrk cores |",
        "|" + "---|" * 12,
    ]
    for o in outcomes:
        if o.error is not None:
            rows.append(f"| {o.case.label} | not measured: {o.error} |" + " |" * 10)
            continue
        failures = sum(r.non_2xx + r.socket_errors for r in o.runs)
        rows.append(
            f"| {o.case.label} | {o.median('ok_rate'):,.0f} | {o.median('p50'):.2f} "
            f"| {o.median('p99'):.2f} | {o.median('ok_rate', o.bare):,.0f} | {o.ratio:.2f} "
            f"| {o.case.target} | {_verdict(o)}{f' ({failures:,} non-2xx)' if failures else ''} "
            f"| {o.median('server_us'):.0f} ({o.median('server_us', o.bare):.0f}) "
            f"| {o.cpu_ratio:.2f} | {o.median('server_cores'):.2f} "
            f"| {o.median('client_cores'):.2f} |"
        )
    return "\n".join(rows)


def _verdict(outcome: Outcome) -> str:
    if outcome.case.target == Target():
        return "info"
    return "yes" if outcome.met else "**NO**"


def record(outcome: Outcome) -> dict[str, Any]:
    """An outcome as JSON-ready data, every run included."""
    result: dict[str, Any] = {"case": asdict(outcome.case), "error": outcome.error}
    if outcome.error is None:
        result |= {
            "rate": outcome.median("ok_rate"),
            "p50_ms": outcome.median("p50"),
            "p99_ms": outcome.median("p99"),
            "bare_rate": outcome.median("ok_rate", outcome.bare),
            "ratio": outcome.ratio,
            "met": outcome.met,
            "cpu_ratio": outcome.cpu_ratio,
            "server_us": outcome.median("server_us"),
            "bare_server_us": outcome.median("server_us", outcome.bare),
            "runs": [asdict(r) for r in outcome.runs],
            "bare": [asdict(r) for r in outcome.bare],
        }
    return result
