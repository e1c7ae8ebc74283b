"""The GraphQL API at ``/graphql``: strawberry types projecting the read model (docs/graphql.md)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from ..settings import Settings
from .schema import build_schema
from .view import Endpoint


def routes(settings: Settings) -> list[BaseRoute]:
    """The ``/graphql`` route; its endpoint holds this app's persisted-query store."""
    endpoint = Endpoint(build_schema(settings))
    return [Route("/graphql", endpoint, methods=["GET", "POST"], name="graphql")]
