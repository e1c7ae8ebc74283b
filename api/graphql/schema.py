"""The schema: the ``Query`` type, its limits, and the SDL that ``schema/schema.graphql`` holds."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from api.graphql.limits import extensions, is_unexpected
from api.graphql.query import Query
from api.graphql.types import Collection, Concept, Scheme
from api.settings import Settings

logger = logging.getLogger("api")


class Schema(strawberry.Schema):
    """Logs only unexpected errors: a bad query is the client's news, not the operator's."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if is_unexpected(error):
                logger.error("GraphQL resolver failed", exc_info=error.original_error)


def build_schema(settings: Settings) -> Schema:
    """The read-only schema with every limit that ``settings`` sets."""
    return Schema(query=Query, types=[Concept, Scheme, Collection], extensions=extensions(settings))


def print_sdl() -> str:
    """The schema in SDL, as ``glossary export-schema`` writes it to ``schema/schema.graphql``."""
    return strawberry.Schema(query=Query, types=[Concept, Scheme, Collection]).as_str() + "\n"


__all__ = ["Schema", "build_schema", "print_sdl"]
