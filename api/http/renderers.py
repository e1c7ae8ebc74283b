"""Format → renderer registry, and the headers every representation carries.

An endpoint finds its resource, then calls :func:`respond`; the registry (built in the app
factory from ``rest``, ``rdf`` and ``pages``) turns it into bytes of the negotiated
format. Caching headers are derived from the vocabulary digest, so they are strong.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Union

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from api.http.errors import InvalidParameter, NotAcceptable, NotFound
from api.http.negotiation import FORMATS, JSON, Decision, Format, negotiate
from api.model import Collection, Concept, Scheme
from api.runtime import Snapshot, current
from api.settings import Settings

Resource = Union[Concept, Scheme, Collection]  # noqa: UP007 - used at runtime as a type alias
#: Turns a found resource into a response body of one format (status/headers added here).
Renderer = Callable[[Request, Snapshot, Resource], Response]

_NAME_WITH_SUFFIX = re.compile(r"^(?P<id>[A-Za-z0-9_-]+)(?:\.(?P<suffix>[A-Za-z]+))?$")


@dataclass(frozen=True)
class Registry:
    """The renderers this deployment offers, in server preference order."""

    renderers: Mapping[str, Renderer]

    @cached_property  # asked on every negotiated request; the registry never changes
    def formats(self) -> tuple[Format, ...]:
        return tuple(f for f in FORMATS if f.name in self.renderers)


def split_name(name: str) -> tuple[str, str | None]:
    """``consultation.ttl`` → (``consultation``, ``ttl``); a 404 for names that can't be ids."""
    match = _NAME_WITH_SUFFIX.match(name)
    if match is None:
        raise NotFound(f"No resource is named '{name[:100]}'.")
    return match["id"], match["suffix"]


def choose(request: Request, registry: Registry, suffix: str | None) -> Decision:
    """Negotiate the format: suffix > ?format= > Accept > JSON; errors name what is offered."""
    return choose_from(request, registry.formats, JSON, suffix)


def choose_from(
    request: Request, offered: Sequence[Format], default: Format, suffix: str | None = None
) -> Decision:
    """:func:`choose` among any ``offered`` formats (dumps, VoID, the ontology)."""
    names = {f.name for f in offered}
    if suffix is not None and suffix not in names:
        raise NotFound(f"No '.{suffix[:20]}' representation; offered: {', '.join(sorted(names))}.")
    parameter = request.query_params.get("format")
    if parameter is not None and parameter not in names:
        raise InvalidParameter("format", f"must be one of {', '.join(sorted(names))}")
    decision = negotiate(
        offered, default, suffix=suffix, parameter=parameter, accept=request.headers.get("accept")
    )
    if decision is None:
        raise NotAcceptable([f.media_type for f in offered])
    return decision


def respond(request: Request, resource: Resource, suffix: str | None = None) -> Response:
    """The negotiated representation of ``resource`` with ETag, Link, Vary and caching.

    A representation depends only on the request facts its ``Vary`` names (the URL, Accept,
    Accept-Language and the origin links are built on), so it is prepared once per snapshot
    and replayed: a repeated request skips negotiation, hashing and header building.
    """
    snapshot = current(request)
    facts, validator = _facts(request.scope)
    prepared = snapshot.responses.get(facts, lambda: _prepare(request, snapshot, resource, suffix))
    if validator is not None and matches(validator, prepared.etag):
        return PreparedResponse(304, prepared.not_modified_headers)
    if prepared.body is None:  # a renderer whose response can't be replayed (streamed)
        return _render(request, snapshot, resource, suffix)[0]
    return PreparedResponse(prepared.status_code, prepared.headers, prepared.body)


#: Request headers a representation varies on (``Host`` builds absolute links).
_VARYING = frozenset((b"accept", b"accept-language", b"host"))


