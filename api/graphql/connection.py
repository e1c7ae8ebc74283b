"""Relay cursor connections over the read model's stable id orders.

Cursors are the REST API's (``api/paging.py``): opaque, tied to the vocabulary digest, so a
cursor from before a reload is refused with a clear error instead of skipping concepts.
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from api.graphql import arguments
from api.graphql.arguments import InvalidArgumentError
from api.graphql.context import Info
from api.graphql.fields import field
from api.graphql.types import Concept
from api.http.errors import InvalidParameter
from api.http.parameters import decode_cursor, encode_cursor


@strawberry.type(description="Where a page sits in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether `after: endCursor` finds more.")
    has_previous_page: bool = strawberry.field(description="Whether concepts come before.")
    start_cursor: str | None = strawberry.field(description="The first edge's cursor.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="A concept and its cursor.")
class ConceptEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this concept.")
    node: Concept = strawberry.field(description="The concept.")


@strawberry.type(description="One page of concepts, in a stable order (Relay connection).")
class ConceptConnection:
    edges: list[ConceptEdge] = strawberry.field(description="The concepts, with their cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many concepts the whole list has.")

    @field("The concepts of this page, without cursors.")
    def nodes(self) -> list[Concept]:
        return [edge.node for edge in self.edges]


def connection(
    info: Info, ids: Sequence[str], first: int | None, after: str | None
) -> ConceptConnection:
    """The page of ``ids`` that ``first`` and ``after`` ask for."""
    settings, digest = info.context.settings, info.context.index.digest
    size = arguments.count(
        first, "first", default=settings.page_size, maximum=settings.max_page_size
    )
    start = 0 if after is None else _position(after, digest, len(ids)) + 1
    window = ids[start : start + size]
    info.context.budget.spend(len(window))
    records = map(info.context.index.concept, window)
    edges = [
        ConceptEdge(cursor=encode_cursor(start + offset, digest), node=Concept.from_concept(record))
        for offset, record in enumerate(records)
        if record is not None
    ]
    page = PageInfo(
        has_next_page=start + size < len(ids),
        has_previous_page=start > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return ConceptConnection(edges=edges, page_info=page, total_count=len(ids))


def _position(cursor: str, digest: str, total: int) -> int:
    try:
        return decode_cursor(cursor, digest, total, name="after")
    except InvalidParameter as error:
        reason = error.extensions["invalid_params"][0]["reason"]
        raise InvalidArgumentError("after", reason) from None
