"""Definitions inside other sites: ``/embed.js``, the framable card and its oEmbed.

``/embed.js`` defines the ``<glossary-term>`` web component (``pages/static/embed.js``),
which fetches a concept's JSON from this service with CORS. The card
(``/concepts/{id}/card``) is the one page any site may frame (see ``api.http.security``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from api.http import parameters
from api.http.errors import InvalidParameter, NotFound
from api.http.renderers import find_concept
from api.pages.snippets import CARD_HEIGHT, CARD_WIDTH
from api.pages.templating import STATIC, cached, page_for, render
from api.runtime.serving import current
from api.settings import Settings
from api.widgets.oembed import NotImplementedFormat, concept_for_url, dimension, oembed_body

EMBED_SCRIPT = STATIC / "embed.js"


async def embed_script(request: Request) -> Response:
    """``/embed.js``: the web component, cacheable, usable from any origin."""
    settings: Settings = request.state.settings
    headers = {"Cache-Control": f"public, max-age={settings.cache_max_age}"}
    return FileResponse(EMBED_SCRIPT, media_type="text/javascript", headers=headers)


async def card(request: Request) -> Response:
    """``/concepts/{id}/card``: the label, definition and a link, small enough to frame."""
    snapshot = current(request).snapshot
    concept = find_concept(snapshot, request.path_params["id"])
    page = page_for(request, snapshot, snapshot.index.language(concept))
    return cached(request, lambda: render(page, "card.html", concept=concept))


async def oembed(request: Request) -> Response:
    """``/oembed?url=&format=json``: a ``rich`` oEmbed answer whose HTML frames the card."""
    snapshot = current(request).snapshot
    url = parameters.required_text(request, "url", max_length=parameters.MAX_IRI)
    fmt = request.query_params.get("format", "json")
    if fmt == "xml":
        raise NotImplementedFormat("Only format=json is offered.")
    if fmt != "json":
        raise InvalidParameter("format", "must be json")
    concept = concept_for_url(request, snapshot.index, url)
    if concept is None:
        raise NotFound("That URL is not a concept of this service.")
    width, height = (
        dimension(request, "maxwidth", CARD_WIDTH),
        dimension(request, "maxheight", CARD_HEIGHT),
    )
    page = page_for(request, snapshot, snapshot.index.language(concept))
    body = oembed_body(page, concept, width, height)
    return cached(request, lambda: JSONResponse(body))
