"""The HTTP endpoint: strawberry's ASGI ``GraphQL`` view with our limits, caching and errors.

GET queries are cacheable: the ETag is a digest of the vocabulary and of the query string
(query, variables, operation name, persisted-query hash), so ``If-None-Match`` gets a 304
without running the query, and a CDN may keep the answer for ``cache_max_age`` seconds.

Strawberry hooks used: the documented ``get_context`` and ``process_result``, and
``__call__`` / ``run`` (the view's entry points). Three are not in strawberry's
documentation, so ``tests/graphql/test_view.py`` pins their signatures and the project
bounds strawberry's version: ``parse_http_body`` (to fill in automatic persisted queries
before strawberry refuses a request without a query), ``execute_single`` (to keep a
persisted query only once it ran) and ``should_render_graphql_ide`` (GraphiQL only for
browsers); ``render_graphql_ide`` (documented) serves GraphiQL from our own files (``ide``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult

from api.graphql import ide
from api.graphql.context import Context
from api.graphql.limits import MAX_REQUEST_BYTES, mask
from api.graphql.persisted import PersistedQueries, PersistedQueryError
from api.http import parameters
from api.http.bodies import BodyLimit
from api.http.caching import (
    PreparedResponse,
    add_cache_headers,
    not_modified,
    not_modified_response,
)
from api.http.errors import (
    DISCONNECTS,
    BadRequest,
    MethodNotAllowed,
    Problem,
    as_problem,
    disconnected,
    problem_response,
)

NO_STORE = "no-store"
#: Where :meth:`Endpoint.respond` leaves this request's context for ``get_context``.
CONTEXT_KEY = "glossary.graphql.context"
#: Set by ``process_result``: whether the answer came without errors (so may be replayed).
ANSWERED_KEY = "glossary.graphql.answered"
#: Largest answer kept for replay, in bytes.
REPLAY_LIMIT = 64 * 1024


@dataclass(frozen=True)
class Replay:
    """A whole error-free answer: replaying it skips strawberry's HTTP handling too."""

    status_code: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


#: Requests larger than this are not worth keeping an answer for (the key would be large).
RESULT_KEY_LIMIT = 4096
#: The one limit on a GraphQL request's size (query string or body).
REQUEST_LIMIT = BodyLimit(
    MAX_REQUEST_BYTES,
    f"GraphQL requests are limited to {MAX_REQUEST_BYTES:,} bytes; for long queries, "
    "register them once as persisted queries and send the hash.",
)


