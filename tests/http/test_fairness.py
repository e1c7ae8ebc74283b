"""``api.http.fairness``: a token bucket per client address on the expensive routes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette

from api.app import create_app
from api.http.fairness import RateLimiter, client_of, networks
from api.settings import Settings, SettingsError

VOCAB = Path(__file__).resolve().parents[2] / "vocab"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_the_burst_then_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=2, burst=3, clients=10, clock=clock)
    assert [limiter.wait("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.wait("a") == pytest.approx(0.5)  # one token comes every half second
    clock.now += 0.5
    assert limiter.wait("a") == 0
    assert limiter.wait("a") > 0
    clock.now += 60
    assert [limiter.wait("a") for _ in range(4)][:3] == [0, 0, 0]  # refilled to the burst


def test_clients_have_their_own_buckets_and_the_table_is_bounded() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=1, burst=1, clients=2, clock=clock)
    assert limiter.wait("a") == 0
    assert limiter.wait("a") > 0
    assert limiter.wait("b") == 0
    assert limiter.wait("c") == 0  # "a" is forgotten: the least recently seen
    assert len(limiter._buckets) == 2  # observing the bound
    assert limiter.wait("a") == 0


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        (("203.0.113.9", 1), "203.0.113.9"),
        (("127.0.0.1", 1), None),
        (("::1", 1), None),
        (("10.1.2.3", 1), None),
        (("2001:db8::1", 1), "2001:db8::1"),
        (("testclient", 1), "testclient"),
        (None, None),
    ],
)
def test_the_client_is_its_address_unless_exempt(
    client: tuple[str, int] | None, expected: str | None
) -> None:
    exempt = networks(["127.0.0.1", "::1", "10.0.0.0/8"])
    assert client_of({"type": "http", "client": client}, exempt) == expected


def test_exempt_networks_are_checked_at_start_up() -> None:
    with pytest.raises(SettingsError, match="RATE_LIMIT_EXEMPT"):
        Settings.from_env({"GLOSSARY_RATE_LIMIT_EXEMPT": "10.0.0.0/8,not-an-address"})
    parsed = Settings.from_env({"GLOSSARY_RATE_LIMIT_EXEMPT": "10.0.0.0/8, ::1"})
    assert parsed.rate_limit_exempt == ("10.0.0.0/8", "::1")


@pytest.fixture(scope="module")
async def app() -> AsyncIterator[Starlette]:
    settings = Settings(
        vocab=(VOCAB,),
        # A token every 20 s: however slowly a loaded machine answers the first three
        # requests (a fresh SPARQL worker), the fourth finds the bucket still empty.
        rate_limit_per_second=0.05,
        rate_limit_burst=3,
        rate_limit_exempt=(),
        sparql_timeout=60,  # a fresh worker on a loaded machine: the limit is not under test
    )
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=60) as manager:
        yield manager.app  # type: ignore[misc]


@pytest.fixture
def client_at(app: Starlette) -> Callable[[str], httpx.AsyncClient]:
    def make(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")

    return make


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/search?q=consultation", None),
        ("GET", "/sparql?query=ASK%20%7B%7D", None),
        ("POST", "/annotate", {"text": "a consultation"}),
        ("POST", "/graphql", {"query": '{ concept(id: "consultation") { prefLabel } }'}),
        ("POST", "/reconcile", {"queries": [{"query": "consultation"}]}),
        ("POST", "/mcp", {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}),
        ("GET", "/rest/v1/search?query=consult*&lang=en", None),
        ("GET", "/rest/v1/engagement-glossary/search?query=consult*", None),
    ],
)
async def test_a_client_over_its_rate_gets_429_while_another_is_served(
    client_at: Callable[[str], httpx.AsyncClient],
    method: str,
    path: str,
    body: dict[str, str] | None,
) -> None:
    greedy_address = f"203.0.113.{len(path)}"  # a fresh bucket for each route
    other_address = f"198.51.100.{len(path)}"
    async with client_at(greedy_address) as greedy, client_at(other_address) as other:
        statuses = [(await greedy.request(method, path, json=body)).status_code for _ in range(3)]
        refused = await greedy.request(method, path, json=body)
        served = await other.request(method, path, json=body)
        elsewhere = await greedy.get("/concepts/consultation")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    retry_after = int(refused.headers["retry-after"])  # a token every 20 s at 0.05 a second
    assert 10 <= retry_after <= 20
    problem = refused.json()
    assert problem["type"].endswith("/too-many-requests")
    assert problem["retry_after"] == retry_after
    assert "x-content-type-options" in refused.headers  # inside the security headers
    assert served.status_code == 200  # another client has its own share
    assert elsewhere.status_code == 200  # cheap routes are not counted


@pytest.mark.anyio
async def test_no_limit_when_the_rate_is_zero() -> None:
    settings = Settings(vocab=(VOCAB,), rate_limit_per_second=0, rate_limit_exempt=())
    application = create_app(settings)
    async with LifespanManager(application, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app, client=("203.0.113.99", 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            body = {"text": "a consultation"}
            statuses = {(await c.post("/annotate", json=body)).status_code for _ in range(60)}
    assert statuses == {200}
