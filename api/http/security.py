"""Security headers on every response, as a pure ASGI middleware (no body buffering).

One content security policy for the whole service, with no ``unsafe-inline``: pages load
their scripts and styles from ``/static``; JSON-LD is a data block, which ``script-src``
does not govern. Two routes differ, chosen by path: the concept card may be framed by any
site, and GraphiQL (served from the service's own files, ``api/graphql/ide.py``, but styled
inline by React) gets a policy of its own. A header the endpoint already set is left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from types import MappingProxyType

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.errors import Problem, ProblemResponse
from api.runtime.lru import LRU


def _policy(directives: Mapping[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


_BASE = MappingProxyType(
    {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
)
#: Every page and API response.
STRICT = _policy(_BASE)
#: The card (``/concepts/{id}/card``): other sites frame it, so any ancestor may.
FRAMEABLE = _policy({**_BASE, "frame-ancestors": "*"})
#: GraphiQL: its scripts and styles are the service's own files (no CDN, no inline script);
#: React and CodeMirror set inline styles, and its stylesheet embeds fonts and icons.
GRAPHIQL = _policy(
    {
        **_BASE,
        "style-src": "'self' 'unsafe-inline'",
        "font-src": "'self' data:",
    }
)

_CARD = re.compile(r"^/concepts/[A-Za-z0-9_-]+/card/?$")
# Paths other sites load as subresources (a script tag, a stylesheet); CORP must allow that.
_SHARED = re.compile(r"^/(?:embed\.js|static/.*)$")
_GRAPHIQL_PATHS = frozenset(("/graphql", "/graphql/", "/graphiql"))

_COMMON = MappingProxyType(
    {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": (
            "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
            "microphone=(), payment=(), usb=()"
        ),
    }
)


def policy_for(path: str, media_type: str) -> str:
    """The ``Content-Security-Policy`` of a response to ``path`` with that content type."""
    if _CARD.match(path):
        return FRAMEABLE
    if path in _GRAPHIQL_PATHS and media_type == "text/html":
        return GRAPHIQL
    return STRICT


def security_headers(path: str, media_type: str, https: bool) -> dict[str, str]:
    """Every security header for one response (before any the endpoint set itself)."""
    frameable = _CARD.match(path) is not None
    headers = {**_COMMON, "Content-Security-Policy": policy_for(path, media_type)}
    # Pages other than the card are ours alone; everything else is public and shareable.
    page = media_type == "text/html" and not frameable
    headers["Cross-Origin-Resource-Policy"] = (
        "cross-origin" if _SHARED.match(path) or not page else "same-origin"
    )
    if not frameable:
        headers["X-Frame-Options"] = "DENY"  # for browsers older than frame-ancestors
    if page:
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


#: CORS for a public, read-only API: any origin, no credentials. ``*`` is the same for every
#: origin, so responses need no ``Vary: Origin`` and stay shareable by caches.
EXPOSED_HEADERS = ("ETag", "Link", "Location", "Retry-After", "SPARQL-Results-Truncated")
CORS = MappingProxyType(
    {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": ", ".join(EXPOSED_HEADERS),
    }
)
PREFLIGHT_MAX_AGE = 86400


def unexpected_error_headers(path: str, media_type: str, https: bool) -> dict[str, str]:
    """Headers for a 500 answered by Starlette's outermost error middleware, which runs
    outside :class:`SecurityHeadersMiddleware` and so never passes through it."""
    return {**security_headers(path, media_type, https), **CORS}


def raw_problem(problem: Problem, https: bool) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The raw headers and body of a problem answered outside the app (by the connection
    protocol or a middleware in front of the router), with the headers the app would add."""
    body = json.dumps(problem.body(), separators=(",", ":")).encode()
    media_type = ProblemResponse.media_type
    headers = {
        **unexpected_error_headers("/", media_type, https),
        **problem.headers,
        "Content-Type": media_type,
        "Content-Length": str(len(body)),
        "Cache-Control": "no-store",
    }
    return list(_raw(headers)), body


ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"

RawHeaders = tuple[tuple[bytes, bytes], ...]


def _raw(headers: Mapping[str, str]) -> RawHeaders:
    return tuple(
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    )


def _path_kind(path: str) -> str:
    if _CARD.match(path):
        return "card"
    if path in _GRAPHIQL_PATHS:
        return "graphql"
    return "shared" if _SHARED.match(path) else "other"


#: Representative paths, one per kind, so headers are computed per kind, not per path.
_KIND_PATH = MappingProxyType(
    {"card": "/concepts/x/card", "graphql": "/graphql", "shared": "/embed.js", "other": "/"}
)


class SecurityHeadersMiddleware:
    """Adds :func:`security_headers` and CORS headers to every HTTP response; answers preflights.

    Pure ASGI and on every request, so it works on raw header tuples prepared once per
    (kind of path, media type, scheme) rather than building header objects per response.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # By kind of path, media type (ours, so few) and scheme: never by request headers.
        self._prepared: LRU[tuple[str, str, bool], RawHeaders] = LRU(256)

    def _headers_for(self, kind: str, content_type: bytes, https: bool) -> RawHeaders:
        media_type = content_type.decode("latin-1").split(";")[0].strip().lower()
        return self._prepared.get_or_make(
            (kind, media_type, https),
            lambda: _raw({**security_headers(_KIND_PATH[kind], media_type, https), **CORS}),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method"):
            await _preflight(scope, send)
            return
        kind = _path_kind(scope["path"])
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                content_type = next((v for n, v in raw if n.lower() == b"content-type"), b"")
                extra = self._headers_for(kind, content_type, https)
                raw.extend(item for item in extra if item[0] not in present)
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


async def _preflight(scope: Scope, send: Send) -> None:
    """A CORS preflight (Fetch standard §3.2.2): any origin may GET, HEAD and POST."""
    requested = _header(scope, b"access-control-request-headers") or b""
    headers = [
        (b"access-control-allow-origin", b"*"),
        (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
        (b"access-control-max-age", str(PREFLIGHT_MAX_AGE).encode()),
        (b"content-length", b"0"),
    ]
    if requested:
        headers.append((b"access-control-allow-headers", requested[:1000]))
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