class Endpoint(GraphQL[Context, None]):
    """``/graphql``: queries by GET or POST, GraphiQL for browsers; no subscriptions."""

    def __init__(self, schema: BaseSchema) -> None:
        super().__init__(schema, graphql_ide="graphiql", subscription_protocols=())
        self.persisted = PersistedQueries()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "HEAD":  # RFC 9110 §9.3.2: GET's headers, without its body
            scope, send = {**scope, "method": "GET"}, without_body(send)
        request = Request(scope, REQUEST_LIMIT.wrap(receive))
        try:
            response = await self.respond(request)
        except DISCONNECTS as error:  # answered, not raised: the server would log a traceback
            response = problem_response(request, disconnected(error))
        except PersistedQueryError as error:
            response = JSONResponse(error.body(), error.status, {"Cache-Control": NO_STORE})
        except Problem as problem:
            response = problem_response(request, problem)
        except HTTPException as error:  # strawberry's, for requests it cannot read
            http_error = StarletteHTTPException(error.status_code, error.reason)
            response = problem_response(request, as_problem(http_error))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        """Run the request; for GET, answer 304 or add the caching headers."""
        if request.method not in ("GET", "POST"):  # __call__ made HEAD a GET
            raise MethodNotAllowed(
                "GraphQL answers GET, HEAD and POST.", headers={"Allow": "GET, HEAD, POST"}
            )
        refuse_oversized(request)
        if request.method == "GET":
            for name in GET_PARAMETERS:  # one value each, in UTF-8 (strawberry takes the last)
                parameters.value(request, name)
        context = Context.from_request(request)
        if not context.settings.graphql_ide and wants_ide(request.method, request.query_params,
                                                          request.headers):  # fmt: skip
            raise BadRequest(
                "GraphiQL is switched off on this service; send a query (see /docs/graphql)."
            )
        request.scope[CONTEXT_KEY] = context  # get_context reuses it rather than build another
        etag = entity_tag(context, request)
        if etag is not None and not_modified(request, etag):
            return not_modified_response(request, etag, {"Vary": "Accept"})
        # Whole answers are kept per snapshot: the same request over the same vocabulary gets
        # the same answer, and running strawberry costs ten times serving bytes.
        answers = context.serving.caches.answers
        key = await replay_key(request)
        kept = None if key is None else answers.get(key)
        if isinstance(kept, Replay):
            return PreparedResponse(kept.status_code, kept.headers, kept.body)
        response = await self.run(request, context=context)
        assert isinstance(response, Response)
        if request.method == "GET":
            response.headers["Vary"] = "Accept"
        if request.scope.get(ANSWERED_KEY) is not True:
            response.headers["Cache-Control"] = NO_STORE  # an error is not worth keeping
        elif etag is not None:
            add_cache_headers(request, response, etag)
        response.headers.setdefault("Cache-Control", NO_STORE)
        if key is not None and replayable(request, response):
            answers.put(
                key, Replay(response.status_code, tuple(response.raw_headers), bytes(response.body))
            )
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL from the service's own files (``ide``), not strawberry's CDN page."""
        return ide.page(request)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """GraphiQL only for a browser asking for a page (see :func:`wants_ide`)."""
        return wants_ide(request.method, request.query_params, request.headers)

    def decode_json(self, data: str | bytes) -> object:
        """JSON, or a 400: strawberry's ``parse_json`` turns only syntax errors into 400s,
        not a number past Python's int-to-str limit (4,300 digits) or a deep nesting."""
        try:
            return json.loads(data)
        except (ValueError, RecursionError) as error:
            too_long = isinstance(error, ValueError) and "digits" in str(error)
            reason = ": a number has more than 4,300 digits" if too_long else ""
            raise HTTPException(400, f"Unable to parse request body as JSON{reason}") from None

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request)  # no WebSocket route: there are no subscriptions
        context = request.scope.get(CONTEXT_KEY)
        return context if isinstance(context, Context) else Context.from_request(request)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request)
        assert isinstance(data, GraphQLRequestData)  # batches were refused: batching is off
        return self.persisted.resolve(data)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        result = await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )
        if result.data is not None:
            self.persisted.register(request_data)
        return result

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        request.scope[ANSWERED_KEY] = not result.errors
        if result.errors:
            result.errors = mask(result.errors)
        return await super().process_result(request, result)


#: The query parameters of a GraphQL GET (graphql-over-http §GET), each single-valued.
GET_PARAMETERS = ("query", "variables", "operationName", "extensions")


def wants_ide(method: str, params: Mapping[str, object], headers: Mapping[str, str]) -> bool:
    """A browser asking for a page: ``Accept: text/html``, no query and no persisted-query
    hash (strawberry would also answer ``*/*``, which curl and APQ clients send)."""
    return (
        method == "GET"
        and params.get("query") is None
        and params.get("extensions") is None
        and "text/html" in headers.get("accept", "")
    )


def without_body(send: Send) -> Send:
    """``send`` that drops body bytes: a HEAD answer carries GET's headers only."""

    async def send_headers(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_headers


async def replay_key(request: Request) -> tuple[object, ...] | None:
    """What a whole answer depends on (within one snapshot): method, query string, body and
    the headers that pick its form; ``None`` for requests too large to be worth keeping."""
    body = b""
    if request.method == "POST":
        length = request.headers.get("content-length", "")
        if not length.isdigit() or int(length) > RESULT_KEY_LIMIT:
            return None
        body = await request.body()  # kept on the request: strawberry reads it from there
    query = request.scope.get("query_string", b"")
    if len(query) > RESULT_KEY_LIMIT:
        return None
    headers = (request.headers.get("content-type"), request.headers.get("accept"))
    return (request.method, query, body, headers)


def replayable(request: Request, response: Response) -> bool:
    """An error-free 200 answer of bytes small enough to keep."""
    body = getattr(response, "body", None)
    return (
        request.scope.get(ANSWERED_KEY) is True
        and response.status_code == 200
        and isinstance(body, bytes)
        and len(body) <= REPLAY_LIMIT
    )


def entity_tag(context: Context, request: Request) -> str | None:
    """A strong ETag for a GET query: the vocabulary digest and the whole query string."""
    if request.method != "GET" or not request.url.query:
        return None
    seed = "|".join((context.index.digest, str(sorted(request.query_params.multi_items()))))
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def refuse_oversized(request: Request) -> None:
    """A 413 before reading a request whose query string or declared body is too large."""
    if len(request.scope.get("query_string", b"")) > REQUEST_LIMIT.limit:
        raise REQUEST_LIMIT.error()
    REQUEST_LIMIT.check_declared(request)
