"""Issue 10's load test, bounded in time and on loopback (``benchmarks/hostile.py``).

64 keep-alive connections fetch concepts for 10 s while 10 runaway SPARQL queries and 50
slow clients run, against ``glossary serve`` (the edge limits are only there). Asserted:
every concept answered 2xx (no 5xx, no refusals, no socket errors), every ``/health``
probe answered 200, and the server's main process back within 50 MB of its memory before
the load. The issue's ``/health`` p99 ≤ 100 ms is a speed target, so it is checked by
``python -m benchmarks.hostile`` (docs/benchmarks.md, "Under attack"), not here: this test
only bounds it generously (1 s) as a liveness check, and records the figures as test
properties and in ``benchmarks/results/load-*.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks import hostile

pytestmark = [pytest.mark.server, pytest.mark.slow]

#: A liveness bound, not the target (see the module docstring).
HEALTH_P99_LIVENESS_MS = 1000.0
#: Per-snapshot caches (prepared answers of 60 concepts, about 6 kB each) on top of the
#: issue's 50 MB.
CACHE_ALLOWANCE_MB = 5.0


def test_concepts_and_health_hold_under_attack(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    scenario = hostile.Scenario(memory_bound_mb=hostile.MEMORY_BOUND_MB + CACHE_ALLOWANCE_MB)
    log = tmp_path / "server.log"
    outcome = hostile.run(scenario, log)
    for line in outcome.lines():
        record_property("figures", line)
    hostile.save(outcome, "load")
    figures = "\n".join(outcome.lines())

    assert outcome.concepts > 0, figures
    assert outcome.concept_failures == {}, figures
    # The attack did happen: runaway queries were answered (a 504 when one ran out its
    # time, 503 when the pool was full) and slow clients were cut with a 408.
    assert outcome.sparql_statuses, figures
    assert outcome.slow_cuts.get("408", 0) > 0, figures

    assert outcome.health_ms, figures
    assert outcome.health_failures == {}, figures
    assert outcome.health_percentile(0.99) < HEALTH_P99_LIVENESS_MS, figures

    grown = outcome.rss_after_mb - outcome.rss_before_mb
    assert grown <= scenario.memory_bound_mb, figures
