"""Definitions inside other sites: ``/embed.js``, the framable card and its oEmbed.

``/embed.js`` defines the ``<glossary-term>`` web component (``pages/static/embed.js``),
which fetches a concept's JSON from this service with CORS. The card
(``/concepts/{id}/card``) is the one page any site may frame (see ``api.http.security``).
oEmbed (https://oembed.com) answers ``/oembed?url=&format=json`` with a ``rich`` embed whose
HTML is an iframe of the card, as wide as ``maxwidth`` allows (the card's widest unless less)
and as tall as the card's text at that width (``api.pages.fitting``), within ``maxheight``;
concept pages link it for discovery. Only JSON is offered:
``format=xml`` is a 501 problem, as oEmbed §2.3.4 asks. A URL is known when it is a
concept's IRI, or its page or card on this service (by the request's host, or the public
base URL).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.build.index import Index
from api.http import parameters
from api.http.errors import InvalidParameter, NotFound, Problem
from api.http.headers import if_none_match_matches
from api.http.renderers import find_concept
from api.model import Concept
from api.pages.fitting import card_height
from api.pages.snippets import CARD_WIDTH, card_html, iframe
from api.pages.templating import Page, cached, page_for
from api.runtime.serving import current
from api.settings import Settings
from api.widgets import script


async def embed_script(request: Request) -> Response:
    """``/embed.js``: the web component with its words in every interface language,
    cacheable, usable from any origin."""
    settings: Settings = request.state.settings
    served = script.embed_script()
    headers = {"Cache-Control": f"public, max-age={settings.cache_max_age}", "ETag": served.etag}
    matches = request.headers.get("if-none-match")
    if matches is not None and if_none_match_matches(matches, served.etag):
        return Response(status_code=304, headers=headers)
    return Response(served.body, media_type="text/javascript", headers=headers)


async def card(request: Request) -> Response:
    """``/concepts/{id}/card``: the label, the definition (or, for an entry without one,
    what the glossary does say of it) and a link, small enough to frame; a withdrawn
    concept's says so and names what replaces it."""
    snapshot = current(request).snapshot
    concept = find_concept(snapshot, request.path_params["id"])
    page = page_for(request, snapshot, snapshot.index.language(concept))
    return cached(request, lambda: HTMLResponse(card_html(page, concept)))


async def oembed(request: Request) -> Response:
    """``/oembed?url=&format=json``: a ``rich`` oEmbed answer whose HTML frames the card."""
    snapshot = current(request).snapshot
    url = parameters.required_text(request, "url", max_length=parameters.MAX_IRI)
    if parameters.choice(request, "format", ("json", "xml"), "json") == "xml":
        raise NotImplementedFormat("Only format=json is offered.")
    concept = concept_for_url(request, snapshot.index, url)
    if concept is None:
        raise NotFound("That URL is not a concept of this service.")
    width = dimension(request, "maxwidth", CARD_WIDTH)
    most = parameters.integer(request, "maxheight", default=MAX_HEIGHT, minimum=1,
                              maximum=MAX_HEIGHT)  # fmt: skip
    page = page_for(request, snapshot, snapshot.index.language(concept))

    def answer() -> Response:
        height = min(most, card_height(card_html(page, concept), width))
        return JSONResponse(oembed_body(page, concept, width, height))

    return cached(request, answer)


# oEmbed --------------------------------------------------------------------------------


_CONCEPT_PATH = re.compile(r"concepts/(?P<id>[A-Za-z0-9._~-]+?)(?:\.html|/card)?/?")


class NotImplementedFormat(Problem):
    """oEmbed §2.3.4: a provider answers 501 for a response format it does not offer."""

    status, slug, title = 501, "not-implemented", "Not implemented"


def concept_for_url(request: Request, index: Index, url: str) -> Concept | None:
    """The concept a URL names: its IRI, or its page (or card) on this service."""
    found = index.concept_by_iri(url)
    if found is not None:
        return found
    try:
        parts = urlsplit(url)
    except ValueError:  # such as an unclosed IPv6 literal, "http://[::1"
        raise InvalidParameter("url", "must be a URL, such as https://example.org/x") from None
    home = urlsplit(str(request.url_for("home")))
    settings: Settings = request.state.settings
    bases = {(home.netloc, home.path)}
    if settings.public_base_url:
        public = urlsplit(settings.public_base_url)
        bases.add((public.netloc, public.path))
    for netloc, path in bases:
        if parts.netloc == netloc and parts.path.startswith(path):
            match = _CONCEPT_PATH.fullmatch(parts.path[len(path) :])
            if match is not None:
                return index.concept(match["id"])
    return None


#: The largest ``maxwidth``/``maxheight`` read; larger ones mean the same as no limit.
MAX_HEIGHT = 100_000


def dimension(request: Request, name: str, default: int) -> int:
    """oEmbed §2.2: the card may be smaller than ``maxwidth``/``maxheight``, never larger."""
    return min(default, parameters.integer(request, name, default=default, minimum=1,
                                           maximum=100_000))  # fmt: skip


def oembed_body(page: Page, concept: Concept, width: int, height: int) -> dict[str, Any]:
    label = page.label(concept.id).value
    card = page.url("concept-card", id=concept.id)
    frame = iframe(card, label, width, height)
    if concept.deprecated:
        label += " (withdrawn)"
    settings: Settings = page.request.state.settings
    return {
        "version": "1.0",
        "type": "rich",
        "title": label,
        "provider_name": page.site_name.value,
        "provider_url": page.url("home"),
        "cache_age": settings.cache_max_age,
        "html": frame,
        "width": width,
        "height": height,
    }
