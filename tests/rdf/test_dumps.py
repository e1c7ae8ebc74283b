"""Dumps are made once per snapshot, off the event loop, and few at a time: concurrent
first requests for one dump make it once, and different dumps are made one after another
(``dump_builds``), so that parallel first requests hold the memory of one."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from api.rdf.descriptions import Views
from api.settings import Settings
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio

DUMP = "/dumps/engagement-glossary"


class Making:
    """Wraps ``Views._dump`` (the real one runs): how often it ran and how many at once."""

    def __init__(self, real: Callable[..., bytes]) -> None:
        self.real = real
        self.calls = 0
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    def __call__(self, views: Views, *args: Any) -> bytes:
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.2)  # widen the window in which a second making could overlap
            return self.real(views, *args)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def making(monkeypatch: pytest.MonkeyPatch) -> Making:
    spy = Making(Views._dump)

    def spied(views: Views, *args: Any) -> bytes:  # a function, so that it binds as a method
        return spy(views, *args)

    monkeypatch.setattr(Views, "_dump", spied)
    return spy


async def test_concurrent_first_requests_for_one_dump_make_it_once(
    settings: Settings, making: Making
) -> None:
    async with running_app(settings) as running:
        answers = await asyncio.gather(*(running.client.get(DUMP + ".nt") for _ in range(4)))
        assert {a.status_code for a in answers} == {200}
        assert len({a.content for a in answers}) == 1
        assert making.calls == 1
        again = await running.client.get(DUMP + ".nt")
        assert (again.content, making.calls) == (answers[0].content, 1)


async def test_different_dumps_are_made_one_at_a_time(settings: Settings, making: Making) -> None:
    async with running_app(settings) as running:
        paths = [f"{DUMP}.{fmt}" for fmt in ("ttl", "nt", "jsonld", "rdf")]
        answers = await asyncio.gather(*(running.client.get(path) for path in paths))
        assert [a.status_code for a in answers] == [200] * 4
        assert (making.calls, making.most) == (4, 1)


async def test_the_number_made_at_once_is_a_setting(settings: Settings, making: Making) -> None:
    async with running_app(settings.model_copy(update={"dump_builds": 4})) as running:
        paths = [f"{DUMP}.{fmt}" for fmt in ("ttl", "nt", "jsonld", "rdf")]
        answers = await asyncio.gather(*(running.client.get(path) for path in paths))
        assert [a.status_code for a in answers] == [200] * 4
        assert making.most > 1
