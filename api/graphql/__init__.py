"""The GraphQL API at ``/graphql``: strawberry types projecting the read model (docs/graphql.md)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from api.graphql.schema import build_schema
from api.graphql.view import Endpoint
from api.settings import Settings


def routes(settings: Settings) -> list[BaseRoute]:
    """The ``/graphql`` route; its endpoint holds this app's persisted-query store."""
    endpoint = Endpoint(build_schema(settings))
    return [Route("/graphql", endpoint, methods=["GET", "POST"], name="graphql")]
