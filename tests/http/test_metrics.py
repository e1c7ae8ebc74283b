"""``api.http.metrics`` and ``api.http.logs``: /metrics, request counts by route template,
refusals by reason, the runtime read at scrape time, and the sampled access log."""

from __future__ import annotations

import json
import logging
import re

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.http.logs import JsonFormatter, access_line
from api.http.metrics import REFUSED, UNROUTED, Metrics, MetricsMiddleware
from api.settings import Settings
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, by name and labels (parsed by prometheus_client)."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[sample.name, frozenset(sample.labels.items())] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert response.headers["cache-control"] == "no-store"
    return response.text


async def test_requests_are_counted_by_route_template_and_status(settings: Settings) -> None:
    async with running_app(settings) as running:
        client = running.client
        await client.get("/concepts/co-design")
        await client.get("/concepts/co-design")
        await client.get("/concepts/no-such-concept")
        text = await scrape(client)
    requests = "glossary_http_requests_total"
    route = "/concepts/{id}"
    assert value(text, requests, route=route, method="GET", status="200") == 2
    assert value(text, requests, route=route, method="GET", status="404") == 1
    assert "co-design" not in text
    assert "no-such-concept" not in text
    count = value(text, "glossary_http_request_duration_seconds_count", route=route)
    assert count == 3


async def test_paths_no_route_matches_share_one_label(settings: Settings) -> None:
    async with running_app(settings) as running:
        for n in range(30):
            await running.client.get(f"/made-up/{n}")
        text = await scrape(running.client)
    routes = {labels for name, labels in samples(text) if name == "glossary_http_requests_total"}
    unrouted = [labels for labels in routes if ("route", UNROUTED) in labels]
    assert len(unrouted) == 1  # thirty paths, one series
    assert value(text, "glossary_http_requests_total", route=UNROUTED, method="GET", status="404")
    assert "made-up" not in text


async def test_unknown_methods_are_one_label(settings: Settings) -> None:
    async with running_app(settings) as running:
        for method in ("BREW", "WHEN", "PROPFIND"):
            await running.client.request(method, "/concepts")
        text = await scrape(running.client)
    assert value(
        text, "glossary_http_requests_total", route="/concepts", method="other", status="405"
    )
    assert 'method="BREW"' not in text


async def test_refusals_are_counted_by_reason(settings: Settings) -> None:
    limited = settings.model_copy(
        update={"rate_limit_per_second": 0.001, "rate_limit_burst": 1, "rate_limit_exempt": ()}
    )
    async with running_app(limited) as running:
        statuses = [(await running.client.get("/search?q=co")).status_code for _ in range(3)]
        text = await scrape(running.client)
    assert statuses == [200, 429, 429]
    assert value(text, "glossary_http_rejected_requests_total", reason="too-many-requests") == 2
    requests = "glossary_http_requests_total"
    assert value(text, requests, route="/search", method="GET", status="200") == 1
    assert value(text, requests, route=REFUSED, method="GET", status="429") == 2  # before routing


async def test_the_runtime_is_read_when_scraped(settings: Settings) -> None:
    async with running_app(settings) as running:
        digest = (await running.client.get("/health")).json()["digest"]
        before = await scrape(running.client)
        await running.client.get("/concepts/co-design")
        await running.client.get("/concepts/co-design")
        after = await scrape(running.client)
    assert value(after, "glossary_snapshot_info", digest=digest) == 1
    assert (
        value(after, "glossary_snapshot_concepts") == running.runtime.snapshot.index.concept_count
    )
    assert value(after, "glossary_snapshot_load_seconds") > 0
    assert value(after, "glossary_snapshot_age_seconds") >= 0
    hits = "glossary_cache_hits_total"
    assert value(after, hits, cache="front") > value(before, hits, cache="front")
    assert value(after, "glossary_reload_attempts_total") == 0
    assert value(after, "glossary_reload_failing") == 0


async def test_the_sparql_pool_reports_its_workers_once_made(settings: Settings) -> None:
    async with running_app(settings) as running:
        response = await running.client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert response.status_code == 200
        text = await scrape(running.client)
    live = sum(
        value(text, "glossary_sparql_pool", figure=state)
        for state in ("idle_workers", "busy_workers", "starting_workers")
    )
    assert live >= 1
    assert value(text, "glossary_sparql_pool", figure="admitted_queries") == 0


