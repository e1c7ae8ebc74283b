"""What every resolver reads: the snapshot's read model and the settings, frozen per request."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from starlette.requests import Request

from api.graphql.limits import Budget
from api.runtime.serving import Pinned, current
from api.settings import Settings


@dataclass(frozen=True, slots=True)
class Context(Pinned):
    """The read model one request answers from, and the limits that apply to it.

    Frozen, but ``budget`` counts down as resolvers build objects: it is this request's own.
    """

    settings: Settings
    budget: Budget = field(default_factory=Budget)

    @classmethod
    def from_request(cls, request: Request) -> Context:
        """Read the snapshot once, so a reload mid-query never mixes two vocabularies."""
        return cls(serving=current(request), settings=request.state.settings)


#: What resolvers receive as ``info``: our context, no root value.
Info = strawberry.Info[Context, None]
