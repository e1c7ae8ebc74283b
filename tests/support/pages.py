"""Snapshots and apps built from Turtle text, and reading what pages embed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.runtime.snapshot import Snapshot, load_snapshot
from api.settings import Settings
from tests.support.apps import TEST_HOSTS


def write_vocabulary(turtle: str, folder: Path) -> Path:
    path = folder / "vocabulary.ttl"
    path.write_text(turtle, encoding="utf-8")
    return path


def snapshot_of(turtle: str, folder: Path) -> Snapshot:
    """Load ``turtle`` (written to ``folder``) the way the service loads files."""
    return load_snapshot([write_vocabulary(turtle, folder)])


@asynccontextmanager
async def client_for(
    turtle: str, folder: Path, **settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app serving ``turtle`` instead of the shipped glossary."""
    settings.setdefault("allowed_hosts", TEST_HOSTS)
    app = create_app(Settings(vocab=(write_vocabulary(turtle, folder),), **settings))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


PROBLEM_BASE = "/problem-types/"
CONSULTATION = "http://testserver/concepts/consultation"


def assert_problem(
    response: httpx.Response, status: int, slug: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    if slug is not None:
        assert body["type"] == PROBLEM_BASE + slug
    return body


class Document(HTMLParser):
    """The parts of an HTML page the tests look at: tags with attributes, JSON-LD blocks,
    inline scripts and styles, and the text of elements by id."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.jsonld: list[Any] = []
        self.inline_scripts: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._buffer = ""
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script, self._buffer = attributes, ""

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._buffer += data

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        if self._script.get("type") == "application/ld+json":
            self.jsonld.append(json.loads(self._buffer))
        elif "src" not in self._script:
            self.inline_scripts.append(self._buffer)
        self._script = None

    def all(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        """Attributes of every ``tag`` whose attributes include ``wanted``."""
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k.rstrip("_")) == v for k, v in wanted.items())
        ]
