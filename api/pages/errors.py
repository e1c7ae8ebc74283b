"""Error pages for browsers, inside the site: the layout, a search box and, for a concept
that is not there, the concepts the search index finds for the id ("did you mean").

``api.http.errors`` decides when a problem is answered as HTML and calls
:func:`error_page` (handed to it in the lifespan state: that layer may not import this one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from starlette.requests import Request

from api.http.errors import Problem
from api.languages import parse_accept_language
from api.pages.templating import Page, page_for, render
from api.pages.translations import N_
from api.runtime.serving import current

#: Most "did you mean" suggestions an error page lists.
SUGGESTIONS = 5
#: Longest path segment read for suggestions (longer ones are cut).
QUERY_LIMIT = 100
#: A format suffix on a resource id (``co-design.html``).
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")
#: Path segments that name what the next segment identifies.
_RESOURCES = ("concepts", "collections", "schemes")

#: What each status says in plain words (GOV.UK's error pages where they have one).
TITLES = {
    300: N_("More than one page has this address"),
    400: N_("There is a problem with the request"),
    404: N_("Page not found"),
    405: N_("This address cannot be used that way"),
    406: N_("This page is not available in the format asked for"),
    413: N_("The request is too large"),
    415: N_("The request is in a format this service cannot read"),
    422: N_("The request could not be understood"),
    429: N_("Too many requests: please wait a moment and try again"),
    500: N_("Sorry, there is a problem with the service"),
    503: N_("Sorry, the service is unavailable"),
    504: N_("Sorry, the request took too long"),
}


def searched_words(path: str) -> str:
    """What a reader who reached a missing ``path`` was probably looking for: the id after
    ``/concepts/`` (or a scheme or collection), else the last segment, with its format
    suffix dropped and ``-``/``_`` read as spaces."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return ""
    after = [segments[i + 1] for i, s in enumerate(segments[:-1]) if s in _RESOURCES]
    segment = (after or segments[-1:])[0][:QUERY_LIMIT]
    return re.sub(r"[-_+]+", " ", _SUFFIX.sub("", segment)).strip()


def reader_page(request: Request) -> Page:
    """The page's languages, as for any page; by ``Accept-Language`` alone when the
    request's ``?lang=`` is what was wrong."""
    snapshot = current(request).snapshot
    try:
        return page_for(request, snapshot)
    except Problem:
        preferred = parse_accept_language(request.headers.get("accept-language"))
        return Page(request, snapshot, preferred, snapshot.index.default_language)


def error_page(request: Request, problem: Problem, choices: Sequence[Mapping[str, str]]) -> str:
    """The error page for a browser: what went wrong in plain words, the problem's own
    detail, the choices of a 300, suggestions for a 404, and a search box."""
    page = reader_page(request)
    words = searched_words(request.url.path) if problem.status == 404 else ""
    hits = page.index.search(words, limit=SUGGESTIONS) if words else ()
    title = TITLES.get(problem.status)
    response = render(
        page,
        "error.html",
        problem=problem,
        title=page.gettext(title) if title else None,
        choices=choices,
        suggestions=list(dict.fromkeys(hit.concept for hit in hits)),
        query=words,
    )
    return bytes(response.body).decode()
