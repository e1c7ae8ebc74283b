"""Answering a Skosmos request: one JSON object, as ``application/json`` or (asked for in
``Accept``) ``application/ld+json``, with the ETag, 304 and ``Cache-Control`` of the rest of
the service, and the problems whose ``detail`` is Skosmos's own message.

Skosmos answers errors in plain text (``400 Bad Request : lang parameter missing``); here
they are RFC 9457 problem bodies like every other error of the service, with Skosmos's
status code and its message as ``detail`` (docs/protocols.md).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from api.http.caching import conditional, replaying
from api.http.errors import BadRequest, MultipleChoices, NotAcceptable
from api.http.negotiation import JSON, JSONLD, negotiate_memo

#: What every Skosmos JSON method offers: the body is the same JSON-LD object either way.
OFFERED = (JSON, JSONLD)


class SkosmosJSONResponse(Response):
    media_type = "application/json"


class SkosmosJSONLDResponse(Response):
    media_type = "application/ld+json"


def dumps(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def answer(request: Request, build: Callable[[], Mapping[str, Any]]) -> Response:
    """The JSON (or JSON-LD) answer ``build`` makes, cached like every answer of the service:
    ``build`` runs only when no answer is kept and the client lacks it. Check parameters
    before calling this, so that a bad request is never a 304."""
    decision = negotiate_memo(OFFERED, JSON, None, None, request.headers.get("accept"))
    if decision is None:
        raise NotAcceptable([f.media_type for f in OFFERED])
    kind = SkosmosJSONLDResponse if decision.format is JSONLD else SkosmosJSONResponse
    return conditional(
        request, "skosmos-" + decision.format.name, lambda: kind(dumps(build())), {"Vary": "Accept"}
    )


Endpoint = Callable[[Request], Awaitable[Response]]


def replayed(endpoint: Endpoint) -> Endpoint:
    """``endpoint``, answered from the answer :func:`answer` kept for the negotiated
    variant before the endpoint reads its parameters (``api.http.caching.replaying``): a
    repeated request costs a lookup. Only for endpoints that answer through :func:`answer`."""
    variants = {fmt: replaying(endpoint, "skosmos-" + fmt.name) for fmt in OFFERED}

    async def route(request: Request) -> Response:
        decision = negotiate_memo(OFFERED, JSON, None, None, request.headers.get("accept"))
        if decision is None:
            return await endpoint(request)  # answers 406 once its parameters are checked
        return await variants[decision.format](request)

    return functools.wraps(endpoint)(route)


def missing(name: str) -> BadRequest:
    """Skosmos's 400 for a required parameter left out, naming it as our 400s do."""
    return BadRequest(
        f"{name} parameter missing", invalid_params=[{"name": name, "reason": "is required"}]
    )


class VocabularyChoices(MultipleChoices):
    """A vocid that is the local name of several loaded schemes: 300, listing each one's
    Skosmos URL (``/rest/v1/{vocid}/``)."""

    def __init__(self, given: str, choices: tuple[str, ...]) -> None:
        super().__init__(f"Several vocabularies are named '{given}'; choose one.", "", choices)

    def links(self, request: Request) -> list[dict[str, str]]:
        return [
            {"id": choice, "href": str(request.url_for("skosmos:vocabulary", vocid=choice))}
            for choice in self.choices
        ]
