"""HTTP caching: strong ETags (of the vocabulary digest, or of a body), ``If-None-Match``
→ 304, and the prepared responses that repeated requests replay.

Every cacheable answer goes through :func:`conditional` (or, for negotiated resources,
``renderers.respond``), so ETag, ``Cache-Control`` and 304 are decided in one place.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from api.http.headers import accept_languages, if_none_match_matches
from api.runtime.serving import current
from api.settings import Settings


def entity_tag(request: Request, variant: str) -> str:
    """A strong ETag: the vocabulary digest, the URL, the variant and the languages asked
    (parsed, so that two spellings of one preference share a tag)."""
    # Read from the ASGI scope: building request.url costs more than the hash.
    languages = accept_languages(request.headers.get("accept-language"))
    query = request.scope.get("query_string", b"").decode("latin-1")
    return tag_of(request, request.scope["path"], query, variant, ",".join(languages))


def tag_of(request: Request, *facts: str) -> str:
    """A strong ETag of the vocabulary digest, the origin absolute URLs are built on and
    ``facts`` (the rest a representation depends on)."""
    seed = "|".join((current(request).snapshot.digest, repr(origin(request)), *facts))
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def content_tag(request: Request, body: bytes, *facts: str) -> str:
    """A strong ETag of a representation's bytes, the origin and ``facts``, not of the
    vocabulary digest: a representation a reload leaves unchanged keeps its tag, so a cache
    in front revalidates it with a 304 instead of fetching it again (docs/deployment.md)."""
    seed = "|".join((repr(origin(request)), *facts)).encode() + b"|" + body
    return '"' + hashlib.sha256(seed).hexdigest()[:32] + '"'


def origin(request: Request) -> tuple[object, ...]:
    """What absolute URLs are built from (``request.base_url``), without building a URL: part
    of every ETag and cache key, so an answer made for one origin is never replayed to another
    (``http.hosts`` decides which origins there are)."""
    scope = request.scope
    # ASGI lets a server give its address as any two-item iterable (Starlette's TestClient
    # gives a list): a tuple of it, so the key hashes. tuple() of a tuple is that tuple.
    server = scope.get("server")
    address = None if server is None else tuple(server)
    return (scope["scheme"], request.headers.get("host"), address, scope["root_path"])


def not_modified(request: Request, etag: str) -> bool:
    """RFC 9110 §13.1.2: whether the client's ``If-None-Match`` names ``etag``."""
    header = request.headers.get("if-none-match")
    return header is not None and if_none_match_matches(header, etag)


def not_modified_response(request: Request, etag: str, headers: Mapping[str, str]) -> Response:
    response = Response(status_code=304, headers=dict(headers))
    add_cache_headers(request, response, etag)
    return response


def add_cache_headers(request: Request, response: Response, etag: str) -> None:
    settings: Settings = request.state.settings
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={settings.cache_max_age}"


