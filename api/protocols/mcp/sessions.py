"""The SDK's side of ``/mcp``: the server built on a runtime, and its session manager.

Imported by :class:`api.protocols.mcp.http.Endpoint` on the first ``/mcp`` request, in a
worker thread (this module imports the SDK: 0.5 s and 49 MB that a service nobody asks
over MCP never pays). Stateless and answering in JSON: every POST is a whole exchange, no
session is kept between requests, so memory stays flat however many assistants call and
any worker may answer. The SDK's own host and origin check is off: ``api.http.hosts`` and
the endpoint's ``Origin`` check do that for every route.
"""

from __future__ import annotations

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings

from api.protocols.mcp.server import build_server
from api.runtime.serving import Runtime
from api.settings import Settings

#: Worst case bytes of JSON per character of text (a ``\\uXXXX\\uXXXX`` escape), as /annotate.
_JSON_BYTES_PER_CHAR = 12
_OFF = TransportSecuritySettings(enable_dns_rebinding_protection=False)


def body_limit(settings: Settings) -> int:
    """Enough for an ``annotate`` call of the longest text allowed, and its envelope."""
    return settings.annotate_max_chars * _JSON_BYTES_PER_CHAR + 65_536


def session_manager(runtime: Runtime, settings: Settings) -> StreamableHTTPSessionManager:
    """A new manager (the SDK runs each one once) serving ``runtime``'s current snapshot on
    each call, so one manager serves every reload."""
    server = build_server(lambda: runtime.current, settings)
    server.streamable_http_app(
        stateless_http=True, json_response=True, transport_security=_OFF,
        max_request_body_size=body_limit(settings),
    )  # fmt: skip
    return server.session_manager
