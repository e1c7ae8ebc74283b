"""What counting and timing requests costs: the metrics middleware around an app that only
answers (its own cost, isolated), and a replayed REST answer of the whole app with the
metrics on and off (``GLOSSARY_METRICS``) and the access log sampled at 1 %. Rounds are
interleaved, so that a busy machine slows each variant alike, and the fastest round of each
is reported (the least disturbed by other processes).

The app is called as the server calls it (an ASGI scope, receive, send), with no network
and no HTTP client, so the differences are the middleware's own.

    .venv/bin/python -m benchmarks.observability [--requests 20000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import time
from collections.abc import Sequence
from typing import Any

from asgi_lifespan import LifespanManager

from api.app import create_app
from api.settings import Settings

PATH = "/concepts/co-design"


def scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


async def per_request_us(settings: Settings, requests: int, rounds: int) -> list[float]:
    """µs per request of ``rounds`` runs of ``requests`` replays each."""
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        state = manager._state  # the lifespan state, which a server passes in the scope

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            return None

        async def one() -> None:
            await manager.app({**scope(PATH), "state": dict(state)}, receive, send)

        await one()  # prepared once, as a busy concept is
        runs = []
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(requests):
                await one()
            runs.append((time.perf_counter() - started) / requests * 1e6)
        return runs


async def bare_us(wrapped: bool, requests: int) -> float:
    """µs per request of an app that answers at once, alone or inside the middleware."""
    from starlette.routing import Route

    from api.http.metrics import Metrics, MetricsMiddleware

    route = Route(PATH, lambda request: None)

    async def answer(scope: Any, receive: Any, send: Any) -> None:
        scope["route"] = route  # what the router would have written
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    app = MetricsMiddleware(answer, Metrics()) if wrapped else answer

    async def nothing(message: Any = None) -> Any:
        return None

    request = scope(PATH)
    started = time.perf_counter()
    for _ in range(requests):
        await app(dict(request), nothing, nothing)
    return (time.perf_counter() - started) / requests * 1e6


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    logging.getLogger("api.access").addHandler(logging.NullHandler())
    logging.getLogger("api.access").propagate = False
    logging.getLogger("api.access").setLevel(logging.INFO)
    variants = {
        "metrics off": Settings(metrics=False),
        "metrics on": Settings(metrics=True),
        "metrics on, access log 1 %": Settings(metrics=True, access_log=0.01),
    }
    results: dict[str, list[float]] = {name: [] for name in variants}
    alone: dict[str, list[float]] = {"bare app": [], "bare app in the middleware": []}
    for _ in range(args.rounds):  # interleaved: each variant a round at a time
        for name, settings in variants.items():
            results[name] += asyncio.run(per_request_us(settings, args.requests, 1))
        for name, wrapped in zip(alone, (False, True), strict=True):
            alone[name].append(asyncio.run(bare_us(wrapped, args.requests * 10)))
    fastest = {name: round(min(runs), 2) for name, runs in {**alone, **results}.items()}
    report = {
        "path": PATH,
        "fastest_round_us": fastest,
        "middleware_us": round(fastest["bare app in the middleware"] - fastest["bare app"], 2),
        "app_overhead_us": {
            name: round(fastest[name] - fastest["metrics off"], 2) for name in variants
        },
        "median_us": {name: round(statistics.median(r), 2) for name, r in results.items()},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
