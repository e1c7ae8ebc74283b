"""Concept schemes and collections: the lists, one of each, a scheme's top concepts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from api import payloads as p
from api.http import parameters
from api.http.renderers import find_collection, find_scheme, respond, split_name
from api.payloads.listings import browse, listing_of
from api.rest.common import json_ok, wanted
from api.runtime.serving import current


async def schemes(request: Request) -> Response:
    snapshot = current(request).snapshot
    langs = wanted(request, snapshot)
    items = snapshot.index.schemes.values()
    return json_ok(
        request,
        lambda: p.SchemeList(items=[p.scheme_summary(snapshot, s, langs) for s in items]),
    )


async def scheme(request: Request) -> Response:
    snapshot = current(request).snapshot
    scheme_id, suffix = split_name(request.path_params["id"], snapshot.index.scheme)
    parameters.language(request)  # a bad ?lang= is a 400 even with If-None-Match: *
    return await respond(request, find_scheme(snapshot, scheme_id), suffix)


async def top_concepts(request: Request) -> Response:
    """A scheme's top concepts; withdrawn ones only with ``?deprecated=include``."""
    serving = current(request)
    snapshot = serving.snapshot
    found = find_scheme(snapshot, request.path_params["id"])
    ids = browse(serving).top_concepts(found.id, listing_of(request))
    langs = wanted(request, snapshot, (found.id,))
    return json_ok(
        request,
        lambda: p.TopConcepts(
            scheme=p.scheme_ref(found, langs),
            items=p.concept_refs(snapshot, ids, langs),
        ),
    )


async def collections(request: Request) -> Response:
    snapshot = current(request).snapshot
    langs = wanted(request, snapshot)
    items = snapshot.index.collections.values()
    return json_ok(
        request,
        lambda: p.CollectionList(items=[p.collection_summary(c, langs) for c in items]),
    )


async def collection(request: Request) -> Response:
    snapshot = current(request).snapshot
    collection_id, suffix = split_name(request.path_params["id"], snapshot.index.collection)
    parameters.language(request)  # a bad ?lang= is a 400 even with If-None-Match: *
    return await respond(request, find_collection(snapshot, collection_id), suffix)