def _facts(scope: Scope) -> tuple[tuple[object, ...], str | None]:
    """The request facts a representation depends on, and ``If-None-Match``, in one pass.

    Read straight from the ASGI scope: on this path, building ``request.headers`` and
    looking up an absent header (a ``KeyError`` inside ``Mapping.get``) cost more than this.
    """
    varying = []
    validator = None
    for name, value in scope["headers"]:
        if name in _VARYING:
            varying.append((name, value))
        elif name == b"if-none-match":
            validator = value.decode("latin-1")
    where = (scope["scheme"], scope.get("server"), scope["root_path"])
    facts = ("response", scope["path"], scope.get("query_string", b""), tuple(varying), where)
    return facts, validator


@dataclass(frozen=True)
class Prepared:
    """A rendered representation: its ETag, the raw headers of a 200 and of a 304, body."""

    etag: str
    status_code: int
    headers: tuple[tuple[bytes, bytes], ...]
    not_modified_headers: tuple[tuple[bytes, bytes], ...]
    body: bytes | None


class PreparedResponse(Response):
    """A response replayed from raw headers and body prepared earlier."""

    def __init__(
        self, status_code: int, headers: Sequence[tuple[bytes, bytes]], body: bytes = b""
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.background = None
        self.raw_headers = list(headers)  # a fresh list: middleware appends to it


def _prepare(
    request: Request, snapshot: Snapshot, resource: Resource, suffix: str | None
) -> Prepared:
    response, etag, headers = _render(request, snapshot, resource, suffix)
    empty = not_modified_response(request, etag, headers)
    body = getattr(response, "body", None)  # streamed responses have none
    replayable = response.background is None and isinstance(body, bytes)
    return Prepared(
        etag=etag,
        status_code=response.status_code,
        headers=tuple(response.raw_headers),
        not_modified_headers=tuple(empty.raw_headers),
        body=body if replayable else None,
    )


def _render(
    request: Request, snapshot: Snapshot, resource: Resource, suffix: str | None
) -> tuple[Response, str, dict[str, str]]:
    """Negotiate, render and add the caching headers: the response, its ETag, Link and Vary."""
    registry: Registry = request.state.renderers
    decision = choose(request, registry, suffix)
    etag = entity_tag(snapshot, request, decision.format.name)
    vary = "Accept-Language" if decision.decided_by == "suffix" else "Accept, Accept-Language"
    headers = {"Link": alternates_header(request, registry), "Vary": vary}
    response = registry.renderers[decision.format.name](request, snapshot, resource)
    response.headers.update(headers)
    add_cache_headers(request, response, etag)
    return response, etag, headers


def origin(request: Request) -> tuple[object, ...]:
    """What absolute URLs are built from (``request.base_url``), without building a URL."""
    scope = request.scope
    return (scope["scheme"], request.headers.get("host"), scope.get("server"), scope["root_path"])


def entity_tag(snapshot: Snapshot, request: Request, variant: str) -> str:
    """A strong ETag: the vocabulary digest, the URL and the negotiated variant."""
    # Read from the ASGI scope: building request.url costs more than the hash.
    seed = "|".join(
        (
            snapshot.index.digest,
            request.scope["path"],
            request.scope.get("query_string", b"").decode("latin-1"),
            variant,
            request.headers.get("accept-language", ""),
        )
    )
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison of ``If-None-Match`` with our tag."""
    header = request.headers.get("if-none-match")
    return header is not None and matches(header, etag)


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` value names ``etag`` (weakly) or is ``*``."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def not_modified_response(request: Request, etag: str, headers: Mapping[str, str]) -> Response:
    response = Response(status_code=304, headers=dict(headers))
    add_cache_headers(request, response, etag)
    return response


def add_cache_headers(request: Request, response: Response, etag: str) -> None:
    settings: Settings = request.state.settings
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={settings.cache_max_age}"


def alternates_header(request: Request, registry: Registry) -> str:
    """``Link: <…>; rel="alternate"; type="…"`` for every format this resource is offered in."""
    base = _without_suffix(request.url)
    links = [
        f'<{base}.{fmt.name}>; rel="alternate"; type="{fmt.media_type}"' for fmt in registry.formats
    ]
    return ", ".join(links)


def _without_suffix(url: URL) -> str:
    path = url.path
    last = path.rsplit("/", 1)[-1]
    if "." in last:
        path = path[: len(path) - len(last)] + last.split(".", 1)[0]
    return str(url.replace(path=path, query=""))
