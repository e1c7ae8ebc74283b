"""What every REST endpoint shares: JSON responses, the JSON renderer, finding records and
reading the filters and languages common to several routes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from api import payloads as p
from api.http import parameters
from api.http.caching import conditional
from api.http.errors import InvalidParameter
from api.http.renderers import Renderer, Resource, origin
from api.model import Concept, Scheme
from api.runtime.serving import Serving
from api.runtime.snapshot import Snapshot
from api.settings import Settings


class PayloadResponse(Response):
    """A wire model serialised by pydantic (camelCase aliases)."""

    media_type = "application/json"

    def render(self, content: BaseModel) -> bytes:
        return content.model_dump_json(by_alias=True).encode()


class JSONBytesResponse(Response):
    """JSON serialised earlier (memoised or read at start-up)."""

    media_type = "application/json"


def render_json(request: Request, serving: Serving, resource: Resource) -> Response:
    """The JSON representation of a concept, scheme or collection, rendered once per key.

    The bytes depend only on the resource, the language preference and the base URL that
    links are built on, so they are kept in the snapshot's caches (dropped on reload).
    """
    preferred = parameters.languages(request)
    key = ("json", type(resource).__name__, resource.id, preferred, origin(request))
    snapshot = serving.snapshot
    body = serving.caches.renderings.get_or_make(
        key, lambda: json_bytes(request, snapshot, resource, preferred)
    )
    return JSONBytesResponse(body)


#: The REST surface's renderer (``http.renderers.Registry``).
JSON_RENDERER: Mapping[str, Renderer] = {"json": Renderer(render_json)}


def json_bytes(
    request: Request, snapshot: Snapshot, resource: Resource, preferred: tuple[str, ...]
) -> bytes:
    payload: BaseModel
    if isinstance(resource, Concept):
        langs = p.languages_for(snapshot, preferred, resource.schemes)
        payload = p.concept_payload(request, snapshot, resource, langs)
    elif isinstance(resource, Scheme):
        langs = p.languages_for(snapshot, preferred, (resource.id,))
        payload = p.scheme_payload(request, snapshot, resource, langs)
    else:
        langs = p.languages_for(snapshot, preferred, resource.schemes)
        payload = p.collection_payload(request, snapshot, resource, langs)
    return payload.model_dump_json(by_alias=True).encode()


def json_ok(
    request: Request,
    build: Callable[[], BaseModel],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A cacheable JSON 200 (or 304): ``build`` runs only when the client lacks it.

    Parameters must be checked before calling this, so a bad request is never a 304.
    """
    all_headers = {"Vary": "Accept-Language", **(headers or {})}
    return conditional(request, "json", lambda: PayloadResponse(build()), all_headers)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.state.settings
    return settings


def scheme_filter(request: Request, snapshot: Snapshot) -> str | None:
    """``?scheme=``: an id of a loaded scheme (an unknown one is a 400, not an empty list)."""
    scheme = parameters.text(request, "scheme", required=False)
    if scheme is not None and scheme not in snapshot.index.schemes:
        raise InvalidParameter("scheme", f"there is no concept scheme '{scheme[:100]}'")
    return scheme


def collection_filter(request: Request, snapshot: Snapshot) -> str | None:
    collection = parameters.text(request, "collection", required=False)
    if collection is not None and collection not in snapshot.index.collections:
        raise InvalidParameter("collection", f"there is no collection '{collection[:100]}'")
    return collection


def wanted(request: Request, snapshot: Snapshot, schemes: Sequence[str] = ()) -> p.Languages:
    """The client's languages, falling back to the first of ``schemes`` (or of all schemes)."""
    return p.languages_for(
        snapshot, parameters.languages(request), schemes or tuple(snapshot.index.schemes)
    )
