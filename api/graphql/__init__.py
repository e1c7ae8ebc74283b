"""Stub: replaced by the module's owner."""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..settings import Settings


def routes(settings: Settings) -> list[BaseRoute]:
    return []
