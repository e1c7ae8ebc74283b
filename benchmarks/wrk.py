"""Running ``wrk`` (the Debian package) and reading its report.

``wrk --latency`` prints the latency distribution (50/75/90/99 %), the request rate and
counts of non-2xx responses and socket errors; :func:`parse` reads those into a
:class:`Load`. The CPU ``wrk`` itself used is measured too: on a two-core machine the client
competes with the server, so its share belongs beside every figure.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from benchmarks import servers

#: wrk's duration units (``wrk/src/units.c``), in milliseconds.
_UNITS_MS = MappingProxyType({"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0})
_PERCENTILE = re.compile(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass(frozen=True)
class Options:
    """How hard and how long ``wrk`` pushes: threads, open connections, seconds."""

    threads: int = 2
    connections: int = 50
    seconds: float = 10.0

    def arguments(self) -> list[str]:
        return [
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{self.seconds:g}s",
            "--latency",
        ]


@dataclass(frozen=True)
class Load:
    """One ``wrk`` run: throughput, latency percentiles (ms), failures and client CPU."""

    requests: int
    seconds: float
    rate: float
    percentiles: dict[int, float]
    non_2xx: int
    socket_errors: int
    client_cpu: float = 0.0
    server_cpu: float = 0.0

    @property
    def ok_rate(self) -> float:
        """Requests per second answered with 2xx or 3xx: what a target counts."""
        return self.rate * (1 - self.non_2xx / self.requests) if self.requests else 0.0

    @property
    def p50(self) -> float:
        return self.percentiles[50]

    @property
    def p99(self) -> float:
        return self.percentiles[99]

    @property
    def client_cores(self) -> float:
        """Cores the client kept busy on average (CPU seconds / wall seconds)."""
        return self.client_cpu / self.seconds if self.seconds else 0.0

    @property
    def server_cores(self) -> float:
        """Cores the server kept busy on average."""
        return self.server_cpu / self.seconds if self.seconds else 0.0

    @property
    def server_us(self) -> float:
        """Server CPU microseconds per request: unlike req/s, barely moved by other jobs."""
        return 1e6 * self.server_cpu / self.requests if self.requests else 0.0


def parse(report: str) -> Load:
    """A :class:`Load` from wrk's text report; ``ValueError`` if it is not one."""
    rate = _RATE.search(report)
    total = _TOTAL.search(report)
    if rate is None or total is None:
        raise ValueError(f"not a wrk report:\n{report}")
    non_2xx = _NON_2XX.search(report)
    socket = _SOCKET.search(report)
    return Load(
        requests=int(total[1]),
        seconds=float(total[2]) * _UNITS_MS[total[3]] / 1000,
        rate=float(rate[1]),
        percentiles={
            int(m[1]): float(m[2]) * _UNITS_MS[m[3]] for m in _PERCENTILE.finditer(report)
        },
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
    )


def run(url: str, options: Options, script: Path | None = None, server: int | None = None) -> Load:
    """Load ``url`` with wrk (``script``: a Lua file setting method, body, headers).

    ``server``: the pid of the process answering, whose CPU time (with its children's) is
    measured over the run.
    """
    command = ["wrk", *options.arguments(), *(["-s", str(script)] if script else []), url]
    # RUSAGE_CHILDREN counts only reaped children: the delta around run() is wrk alone.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = tree_cpu_seconds(server) if server else {}
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    server_after = tree_cpu_seconds(server) if server else {}
    # Processes that ended during the run (a replaced SPARQL worker) are not counted.
    server_cpu = sum(cpu - server_before.get(pid, 0.0) for pid, cpu in server_after.items())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    load = parse(done.stdout)
    return Load(**{**load.__dict__, "client_cpu": cpu, "server_cpu": server_cpu})


def tree_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU seconds so far of ``pid`` and of every process below it (the SPARQL workers do
    the work of a query), by pid."""
    found = {}
    for member in (pid, *servers.descendants(pid)):
        try:
            found[member] = cpu_seconds(member)
        except (OSError, IndexError):
            continue  # ended while we looked
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds ``pid`` (all its threads) has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    after = stat.rsplit(")", 1)[1].split()
    return (int(after[11]) + int(after[12])) / os.sysconf("SC_CLK_TCK")


def lua_request(method: str, body: str = "", headers: Sequence[tuple[str, str]] = ()) -> str:
    """A wrk script sending every request with ``method``, ``body`` and these headers."""
    lines = [f"wrk.method = {_lua(method)}", f"wrk.body = {_lua(body)}"]
    for name, value in headers:
        lines.append(f"wrk.headers[{_lua(name)}] = {_lua(value)}")
    return "\n".join(lines) + "\n"


def lua_requests(calls: Sequence[tuple[str, str, Sequence[tuple[str, str]], str | None]]) -> str:
    """A wrk script cycling through ``calls`` (method, path, headers, body), each thread
    starting at its own place; the requests are formatted once, in ``init``."""
    rows = []
    for method, path, headers, body in calls:
        table = ", ".join(f"[{_lua(name)}] = {_lua(value)}" for name, value in headers)
        rows.append(f"  {{{_lua(method)}, {_lua(path)}, {{{table}}}, {_lua(body or '')}}},")
    return "\n".join(
        [
            "local calls = {",
            *rows,
            "}",
            "local formatted, at = {}, 0",
            "function init(args)",
            "  for k, c in ipairs(calls) do",
            "    local body = c[4] ~= '' and c[4] or nil",
            "    formatted[k] = wrk.format(c[1], c[2], c[3], body)",
            "  end",
            "  at = math.random(#formatted) - 1",
            "end",
            "function request()",
            "  at = at % #formatted + 1",
            "  return formatted[at]",
            "end",
            "",
        ]
    )


def _lua(text: str) -> str:
    """A Lua string literal: JSON's escapes are Lua's, as long as non-ASCII stays raw."""
    return json.dumps(text, ensure_ascii=False)


@contextmanager
def script_file(text: str) -> Iterator[Path]:
    """``text`` in a temporary ``.lua`` file for ``wrk -s``."""
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        path = Path(folder) / "request.lua"
        path.write_text(text, encoding="utf-8")
        yield path
