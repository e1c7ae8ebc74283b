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

from .errors import InvalidParameter, NotAcceptable, NotFound
from .model import Collection, Concept, Scheme
from .negotiation import FORMATS, JSON, Decision, Format, negotiate
from .settings import Settings
from .state import Snapshot, current

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
    """The negotiated representation of ``resource`` with ETag, Link, Vary and caching."""
    registry: Registry = request.state.renderers
    decision = choose(request, registry, suffix)
    snapshot = current(request)
    etag = entity_tag(snapshot, request, decision.format.name)
    vary = "Accept-Language" if decision.decided_by == "suffix" else "Accept, Accept-Language"
    # The Link header depends only on the path and the origin: built once per snapshot.
    links_key = ("alternates", request.scope["path"], origin(request))
    links = snapshot.renderings.get(links_key, lambda: alternates_header(request, registry))
    headers = {"Link": links, "Vary": vary}
    if not_modified(request, etag):
        return not_modified_response(request, etag, headers)
    response = registry.renderers[decision.format.name](request, snapshot, resource)
    response.headers.update(headers)
    add_cache_headers(request, response, etag)
    return response


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
    if header is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
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
