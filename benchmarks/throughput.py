"""Throughput of the service against the bare endpoint, measured in interleaved pairs.

The service and the bare app run side by side; ``wrk`` loads the bare endpoint, then one
case, then the bare endpoint again before the next case, round after round. Each case's
ratio is the median over rounds of its rate over the bare rate measured just before it, so
a burst of load from other jobs on a shared machine hits both sides of a pair alike. CPU
microseconds per request, read from ``/proc``, give a second ratio that other jobs barely
move.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import tempfile
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from benchmarks import profiling, servers, wrk
from benchmarks.cases import BARE, VARIETY, Case, Sample, Target, both_forms, cases
from benchmarks.servers import Server


@dataclass(frozen=True)
class Setup:
    """Which cases, against which vocabulary, started how, how hard and how often."""

    names: frozenset[str]
    rounds: int
    options: wrk.Options
    vocab: Path
    start: str = servers.SERVE
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
        env = {"GLOSSARY_VOCAB": str(setup.vocab)}
        service = stack.enter_context(servers.running(setup.start, env, timeout=300))
        sample = sample_of(service)
        chosen = both_forms([c for c in cases(sample) if c.name in setup.names])
        body = stack.enter_context(_concept_body(service, sample.ids[0]))
        bare = stack.enter_context(
            servers.running(servers.BARE, {"BENCH_BODY": str(body)}, ready_path=BARE.first.path)
        )
        outcomes = [Outcome(c, error=_probe(service, c)) for c in chosen]
        live = [o for o in outcomes if o.error is None]
        _warm_up(service, bare, live, setup.options)
        for number in range(1, setup.rounds + 1):
            for outcome in live:
                _measure(service, bare, outcome, setup, number)
        return outcomes


_SYNTHETIC = re.compile(r"c\d+")


def sample_of(service: Server, size: int = VARIETY) -> Sample:
    """``size`` concept ids and their labels, and a scheme, from the service's own lists.

    In a synthetic vocabulary (ids ``c0``, ``c1``, ...: a ten-way tree) the ids are spread
    evenly over the concepts that have both broader and narrower ones instead."""
    scheme = _json(service, "/schemes?limit=1")["items"][0]
    first = _json(service, "/concepts?limit=1")
    total = int(first["total"])
    if _SYNTHETIC.fullmatch(first["items"][0]["id"]) and total > 11:
        inner = max(1, (total - 1) // 10)  # c1 .. c(inner - 1) have a parent and children
        numbers = [1 + (k * (inner - 1)) // size for k in range(size)] if inner > size else []
        if numbers:
            labels = tuple({"value": f"concept {n}", "language": "en"} for n in numbers)
            return Sample(tuple(f"c{n}" for n in numbers), labels, scheme["id"], scheme["iri"])
    ids: list[str] = []
    labels_: list[dict[str, str | None]] = []
    path: str | None = "/concepts?limit=100"
    while path and len(ids) < size:
        page = _json(service, path)
        ids += [item["id"] for item in page["items"]]
        labels_ += [item["prefLabel"] for item in page["items"]]
        path = urllib.parse.urlsplit(page["next"])._replace(scheme="", netloc="").geturl() \
            if page.get("next") else None  # fmt: skip
    return Sample(tuple(ids[:size]), tuple(labels_[:size]), scheme["id"], scheme["iri"])


def _json(service: Server, path: str) -> Any:
    status, _, body = servers.fetch(service, path)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}: {body[:200]!r}")
    return json.loads(body)


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
    for call in (case.first, case.calls[-1]):
        body = call.body.encode() if call.body else None
        status, media_type, content = servers.fetch(
            service, call.path, call.method, body, dict(call.headers)
        )
        if status != 200:
            return f"{call.path[:80]}: status {status}: {content[:200]!r}"
        if not media_type.startswith(case.media_type):
            return f"content type {media_type}, expected {case.media_type}"
        if case.name.startswith("graphql") and b'"errors"' in content:
            return f"GraphQL errors: {content[:300]!r}"
    return None


def _warm_up(service: Server, bare: Server, live: list[Outcome], options: wrk.Options) -> None:
    """Every distinct request of a case sent once, then a short run on each endpoint, so
    that the measured runs see the steady state of a hot set that fits the caches (what a
    miss costs is in docs/benchmarks.md), not its first pass."""
    for outcome in live:
        prime(service, outcome.case)
    short = replace(options, seconds=1)
    load(bare, BARE, short)
    for outcome in live:
        connections = outcome.case.connections or options.connections
        load(service, outcome.case, replace(short, connections=connections))


def prime(server: Server, case: Case) -> None:
    """Send each of ``case``'s requests once, in turn, on one keep-alive connection."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        for call in dict.fromkeys(case.calls):
            body = call.body.encode() if call.body else None
            connection.request(call.method, call.path, body=body, headers=dict(call.headers))
            connection.getresponse().read()
    finally:
        connection.close()


def _measure(service: Server, bare: Server, outcome: Outcome, setup: Setup, number: int) -> None:
    """One pair of runs: the bare endpoint, then the case; progress printed as it goes."""
    options = setup.options
    if outcome.case.connections is not None:
        options = replace(options, connections=outcome.case.connections)
    outcome.bare.append(load(bare, BARE, options))
    name = f"{outcome.case.name} {outcome.case.form}"
    output = setup.profiles / f"profile-{outcome.case.name}-{outcome.case.form}.txt"
    sampled = (
        profiling.sampled(service.pid, setup.options.seconds, output)
        if setup.profile == outcome.case.name and number == 1
        else nullcontext()
    )
    with sampled:
        outcome.runs.append(load(service, outcome.case, options))
    last = outcome.runs[-1]
    print(
        f"  round {number}: {name:20} {last.ok_rate:9.0f} req/s"
        f"  (bare {outcome.bare[-1].ok_rate:7.0f}; {last.non_2xx} non-2xx)"
        f"  p99 {last.p99:6.2f} ms  CPU {last.server_us:5.0f} us/req"
        f"  load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def load(server: Server, case: Case, options: wrk.Options) -> wrk.Load:
    """Run wrk on ``case`` at ``server``: a plain GET as is, else through a Lua script."""
    if len(case.calls) == 1 and case.first.plain:
        return wrk.run(server.base + case.first.path, options, server=server.pid)
    calls = [(c.method, c.path, c.headers, c.body) for c in case.calls]
    with wrk.script_file(wrk.lua_requests(calls)) as path:
        return wrk.run(server.base + case.first.path, options, path, server=server.pid)


def table(outcomes: Sequence[Outcome]) -> str:
    """The throughput table (Markdown): medians over rounds, ratios as medians of pairs."""
    rows = [
        "| endpoint | form | 2xx/s | p50 ms | p99 ms | bare req/s | ratio | target | met "
        "| CPU µs/req (bare) | CPU ratio | server cores | wrk cores |",
        "|" + "---|" * 13,
    ]
    for o in outcomes:
        if o.error is not None:
            rows.append(f"| {o.case.label} | {o.case.form} | not measured: {o.error} |" + " |" * 10)
            continue
        failures = sum(r.non_2xx + r.socket_errors for r in o.runs)
        rows.append(
            f"| {o.case.label} | {o.case.form} | {o.median('ok_rate'):,.0f} "
            f"| {o.median('p50'):.2f} "
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
    case = {"name": outcome.case.name, "form": outcome.case.form, "label": outcome.case.label,
            "calls": len(outcome.case.calls), "first": asdict(outcome.case.first)}  # fmt: skip
    result: dict[str, Any] = {"case": case, "error": outcome.error}
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
