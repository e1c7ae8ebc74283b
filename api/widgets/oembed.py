"""oEmbed (https://oembed.com): what ``/oembed?url=&format=json`` (routed in ``api.widgets.embeds``)
answers, a ``rich`` embed whose HTML is an iframe of the concept's card; concept pages link
it for discovery.

Only JSON is offered: ``format=xml`` is a 501 problem, as oEmbed §2.3.4 asks. A URL is
known when it is a concept's IRI, or its page or card on this service (by the request's
host, or the public base URL).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

from api.build.index import Index
from api.http import parameters
from api.http.errors import Problem
from api.model import Concept
from api.pages.snippets import iframe
from api.pages.templating import Page
from api.settings import Settings

_CONCEPT_PATH = re.compile(r"concepts/(?P<id>[A-Za-z0-9_-]+)(?:\.html|/card)?/?")


class NotImplementedFormat(Problem):
    """oEmbed §2.3.4: a provider answers 501 for a response format it does not offer."""

    status, slug, title = 501, "not-implemented", "Not implemented"


def concept_for_url(request: Request, index: Index, url: str) -> Concept | None:
    """The concept a URL names: its IRI, or its page (or card) on this service."""
    found = index.concept_by_iri(url)
    if found is not None:
        return found
    parts, home = urlsplit(url), urlsplit(str(request.url_for("home")))
    settings: Settings = request.state.settings
    bases = {(home.netloc, home.path)}
    if settings.public_base_url:
        public = urlsplit(settings.public_base_url)
        bases.add((public.netloc, public.path))
    for netloc, path in bases:
        if parts.netloc == netloc and parts.path.startswith(path):
            match = _CONCEPT_PATH.fullmatch(parts.path[len(path) :])
            if match is not None:
                return index.concepts.get(match["id"])
    return None


def dimension(request: Request, name: str, default: int) -> int:
    """oEmbed §2.2: the card may be smaller than ``maxwidth``/``maxheight``, never larger."""
    return min(default, parameters.integer(request, name, default=default, minimum=1,
                                           maximum=100_000))  # fmt: skip


def oembed_body(page: Page, concept: Concept, width: int, height: int) -> dict[str, Any]:
    label = page.label(concept.id).value
    card = page.url("concept-card", id=concept.id)
    frame = iframe(card, label, width, height)
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
