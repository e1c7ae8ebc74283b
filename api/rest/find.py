"""Finding concepts: by exact label, by ranked search, by IRI."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api import payloads as p
from api.http import parameters
from api.http.errors import InvalidParameter, NotFound
from api.model import Collection, Concept, Scheme
from api.rest.common import json_ok, scheme_filter, settings_of, wanted
from api.runtime.serving import current


async def lookup(request: Request) -> Response:
    """Concepts with exactly this label (ignoring case and accents), or with ``?notation=``
    exactly this notation (ignoring case); deprecated concepts too. 404 when none."""
    snapshot = current(request).snapshot
    label = parameters.text(request, "label", required=False)
    notation = parameters.text(request, "notation", required=False)
    if label is not None and notation is not None:
        raise InvalidParameter("notation", "cannot be given with 'label': look up one or the other")
    lang = parameters.language(request)
    scheme_id = scheme_filter(request, snapshot)
    langs = wanted(request, snapshot, (scheme_id,) if scheme_id else ())
    if notation is not None:
        found = snapshot.index.lookup_notation(notation, lang=lang, scheme=scheme_id)
        if not found:
            raise NotFound(f"No concept has the notation '{notation}'.")
        return json_ok(
            request,
            lambda: p.NotationLookupResult(
                notation=notation, items=[p.label_hit(snapshot, m, langs) for m in found]
            ),
        )
    if label is None:
        raise InvalidParameter("label", "is required (or 'notation', to look up a notation)")
    matches = snapshot.index.lookup(label, lang=lang, scheme=scheme_id)
    if not matches:
        raise NotFound(f"No concept has the label '{label}'.")
    return json_ok(
        request,
        lambda: p.LookupResult(
            label=label, items=[p.label_hit(snapshot, m, langs) for m in matches]
        ),
    )


async def search(request: Request) -> Response:
    """Ranked matches for autocomplete: notation, exact, prefix, word, substring, typo,
    definition; withdrawn concepts only with ``?deprecated=include``."""
    snapshot, settings = current(request).snapshot, settings_of(request)
    query = parameters.required_text(request, "q")
    lang = parameters.language(request)
    scheme_id = scheme_filter(request, snapshot)
    limit = parameters.integer(
        request, "limit", default=min(settings.page_size, settings.max_search_results),
        minimum=1, maximum=settings.max_search_results,
    )  # fmt: skip
    include_deprecated = parameters.include_deprecated(request)
    langs = wanted(request, snapshot, (scheme_id,) if scheme_id else ())

    def result() -> p.SearchResult:
        # Searched only when no answer is kept (``json_ok`` replays one made before).
        matches = snapshot.index.search(
            query, lang=lang, scheme=scheme_id, limit=limit, include_deprecated=include_deprecated
        )
        items = [p.label_hit(snapshot, m, langs) for m in matches]
        return p.SearchResult(query=query, limit=limit, items=items)

    return json_ok(request, result)


async def resolve(request: Request) -> Response:
    """303 See Other from a known IRI to the URL of its concept, scheme or collection."""
    iri = parameters.iri(request)
    found = current(request).index.resource_by_iri(iri)
    if found is None:
        raise NotFound("No concept, concept scheme or collection has this IRI.")
    route = {Concept: "concept", Scheme: "scheme", Collection: "collection"}[type(found)]
    return RedirectResponse(str(request.url_for(route, id=found.id)), status_code=303)
