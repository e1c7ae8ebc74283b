"""The error hierarchy and its one body shape: RFC 9457 problem details.

Every error the service returns, 4xx or 5xx, unknown routes and 405 included, goes
through :func:`handle_error`, so clients parse one shape. Messages never carry paths,
hosts or tracebacks.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api.http.negotiation import HTML, JSON, negotiate

logger = logging.getLogger("api")

#: Problem types (docs/errors.md) are relative references, resolved against the service
#: that answered: the same string from every deployment and every vocabulary, naming no
#: vocabulary (RFC 9457 §3.1.1 allows a relative ``type``; clients compare the string).
PROBLEM_TYPE_BASE = "/problem-types/"


#: What a client hanging up mid-request raises: Starlette's while reading the body, anyio's
#: when a stream to or from it breaks. Routine on the internet, so never a traceback.
DISCONNECTS: tuple[type[Exception], ...] = (
    ClientDisconnect,
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    anyio.EndOfStream,
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(value: str) -> str:
    """``value`` with lone surrogates (which no UTF-8 encoder accepts) replaced by U+FFFD,
    so that echoing a client's text in an error can never fail to encode."""
    return _SURROGATE.sub("\ufffd", value)


class ProblemResponse(JSONResponse):
    media_type = "application/problem+json"

    def render(self, content: Any) -> bytes:
        # A detail may quote what the client sent, lone surrogates included (a JSON body's
        # "\ud800"): those become U+FFFD rather than an error while reporting an error.
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return printable(text).encode()


