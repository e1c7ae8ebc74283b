"""``/mcp``: the MCP streamable HTTP transport, the SDK's session manager behind an Origin
check, started on the first request.

Few deployments are asked over MCP, and the SDK costs 0.5 s of start-up and 49 MB of memory
to import, 0.2 s and 11 MB more to build the server. So this module imports none of it:
:meth:`Endpoint.running` (the app's lifespan) only records the runtime and opens a task
group; the first ``/mcp`` request imports :mod:`api.protocols.mcp.sessions` in a worker
thread, builds the server and its manager there, and starts a task in that group that runs
the manager until the lifespan ends. Requests arriving meanwhile wait on one lock, so one
manager starts; later requests go straight to it. A start that fails is a 503 problem, and
the next request tries again.

Security (MCP 2025-06-18, Transports §2.0.1 "Security Warning"): the ``Host`` header is
checked by ``api.http.hosts`` for every route (DNS rebinding needs a foreign host name), and
a request with an ``Origin`` is answered only from the service's own origin or one of the
``mcp_allowed_origins`` setting; desktop and server-side assistants send none. Bodies are
capped at what ``annotate_max_chars`` needs (``sessions.body_limit``).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import anyio
from anyio import to_thread
from anyio.abc import TaskGroup, TaskStatus
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from api.http.errors import Problem, ServiceUnavailable
from api.runtime.serving import Runtime
from api.settings import Settings

if TYPE_CHECKING:
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

logger = logging.getLogger("api")

#: The module that imports the SDK and makes the session manager: by name, imported on
#: first use (a name, so that a test can point it at a module that fails to import).
SESSIONS = "api.protocols.mcp.sessions"


class OriginNotAllowed(Problem):
    """A browser page of another origin: refused, as the MCP specification asks."""

    status, slug, title = 403, "origin-not-allowed", "Origin not allowed"


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
        self._runtime: Runtime | None = None
        self._tasks: TaskGroup | None = None
        self._starting = anyio.Lock()
        self._manager: StreamableHTTPSessionManager | None = None

    @contextlib.asynccontextmanager
    async def running(self, runtime: Runtime) -> AsyncIterator[None]:
        """Serve MCP from ``runtime`` (its current snapshot on each call) until exit; the
        manager itself starts on the first request (:meth:`started`)."""
        async with anyio.create_task_group() as tasks:
            self._runtime, self._tasks, self._starting = runtime, tasks, anyio.Lock()
            try:
                yield
            finally:
                self._runtime = self._tasks = self._manager = None
                tasks.cancel_scope.cancel()  # the manager's task, if one was started

    @property
    def manager(self) -> StreamableHTTPSessionManager | None:
        """The session manager serving requests, once the first one has started it."""
        return self._manager

    async def started(self) -> StreamableHTTPSessionManager:
        """The running manager, started by the first caller while the others wait."""
        if self._manager is not None:
            return self._manager
        async with self._starting:
            runtime, tasks = self._runtime, self._tasks
            if runtime is None or tasks is None:
                raise ServiceUnavailable("The MCP server is not running.")
            if self._manager is None:
                try:
                    made = await to_thread.run_sync(self._make, runtime)
                    await tasks.start(self._run, made)
                except Exception as error:  # any cause: the client can only try again
                    logger.exception("mcp: the server did not start")
                    raise ServiceUnavailable(
                        "The MCP server could not start; try again.",
                        headers={"Retry-After": "1"},
                    ) from error
                self._manager = made
            return self._manager

    def _make(self, runtime: Runtime) -> StreamableHTTPSessionManager:
        sessions = importlib.import_module(SESSIONS)
        made: StreamableHTTPSessionManager = sessions.session_manager(runtime, self.settings)
        return made

    async def _run(
        self, manager: StreamableHTTPSessionManager, *, task_status: TaskStatus[None]
    ) -> None:
        """Run ``manager`` until the lifespan cancels this task. A failure before it is ready
        goes to the request starting it; one after stops only MCP (the next request starts
        another manager), never the lifespan's task group."""
        try:
            async with manager.run():
                task_status.started()
                await anyio.sleep_forever()
        except Exception:
            if self._manager is not manager:
                raise
            logger.exception("mcp: the session manager stopped")
            self._manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Raised problems reach the app's one error handler (the router's exception middleware).
        if self._tasks is None:
            raise ServiceUnavailable("The MCP server is not running.")
        if not allowed(Request(scope), self.settings):
            raise OriginNotAllowed("This origin may not call /mcp (mcp_allowed_origins).")
        manager = await self.started()
        await manager.handle_request(scope, receive, send)
