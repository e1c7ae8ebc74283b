"""A sessions module that ``test_http.py`` points ``/mcp`` at: the real one
(``api.protocols.mcp.sessions``), keeping every manager it makes, to count the starts."""

from __future__ import annotations

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from api.protocols.mcp import sessions
from api.runtime.serving import Runtime
from api.settings import Settings

made: list[StreamableHTTPSessionManager] = []


def session_manager(runtime: Runtime, settings: Settings) -> StreamableHTTPSessionManager:
    manager = sessions.session_manager(runtime, settings)
    made.append(manager)
    return manager