class Problem(Exception):
    """An error with an HTTP status on its class and an RFC 9457 body."""

    status: int = 500
    slug: ClassVar[str] = "internal-error"
    title: str = "Internal server error"

    def __init__(
        self,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        status: int | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        if status is not None:  # only for HTTP errors raised outside our hierarchy
            self.status, self.title = status, HTTPStatus(status).phrase
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = extensions

    @property
    def type(self) -> str:
        return PROBLEM_TYPE_BASE + self.slug

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance is not None:
            body["instance"] = instance
        body.update(self.extensions)
        return body


class MultipleChoices(Problem):
    """An id that names several resources (a bare concept id two loaded vocabularies share):
    RFC 9110 §15.4.1's 300, whose body lists the choices, each a link (built per request)."""

    status, slug, title = 300, "multiple-choices", "Multiple choices"

    def __init__(self, detail: str, route: str, choices: Sequence[str]) -> None:
        super().__init__(detail)
        self.route, self.choices = route, tuple(choices)

    def links(self, request: Request) -> list[dict[str, str]]:
        return [
            {"id": choice, "href": str(request.url_for(self.route, id=choice))}
            for choice in self.choices
        ]


class BadRequest(Problem):
    status, slug, title = 400, "bad-request", "Bad request"


class InvalidParameter(BadRequest):
    """A query parameter has a value we cannot use; the body names the parameter."""

    slug, title = "invalid-parameter", "Invalid parameter"

    def __init__(self, name: str, reason: str, **extensions: Any) -> None:
        super().__init__(
            f"Parameter '{name}': {reason}",
            invalid_params=[{"name": name, "reason": reason}],
            **extensions,
        )


class NotFound(Problem):
    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(Problem):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class NotAcceptable(Problem):
    """No representation the client accepts; the body lists what is offered."""

    status, slug, title = 406, "not-acceptable", "Not acceptable"

    def __init__(self, offered: Sequence[str]) -> None:
        super().__init__(
            "None of the media types in Accept is offered for this resource.",
            offered=list(offered),
        )


class PayloadTooLarge(Problem):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(Problem):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class UnprocessableContent(Problem):
    status, slug, title = 422, "unprocessable-content", "Unprocessable content"


class ServiceUnavailable(Problem):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


class ClientDisconnected(BadRequest):
    """The client hung up before the request was read; nobody will read this answer."""

    slug, title = "client-disconnected", "Client disconnected"


class QueryTimeout(Problem):
    status, slug, title = 504, "query-timeout", "Query timed out"


def from_http_exception(error: HTTPException) -> Problem:
    """Map Starlette's own errors (unknown route, 405, ...) onto our hierarchy."""
    for kind in (NotFound, MethodNotAllowed, BadRequest, PayloadTooLarge, UnsupportedMediaType):
        if kind.status == error.status_code:
            detail = error.detail if error.detail != HTTPStatus(error.status_code).phrase else None
            return kind(detail or _default_detail(error.status_code), headers=error.headers)
    phrase = HTTPStatus(error.status_code).phrase
    return Problem(phrase, headers=error.headers, status=error.status_code)


def _default_detail(status: int) -> str:
    return {
        404: "There is nothing at this URL.",
        405: "This URL does not support that method.",
    }.get(status, HTTPStatus(status).phrase)


def as_problem(error: Exception) -> Problem:
    """Whatever was raised, as a :class:`Problem`; unexpected errors become a bare 500."""
    if isinstance(error, Problem):
        return error
    if isinstance(error, HTTPException):
        return from_http_exception(error)
    if isinstance(error, DISCONNECTS):
        return disconnected(error)
    logger.exception("unexpected error", exc_info=error)
    return Problem("The server met an unexpected error; it has been logged.")


def disconnected(error: Exception) -> ClientDisconnected:
    """Logged at INFO, without a traceback: a client going away is not our error."""
    logger.info("client disconnected (%s)", type(error).__name__)
    return ClientDisconnected("The client disconnected before the request was answered.")


async def handle_error(request: Request, error: Exception) -> Response:
    """The one exception handler: a problem+json body, or a small HTML page for browsers."""
    problem = as_problem(error)
    return problem_response(request, problem)


#: What renders a problem as a page for browsers, inside the site (the pages surface's
#: ``api.pages.errors.error_page``, handed down in the lifespan state as ``error_page``: this
#: layer may not import the pages). Given the request, the problem and its choices.
ErrorPage = Callable[[Request, Problem, Sequence[Mapping[str, str]]], str]


def problem_response(request: Request, problem: Problem) -> Response:
    headers = dict(problem.headers)
    headers["Cache-Control"] = "no-store"
    choices = problem.links(request) if isinstance(problem, MultipleChoices) else []
    decision = negotiate((JSON, HTML), JSON, accept=request.headers.get("accept"))
    if decision is not None and decision.format is HTML:
        # The body depends on Accept (and the page's words on Accept-Language), though
        # no-store keeps it out of caches anyway.
        headers["Vary"] = "Accept, Accept-Language"
        page = error_page(request, problem, choices)
        return HTMLResponse(page, status_code=problem.status, headers=headers)
    body = problem.body(instance=request.url.path)
    if choices:
        body["choices"] = choices
    return ProblemResponse(body, status_code=problem.status, headers=headers)


def error_page(request: Request, problem: Problem, choices: Sequence[Mapping[str, str]]) -> str:
    """The site's error page when the app has one (and it renders), else a bare page: an
    error while reporting an error must not become a 500 of its own."""
    state = request.scope.get("state") or {}
    render: ErrorPage | None = state.get("error_page")
    if render is not None:
        try:
            return render(request, problem, choices)
        except Exception:  # logged; the bare page still answers
            logger.exception("the error page could not be rendered")
    return _html_page(problem, choices)


def _html_page(problem: Problem, choices: Sequence[Mapping[str, str]] = ()) -> str:
    title = html.escape(f"{problem.status} {problem.title}")
    detail = html.escape(printable(problem.detail))
    links = "".join(
        f'<li><a href="{html.escape(c["href"])}">{html.escape(c["id"])}</a></li>' for c in choices
    )
    listed = f"<ul>{links}</ul>" if links else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1><p>{detail}</p>{listed}"
        '<p><a href="/">Home</a></p></main></body></html>'
    )
