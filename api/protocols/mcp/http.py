"""``/mcp``: the MCP streamable HTTP transport, the SDK's session manager behind an Origin
check.

Stateless and answering in JSON: every POST is a whole exchange, no session is kept between
requests, so memory stays flat however many assistants call and any worker may answer. The
server and its session manager are made inside the app's lifespan (:meth:`Endpoint.running`),
where the runtime exists, and the manager runs only there (the SDK allows one run per
manager, so a restarted lifespan makes a new one).

Security (MCP 2025-06-18, Transports §2.0.1 "Security Warning"): the ``Host`` header is
checked by ``api.http.hosts`` for every route (DNS rebinding needs a foreign host name), and
a request with an ``Origin`` is answered only from the service's own origin or one of the
``mcp_allowed_origins`` setting; desktop and server-side assistants send none. The SDK's own
host and origin check is therefore off. Bodies are capped at what ``annotate_max_chars``
needs.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from api.http.errors import Problem, ServiceUnavailable
from api.protocols.mcp.server import build_server
from api.runtime.serving import Runtime
from api.settings import Settings

#: Worst case bytes of JSON per character of text (a ``\\uXXXX\\uXXXX`` escape), as /annotate.
_JSON_BYTES_PER_CHAR = 12
_OFF = TransportSecuritySettings(enable_dns_rebinding_protection=False)


class OriginNotAllowed(Problem):
    """A browser page of another origin: refused, as the MCP specification asks."""

    status, slug, title = 403, "origin-not-allowed", "Origin not allowed"


def body_limit(settings: Settings) -> int:
    """Enough for an ``annotate`` call of the longest text allowed, and its envelope."""
    return settings.annotate_max_chars * _JSON_BYTES_PER_CHAR + 65_536


def allowed(request: Request, settings: Settings) -> bool:
    """Whether the request's ``Origin`` (if any) may call ``/mcp``."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    permitted = settings.mcp_allowed_origins
    return origin == own or "*" in permitted or origin in permitted


class Endpoint:
    """The ASGI app routed at ``/mcp``; answers 503 outside :meth:`running`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._manager: StreamableHTTPSessionManager | None = None

    @contextlib.asynccontextmanager
    async def running(self, runtime: Runtime) -> AsyncIterator[None]:
        """Serve MCP from ``runtime`` (its current snapshot on each call) until exit."""
        server = build_server(lambda: runtime.current, self.settings)
        server.streamable_http_app(
            stateless_http=True, json_response=True, transport_security=_OFF,
            max_request_body_size=body_limit(self.settings),
        )  # fmt: skip
        manager = server.session_manager
        async with manager.run():
            self._manager = manager
            try:
                yield
            finally:
                self._manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Raised problems reach the app's one error handler (the router's exception middleware).
        if self._manager is None:
            raise ServiceUnavailable("The MCP server is not running.")
        if not allowed(Request(scope), self.settings):
            raise OriginNotAllowed("This origin may not call /mcp (mcp_allowed_origins).")
        await self._manager.handle_request(scope, receive, send)
