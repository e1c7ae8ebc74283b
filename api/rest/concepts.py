"""Concepts: the paged list, one concept, and its relations, hierarchy and distinctions."""

from __future__ import annotations

from typing import Literal

from starlette.requests import Request
from starlette.responses import Response

from api import payloads as p
from api.http import parameters
from api.http.parameters import decode_cursor, encode_cursor, slice_page
from api.http.renderers import find_concept, respond, split_name
from api.model import Concept
from api.payloads.listings import browse, listing_of
from api.rest.common import collection_filter, json_ok, scheme_filter, settings_of, wanted
from api.runtime.serving import current
from api.runtime.snapshot import Snapshot

Relation = Literal["broader", "narrower", "related"]


async def concepts(request: Request) -> Response:
    """A page of concepts in the read model's stable order (or by notation), optionally
    filtered; withdrawn concepts only with ``?deprecated=include``."""
    serving, settings = current(request), settings_of(request)
    snapshot = serving.snapshot
    scheme_id = scheme_filter(request, snapshot)
    collection_id = collection_filter(request, snapshot)
    limit = parameters.integer(
        request, "limit", default=min(settings.page_size, settings.max_page_size),
        minimum=1, maximum=settings.max_page_size,
    )  # fmt: skip
    listing = listing_of(request, own_order=collection_id is not None)
    ids = browse(serving).concepts(listing, scheme_id, collection_id)
    cursor = parameters.text(request, "cursor", required=False)
    offset = 0 if cursor is None else decode_cursor(cursor, snapshot.index.digest, len(ids))
    page = slice_page(ids, offset, limit)
    langs = wanted(request, snapshot, (scheme_id,) if scheme_id else ())
    next_url = None
    if page.next_offset is not None:
        token = encode_cursor(page.next_offset, snapshot.index.digest)
        query = {**request.query_params, "cursor": token}
        next_url = str(request.url_for("concepts").include_query_params(**query))
    headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
    return json_ok(
        request,
        lambda: p.ConceptPage(
            items=p.concept_refs(snapshot, page.items, langs),
            total=page.total,
            limit=limit,
            next=next_url,
        ),
        headers,
    )


async def concept(request: Request) -> Response:
    snapshot = current(request).snapshot
    concept_id, suffix = split_name(request.path_params["id"], snapshot.index.concept)
    parameters.language(request)  # a bad ?lang= is a 400 even with If-None-Match: *
    return await respond(request, find_concept(snapshot, concept_id), suffix)


async def broader(request: Request) -> Response:
    return relations(request, "broader")


async def narrower(request: Request) -> Response:
    return relations(request, "narrower")


async def related(request: Request) -> Response:
    return relations(request, "related")


def relations(request: Request, relation: Relation) -> Response:
    """Direct (or, with ``?transitive=true``, all) broader/narrower/related concepts."""
    snapshot, settings = current(request).snapshot, settings_of(request)
    found = find_concept(snapshot, request.path_params["id"])
    transitive = relation != "related" and parameters.boolean(request, "transitive")
    langs = wanted(request, snapshot, found.schemes)
    cap = settings.max_transitive
    ids = related_ids(snapshot, found, relation, transitive, cap)
    return json_ok(
        request,
        lambda: p.Relations(
            concept=p.concept_ref(snapshot, found.id, langs),
            relation=relation,
            transitive=transitive,
            truncated=len(ids) > cap,
            items=p.concept_refs(snapshot, ids[:cap], langs),
        ),
    )


def related_ids(
    snapshot: Snapshot, found: Concept, relation: Relation, transitive: bool, cap: int
) -> tuple[str, ...]:
    """The ids to list, one more than ``cap`` when there are more (so ``truncated`` can say)."""
    index = snapshot.index
    if relation == "broader":
        return index.broader_transitive(found.id, limit=cap + 1) if transitive else found.broader
    if relation == "narrower":
        return index.narrower_transitive(found.id, limit=cap + 1) if transitive else found.narrower
    return found.related


async def hierarchy(request: Request) -> Response:
    """Every path from a top of the hierarchy down to the concept, within ``max_transitive``
    concepts in all (``truncated`` says when some were left out)."""
    snapshot, settings = current(request).snapshot, settings_of(request)
    found = find_concept(snapshot, request.path_params["id"])
    langs = wanted(request, snapshot, found.schemes)
    paths = snapshot.index.hierarchy(found.id, max_concepts=settings.max_transitive)
    return json_ok(
        request,
        lambda: p.Hierarchy(
            concept=p.concept_ref(snapshot, found.id, langs),
            truncated=paths.cut,
            paths=[p.concept_refs(snapshot, path, langs) for path in paths.paths],
        ),
    )


async def distinctions(request: Request) -> Response:
    """What the concept is distinguished from, and what is distinguished from it."""
    snapshot = current(request).snapshot
    found = find_concept(snapshot, request.path_params["id"])
    langs = wanted(request, snapshot, found.schemes)
    return json_ok(
        request,
        lambda: p.Distinctions(
            concept=p.concept_ref(snapshot, found.id, langs),
            items=[p.distinction(snapshot, d, langs) for d in found.distinctions],
        ),
    )
