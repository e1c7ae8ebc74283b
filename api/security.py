"""Security headers on every response, as a pure ASGI middleware (no body buffering).

One content security policy for the whole service, with no ``unsafe-inline``: pages load
their scripts and styles from ``/static``; JSON-LD is a data block, which ``script-src``
does not govern. Two routes differ, chosen by path: the concept card may be framed by any
site, and GraphiQL (a third-party page that loads React from a CDN and runs inline scripts)
gets a policy of its own. A header the endpoint already set is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
#: GraphiQL: strawberry's page pulls React and GraphiQL from unpkg and runs inline scripts.
GRAPHIQL = _policy(
    {
        **_BASE,
        "script-src": "'self' 'unsafe-inline' https://unpkg.com",
        "style-src": "'self' 'unsafe-inline' https://unpkg.com",
        "font-src": "'self' data: https://unpkg.com",
        "img-src": "'self' data: https://unpkg.com",
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


class SecurityHeadersMiddleware:
    """Adds :func:`security_headers` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                media_type = headers.get("content-type", "").split(";")[0].strip().lower()
                for name, value in security_headers(path, media_type, https).items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
