"""What every REST endpoint shares: JSON responses, the JSON renderer, finding records and
reading the filters and languages common to several routes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from api import payloads as p
from api.http import parameters
from api.http.errors import InvalidParameter, NotFound
from api.http.renderers import (
    Resource,
    add_cache_headers,
    entity_tag,
    not_modified,
    not_modified_response,
    origin,
)
from api.model import Collection, Concept, Scheme
from api.runtime import Snapshot
from api.settings import Settings


class PayloadResponse(Response):
    """A wire model serialised by pydantic (camelCase aliases)."""

    media_type = "application/json"

    def render(self, content: BaseModel) -> bytes:
        return content.model_dump_json(by_alias=True).encode()


class JSONBytesResponse(Response):
    """JSON serialised earlier (memoised or read at start-up)."""

    media_type = "application/json"


def render_json(request: Request, snapshot: Snapshot, resource: Resource) -> Response:
    """The JSON representation of a concept, scheme or collection, rendered once per key.

    The bytes depend only on the resource, the language preference and the base URL that
    links are built on, so they are memoised on the snapshot (and dropped on reload).
    """
    preferred = parameters.languages(request)
    key = ("json", type(resource).__name__, resource.id, preferred, origin(request))
    body = snapshot.renderings.get(key, lambda: json_bytes(request, snapshot, resource, preferred))
    return JSONBytesResponse(body)


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
    snapshot: Snapshot,
    build: Callable[[], BaseModel],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A cacheable JSON 200 (or 304): ``build`` runs only when the client lacks it.

    Parameters must be checked before calling this, so a bad request is never a 304.
    """
    etag = entity_tag(snapshot, request, "json")
    all_headers = {"Vary": "Accept-Language", **(headers or {})}
    if not_modified(request, etag):
        return not_modified_response(request, etag, all_headers)
    response = PayloadResponse(build(), headers=all_headers)
    add_cache_headers(request, response, etag)
    return response


def settings_of(request: Request) -> Settings:
    settings: Settings = request.state.settings
    return settings


def find_concept(snapshot: Snapshot, concept_id: str) -> Concept:
    concept = snapshot.index.concepts.get(concept_id)
    if concept is None:
        raise NotFound(f"There is no concept '{concept_id[:100]}'.")
    return concept


def find_scheme(snapshot: Snapshot, scheme_id: str) -> Scheme:
    scheme = snapshot.index.schemes.get(scheme_id)
    if scheme is None:
        raise NotFound(f"There is no concept scheme '{scheme_id[:100]}'.")
    return scheme


def find_collection(snapshot: Snapshot, collection_id: str) -> Collection:
    collection = snapshot.index.collections.get(collection_id)
    if collection is None:
        raise NotFound(f"There is no collection '{collection_id[:100]}'.")
    return collection


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