def conditional(
    request: Request,
    variant: str,
    build: Callable[[], Response],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A cacheable answer: 304 when the client has this variant, else ``build()`` with
    ``headers``, ETag and ``Cache-Control``. Check parameters before calling this, so that a
    bad request is never a 304.

    A strong ETag promises the same bytes for the same facts, so the answer is kept under
    those facts (per snapshot, bounded) and replayed: ``build`` runs once per variant."""
    key, etag, early = _answered(request, variant, headers)
    return early if early is not None else _finished(request, key, build(), etag, headers)


async def conditional_async(
    request: Request,
    variant: str,
    build: Callable[[], Awaitable[Response]],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """:func:`conditional` for an answer made off the event loop: ``build`` is awaited only
    when the client does not have this variant already."""
    key, etag, early = _answered(request, variant, headers)
    return early if early is not None else _finished(request, key, await build(), etag, headers)


def _answered(
    request: Request, variant: str, headers: Mapping[str, str] | None
) -> tuple[tuple[object, ...], str, Response | None]:
    """The replay key and ETag of ``variant``, and the answer when nothing need be built:
    the kept one (or its 304), or a 304 for a client that has the variant already."""
    key, kept = _kept(request, variant)
    if kept is not None:
        return key, "", kept
    etag = entity_tag(request, variant)
    if not_modified(request, etag):
        return key, etag, not_modified_response(request, etag, headers or {})
    return key, etag, None


#: Largest body :func:`conditional` keeps for replay (whole dumps have their own cache).
KEEP_LIMIT = 256 * 1024


Endpoint = Callable[[Request], Awaitable[Response]]

#: Where :func:`replaying` leaves the key it found nothing under, so that :func:`conditional`
#: does not look again (one miss is counted once).
_MISSED = "glossary.replay-missed"


def replaying(endpoint: Endpoint, variant: str = "json") -> Endpoint:
    """``endpoint``, answered from the answer :func:`conditional` kept for ``variant`` before
    the endpoint checks its parameters or finds its records.

    Safe because an answer is kept only once the endpoint has checked the parameters it was
    made for: a kept key means that the path and query string were valid for this snapshot
    (the same settings, the same records), so a bad request always reaches its 400 or 404.
    Only for endpoints whose answer depends on nothing but those facts (see :func:`_key`)."""

    @functools.wraps(endpoint)
    async def replayed(request: Request) -> Response:
        key, kept = _kept(request, variant)
        if kept is not None:
            mark_replayable(request)
            return kept
        request.scope[_MISSED] = key
        response = await endpoint(request)
        if response.status_code == 200 and key in current(request).caches.responses:
            mark_replayable(request)
        return response

    return replayed


#: Where an endpoint notes that its answer depends on nothing but the facts of the request
#: that ``api.http.front`` keys its replays on (path, query, origin, Accept,
#: Accept-Language), so the whole answer, as sent, may be replayed in front of the stack.
REPLAYABLE = "glossary.replayable"


def mark_replayable(request: Request) -> None:
    """Say that ``request``'s answer is a function of its URL, origin and negotiation
    headers alone, for this snapshot: what :func:`replaying` and ``renderers.respond``
    answer (never :func:`conditional` by itself: its variant may depend on more, such as
    ``/health``'s reload count)."""
    request.scope[REPLAYABLE] = True


def _key(request: Request, variant: str) -> tuple[object, ...]:
    """What an answer of ``variant`` is kept under: the facts its ETag is made of."""
    languages = accept_languages(request.headers.get("accept-language"))
    query = request.scope.get("query_string", b"")
    return ("conditional", request.scope["path"], query, variant, languages, origin(request))


def _kept(request: Request, variant: str) -> tuple[tuple[object, ...], Response | None]:
    """The replay key of ``variant`` and, when an answer is kept under it, that answer (or
    its 304)."""
    key = _key(request, variant)
    if request.scope.get(_MISSED) == key:  # looked for already, by :func:`replaying`
        return key, None
    prepared = current(request).caches.responses.get(key)
    if not isinstance(prepared, Prepared):
        return key, None
    return key, replay(prepared, request.headers.get("if-none-match"))


def _finished(
    request: Request,
    key: tuple[object, ...],
    response: Response,
    etag: str,
    headers: Mapping[str, str] | None,
) -> Response:
    response.headers.update(headers or {})
    add_cache_headers(request, response, etag)
    prepared = prepare(request, response, etag, headers or {})
    if prepared.body is not None and len(prepared.body) <= KEEP_LIMIT:
        current(request).caches.responses.put(key, prepared)
    return response


@dataclass(frozen=True)
class Prepared:
    """A rendered representation: its ETag, the raw headers of a 200 and of a 304, body."""

    etag: str
    status_code: int
    headers: tuple[tuple[bytes, bytes], ...]
    not_modified_headers: tuple[tuple[bytes, bytes], ...]
    body: bytes | None


class PreparedResponse(Response):
    """A response replayed from raw headers and body prepared earlier."""

    def __init__(
        self, status_code: int, headers: Sequence[tuple[bytes, bytes]], body: bytes = b""
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.background = None
        self.raw_headers = list(headers)  # a fresh list: middleware appends to it


def prepare(
    request: Request, response: Response, etag: str, headers: Mapping[str, str]
) -> Prepared:
    """What replaying ``response`` (and its 304) takes; ``body`` is ``None`` if streamed."""
    empty = not_modified_response(request, etag, headers)
    body = getattr(response, "body", None)  # streamed responses have none
    replayable = response.background is None and isinstance(body, bytes)
    return Prepared(
        etag=etag,
        status_code=response.status_code,
        headers=tuple(response.raw_headers),
        not_modified_headers=tuple(empty.raw_headers),
        body=body if replayable else None,
    )


def replay(prepared: Prepared, validator: str | None) -> Response | None:
    """The prepared answer (or its 304); ``None`` when it cannot be replayed."""
    if validator is not None and if_none_match_matches(validator, prepared.etag):
        return PreparedResponse(304, prepared.not_modified_headers)
    if prepared.body is None:
        return None
    return PreparedResponse(prepared.status_code, prepared.headers, prepared.body)