async def test_metrics_can_be_restricted_to_networks(settings: Settings) -> None:
    elsewhere = settings.model_copy(update={"metrics_allow": ("10.0.0.0/8",)})
    async with running_app(elsewhere) as running:  # the test client is 127.0.0.1
        response = await running.client.get("/metrics")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_metrics_can_be_turned_off_with_the_middleware(settings: Settings) -> None:
    off = settings.model_copy(update={"metrics": False})
    async with running_app(off) as running:
        assert (await running.client.get("/metrics")).status_code == 404
    from api.app import create_app

    kinds = [m.cls for m in create_app(off).user_middleware]
    assert MetricsMiddleware not in kinds  # nothing runs per request
    assert MetricsMiddleware in [m.cls for m in create_app(settings).user_middleware]


def test_a_refusal_before_the_app_is_counted_by_its_status() -> None:
    metrics = Metrics()
    metrics.reject(431)
    metrics.reject(599)
    text = metrics_text(metrics)
    assert value(text, "glossary_http_rejected_requests_total", reason="headers-too-large") == 1
    assert value(text, "glossary_http_rejected_requests_total", reason="bad-request") == 1


def metrics_text(metrics: Metrics) -> str:
    from prometheus_client import generate_latest

    return generate_latest(metrics.registry).decode()


# The access log -----------------------------------------------------------------------


async def access_records(
    settings: Settings, caplog: pytest.LogCaptureFixture, path: str, times: int = 1
) -> list[logging.LogRecord]:
    """What the access log wrote for ``times`` GETs of ``path`` on an app with ``settings``."""
    with caplog.at_level(logging.INFO, logger="api.access"):
        async with running_app(settings) as running:
            caplog.clear()
            for _ in range(times):
                await running.client.get(path)
    return [r for r in caplog.records if r.name == "api.access"]


async def test_the_access_log_logs_every_request_at_one(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    every = settings.model_copy(update={"access_log": 1.0})
    [record] = await access_records(every, caplog, "/concepts/co-design?lang=en")
    assert re.fullmatch(r'127\.0\.0\.1 "GET /concepts/co-design" 200 \d+\.\d\dms', record.message)
    assert record.route == "/concepts/{id}"  # type: ignore[attr-defined]


async def test_the_access_log_samples_a_share_and_is_off_by_default(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    sampled = settings.model_copy(update={"access_log": 0.25})
    logged = len(await access_records(sampled, caplog, "/health", times=400))
    assert 40 <= logged <= 160  # 100 expected; far outside by chance about never
    assert not await access_records(settings, caplog, "/health")


def test_the_access_log_setting_still_takes_true_and_false() -> None:
    assert Settings.from_env({"GLOSSARY_ACCESS_LOG": "true"}).access_log == 1.0
    assert Settings.from_env({"GLOSSARY_ACCESS_LOG": "false"}).access_log == 0.0
    assert Settings.from_env({"GLOSSARY_ACCESS_LOG": "0.1"}).access_log == 0.1
    with pytest.raises(ValueError, match="GLOSSARY_ACCESS_LOG"):
        Settings.from_env({"GLOSSARY_ACCESS_LOG": "2"})


def test_json_logs_are_one_object_a_line_with_the_request_fields(
    caplog: pytest.LogCaptureFixture,
) -> None:
    scope = {"client": ("192.0.2.1", 5000), "method": "GET", "path": "/concepts/x"}
    with caplog.at_level(logging.INFO, logger="api.access"):
        access_line(scope, "/concepts/{id}", 200, 0.00042)
    line = JsonFormatter().format(caplog.records[-1])
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "api.access"
    assert entry["route"] == "/concepts/{id}"
    assert entry["status"] == 200
    assert entry["duration_ms"] == 0.42
    assert entry["client"] == "192.0.2.1"
    assert entry["time"].endswith("+00:00")


def test_json_logs_keep_a_traceback_in_one_field() -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = logging.LogRecord("api", logging.ERROR, "f", 1, "failed", None, sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed"
    assert "ValueError: broken" in entry["exception"]
