"""``/sparql``: the SPARQL 1.1 Protocol, query operation only, over the loaded vocabulary.

GET ``?query=``, POST form-encoded ``query=`` or ``application/sparql-query``; results by
``Accept`` (or ``?format=``). Queries run in worker processes (``sparql_pool``) that are
killed when a query overruns ``sparql_timeout`` or its memory; results stop at
``sparql_max_rows`` rows or ``sparql_max_bytes`` bytes, and large ones are streamed from a
spool. Each client may have ``sparql_client_queries`` queries at once. GET without a query
returns the SPARQL service description. docs/linked-data.md.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import IO, ClassVar, Final
from urllib.parse import parse_qs

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from api.http.caching import (
    add_cache_headers,
    entity_tag,
    mark_replayable,
    not_modified,
    not_modified_response,
)
from api.http.errors import (
    BadRequest,
    InvalidParameter,
    NotAcceptable,
    PayloadTooLarge,
    Problem,
    QueryTimeout,
    ServiceUnavailable,
    UnsupportedMediaType,
)
from api.http.fairness import TooManyRequests, client_of, networks
from api.http.negotiation import RDF_FORMATS, TURTLE, Format, negotiate_memo
from api.http.renderers import choose_from
from api.namespaces import DCT, VOID
from api.rdf import descriptions as rdf
from api.rdf.void import SD, Description, integer, iri
from api.runtime.serving import current
from api.runtime.snapshot import Snapshot
from api.settings import Settings
from api.sparql import forwarding
from api.sparql.pool import (
    Answer,
    BusyError,
    ClientBusyError,
    ExpiredError,
    MemoryExceededError,
    PoolError,
    QueryPool,
)
from api.sparql.worker import GRAPH_FORMS, Job, Outcome, RejectedError

#: Longest query text accepted, in bytes (GET or POST).
MAX_QUERY_BYTES: Final = 100_000
#: Most parameters in a query string or form (a SPARQL request needs three or four).
MAX_FIELDS: Final = 100
#: Response header saying results were cut, at ``sparql_max_rows`` or ``sparql_max_bytes``;
#: its value is the number of rows (or triples) sent.
TRUNCATED_HEADER: Final = "SPARQL-Results-Truncated"
#: Answers up to this size are sent whole (with ``Content-Length``); larger ones stream.
STREAM_FROM: Final = 256 * 1024
#: Bytes read from the spool per piece of a streamed answer.
STREAM_CHUNK: Final = 64 * 1024

SPARQL_JSON = Format(
    "json", "application/sparql-results+json", ("application/json",), "SPARQL JSON"
)
SPARQL_XML = Format(
    "xml", "application/sparql-results+xml", ("application/xml", "text/xml"), "SPARQL XML"
)
CSV = Format("csv", "text/csv", title="CSV")
TSV = Format("tsv", "text/tab-separated-values", title="TSV")
#: SELECT and ASK results.
SOLUTION_FORMATS: Final = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: CONSTRUCT and DESCRIBE results; generic JSON / XML / text mean JSON-LD, RDF/XML, N-Triples.
GRAPH_FORMATS: Final = (
    TURTLE,
    Format("jsonld", "application/ld+json", ("application/json",), "JSON-LD"),
    Format("rdf", "application/rdf+xml", ("application/xml", "text/xml"), "RDF/XML"),
    Format("nt", "application/n-triples", ("text/plain",), "N-Triples"),
)
#: ``?format=`` values (names, media types, what SPARQLWrapper sends) → solution format name.
SOLUTION_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
        **{f.media_type: f.name for f in SOLUTION_FORMATS},
    }
)  # fmt: skip
#: ``?format=`` values → graph format name; generic json / xml mean JSON-LD / RDF/XML.
GRAPH_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ttl": "ttl", "turtle": "ttl", "n3": "ttl",
        "nt": "nt", "ntriples": "nt", "n-triples": "nt",
        "rdf": "rdf", "xml": "rdf", "rdfxml": "rdf", "rdf+xml": "rdf",
        "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
        **{f.media_type: f.name for f in GRAPH_FORMATS},
    }
)  # fmt: skip


class SparqlJsonResponse(Response):
    media_type = SPARQL_JSON.media_type


class SparqlXmlResponse(Response):
    media_type = SPARQL_XML.media_type


class CsvResponse(Response):
    media_type = CSV.media_type


class TsvResponse(Response):
    media_type = TSV.media_type


RESPONSES: Final[Mapping[str, type[Response]]] = MappingProxyType(
    {"json": SparqlJsonResponse, "xml": SparqlXmlResponse, "csv": CsvResponse, "tsv": TsvResponse}
)


class MalformedQuery(BadRequest):
    """The query does not parse; ``line`` and ``column`` say where."""

    slug, title = "malformed-query", "Malformed SPARQL query"


class QueryRefused(BadRequest):
    """A well-formed request this read-only endpoint does not perform."""

    slug, title = "query-refused", "SPARQL request refused"


class QueryFailed(BadRequest):
    slug, title = "query-failed", "SPARQL query failed"


class QueryOutOfMemory(Problem):
    """The query needed more memory than a worker may use: the query's fault, not the
    server's, so a 4xx; retrying the same query will fail the same way."""

    status, slug, title = 422, "query-out-of-memory", "SPARQL query out of memory"


async def endpoint(request: Request) -> Response:
    """GET or POST a query; GET without one describes the service."""
    params = await _parameters(request)
    query = _single(params, "query")
    if query is None:
        return service_description(request)
    settings: Settings = request.state.settings
    if settings.source != "files":
        return await _forwarded(request, query, params, settings)
    serving = current(request)
    solutions, graph = _formats(request, params)
    job = Job(query, solutions, graph, settings.sparql_max_rows, settings.sparql_max_bytes)
    # The ETag is the snapshot's digest with the request (query, format), not the body's
    # hash, so every GET answer, streamed or not, can be revalidated without running it.
    etag = entity_tag(request, f"sparql|{solutions}|{graph}")
    if request.method == "GET" and not_modified(request, etag):
        return not_modified_response(request, etag, {"Vary": "Accept"})
    # Answers depend only on the query, the formats and the caps (the snapshot never
    # changes), so small ones are kept per snapshot: a query asked again needs no worker.
    key = (query, solutions, graph, job.max_rows, job.max_bytes)
    kept = serving.caches.sparql.get(key)
    if isinstance(kept, Kept):
        response = kept.response()
    else:
        response = await _answer(request, serving.service(QueryPool), job, settings)
        if Kept.worth_keeping(response):
            serving.caches.sparql.put(key, Kept.of(response))
    if request.method == "GET":
        add_cache_headers(request, response, etag)
        # A GET's answer is a function of its URL (the query, the format parameters) and
        # Accept for this snapshot, as a concept's is: the front may replay it as sent,
        # charging the client's share of /sparql (``api.http.front``).
        mark_replayable(request)
    return response


async def _forwarded(
    request: Request, query: str, params: Mapping[str, list[str]], settings: Settings
) -> Response:
    """The query answered by the store the vocabulary is read from (``api.sparql.forwarding``),
    checked and capped as the workers' answers are; live, so neither kept nor given an ETag."""
    solutions, graph = _formats(request, params)
    try:
        form = await forwarding.check(query)
    except RejectedError as rejected:
        _refuse(rejected.outcome)
    fmt = graph if form in GRAPH_FORMS else solutions
    if fmt is None:
        _refuse(Outcome("not-acceptable", form=form))
    assert fmt is not None
    limits = (settings.sparql_max_rows, settings.sparql_max_bytes, settings.sparql_timeout)
    job = forwarding.Request(query, form, fmt, *limits)
    forwarder = current(request).service(forwarding.Forwarder)
    release = _claim(forwarder, request, settings)
    try:
        written = await forwarding.forward(forwarder.endpoint, job)
    finally:
        release()
    headers = {"Vary": "Accept", "Cache-Control": "no-store"}
    if written.truncated:
        headers[TRUNCATED_HEADER] = str(written.rows)
    kind = rdf.RESPONSES if job.is_graph else RESPONSES
    return kind[fmt](b"".join(written.chunks), headers=headers)


async def _answer(request: Request, pool: QueryPool, job: Job, settings: Settings) -> Response:
    release = _claim(pool, request, settings)
    try:
        answer = await _run(pool, job, settings.sparql_timeout)
        return _response(answer, release)
    except BaseException:
        release()
        raise


@dataclass(frozen=True)
class Kept:
    """A small answer kept for replay: its response type, body and headers."""

    kind: type[Response]
    body: bytes
    headers: tuple[tuple[str, str], ...]

    #: Largest answer kept, in bytes.
    LIMIT: ClassVar[int] = 64 * 1024

    @classmethod
    def worth_keeping(cls, response: Response) -> bool:
        body = getattr(response, "body", None)
        return not isinstance(response, StreamingResponse) and (
            isinstance(body, bytes) and len(body) <= cls.LIMIT
        )

    @classmethod
    def of(cls, response: Response) -> Kept:
        headers = tuple((k, v) for k, v in response.headers.items() if k in _KEPT_HEADERS)
        return cls(type(response), bytes(response.body), headers)

    def response(self) -> Response:
        return self.kind(self.body, headers=dict(self.headers))


_KEPT_HEADERS: Final = frozenset({"vary", TRUNCATED_HEADER.lower()})


def _claim(
    pool: QueryPool | forwarding.Forwarder, request: Request, settings: Settings
) -> Callable[[], None]:
    """This client's place among the queries in the pool, or a 429 when it has its share.

    Like Wikidata's Query Service, which asks clients to run one query at a time and
    answers 429 with ``Retry-After`` to those that do not.
    """
    client = client_of(request.scope, networks(settings.rate_limit_exempt))
    try:
        return pool.claim(client)
    except ClientBusyError as error:
        raise TooManyRequests(str(error), retry_after=1) from None


async def _parameters(request: Request) -> dict[str, list[str]]:
    """The protocol parameters from the URL and, for POST, the body (SPARQL 1.1 Protocol §2.1)."""
    params = _parsed(request.url.query, "query string")
    if request.method == "POST":
        _merge(params, await _post_parameters(request))
    if "update" in params:
        raise QueryRefused(_READ_ONLY)
    if "default-graph-uri" in params or "named-graph-uri" in params:
        raise QueryRefused(
            "default-graph-uri and named-graph-uri are not supported: the "
            "endpoint queries only its own data, in the default graph."
        )
    return params


_READ_ONLY: Final = "This endpoint is read-only: SPARQL Update is not accepted."


def _merge(params: dict[str, list[str]], more: Mapping[str, list[str]]) -> None:
    for name, values in more.items():
        params.setdefault(name, []).extend(values)


async def _post_parameters(request: Request) -> dict[str, list[str]]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/sparql-update":
        raise QueryRefused(_READ_ONLY)
    if kind not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise UnsupportedMediaType(
            "POST a query as application/x-www-form-urlencoded (query=...) or "
            "application/sparql-query."
        )
    body = await _body(request)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body is not UTF-8.") from None
    if kind == "application/sparql-query":
        return {"query": [text]}
    return _parsed(text, "form")


def _parsed(text: str, where: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:  # "Max number of fields exceeded"
        raise PayloadTooLarge(f"The {where} may have at most {MAX_FIELDS} fields.") from None


async def _body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise PayloadTooLarge(f"A query may be at most {MAX_QUERY_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _single(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise InvalidParameter(name, "give it once")
    if len(values[0].encode()) > MAX_QUERY_BYTES:
        raise PayloadTooLarge(f"A query may be at most {MAX_QUERY_BYTES} bytes.")
    if not values[0].strip():
        raise InvalidParameter(name, "is empty")
    return values[0]


def _formats(request: Request, params: Mapping[str, list[str]]) -> tuple[str | None, str | None]:
    """The solution and graph result formats, by ``?format=`` then ``Accept``."""
    values = [v.strip().lower() for v in params.get("format", []) if v.strip()]
    if values:
        # Some clients repeat it (SPARQLWrapper: format=tsv&format=text/tab-separated-values).
        known = [v for v in values if v in SOLUTION_NAMES or v in GRAPH_NAMES]
        if not known:
            names = ", ".join(sorted(n for n in {*SOLUTION_NAMES, *GRAPH_NAMES} if "/" not in n))
            raise InvalidParameter("format", f"must be one of {names} (or a media type)")
        return SOLUTION_NAMES.get(known[0]), GRAPH_NAMES.get(known[0])
    accept = request.headers.get("accept")
    solutions = negotiate_memo(SOLUTION_FORMATS, SPARQL_JSON, None, None, accept)
    graph = negotiate_memo(GRAPH_FORMATS, TURTLE, None, None, accept)
    return (
        None if solutions is None else solutions.format.name,
        None if graph is None else graph.format.name,
    )


async def _run(pool: QueryPool, job: Job, timeout: float) -> Answer:
    try:
        with pool.admission():
            return await run_in_threadpool(pool.run, job, timeout)
    except ExpiredError as error:
        raise QueryTimeout(str(error), timeout_seconds=timeout) from None
    except MemoryExceededError as error:
        raise QueryOutOfMemory(str(error)) from None
    except BusyError as error:
        raise ServiceUnavailable(str(error), headers={"Retry-After": "1"}) from None
    except PoolError as error:
        raise ServiceUnavailable(str(error), headers={"Retry-After": "5"}) from None


def _response(answer: Answer, release: Callable[[], None]) -> Response:
    """The answer, whole when small; else streamed from its spool, the client's place held
    until the stream ends (so one client cannot pin more than its share of spooled answers)."""
    outcome = answer.outcome
    if outcome.status != "ok":
        answer.body.close()
        _refuse(outcome)
    kind = rdf.RESPONSES if outcome.form in ("CONSTRUCT", "DESCRIBE") else RESPONSES
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = str(outcome.rows)
    if outcome.size <= STREAM_FROM:
        body = answer.read()
        release()
        return kind[outcome.format](body, headers=headers)
    headers["Content-Length"] = str(outcome.size)
    media_type = kind[outcome.format].media_type
    return StreamingResponse(_Stream(answer.body, release), headers=headers, media_type=media_type)


def _refuse(outcome: Outcome) -> None:
    if outcome.status == "malformed":
        raise MalformedQuery(outcome.detail, line=outcome.line, column=outcome.column)
    if outcome.status == "refused":
        raise QueryRefused(outcome.detail)
    if outcome.status == "not-acceptable":
        offered = GRAPH_FORMATS if outcome.form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_FORMATS
        raise NotAcceptable([f.media_type for f in offered])
    raise QueryFailed(f"The query could not be evaluated: {outcome.detail}")


class _Stream:
    """A spooled answer read in pieces; closing it (or dropping it, should the client go
    away before it starts) closes the spool and gives the client's place back."""

    def __init__(self, body: IO[bytes], release: Callable[[], None]) -> None:
        self._body = body
        self._close = weakref.finalize(self, _close, body, release)

    def __iter__(self) -> Iterator[bytes]:
        try:
            while chunk := self._body.read(STREAM_CHUNK):
                yield chunk
        finally:
            self._close()


def _close(body: IO[bytes], release: Callable[[], None]) -> None:
    body.close()
    release()


def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in an RDF format."""
    decision = choose_from(request, RDF_FORMATS, TURTLE)
    serving = current(request)
    snapshot = serving.snapshot
    settings: Settings = request.state.settings
    fmt = decision.format.name
    endpoint_url = str(request.url_for("sparql"))
    etag = entity_tag(request, fmt)
    if request.method == "GET" and not_modified(request, etag):
        return not_modified_response(request, etag, {"Vary": "Accept"})
    body = rdf.Views.of(serving).document(
        ("service-description", endpoint_url, fmt),
        lambda: rdf.serialise(_description(endpoint_url, snapshot, settings), fmt),
    )
    response = rdf.RESPONSES[fmt](body, headers={"Vary": "Accept"})
    add_cache_headers(request, response, etag)
    return response


_FORMATS_NS: Final = "http://www.w3.org/ns/formats/"
_RESULT_FORMATS: Final = (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "RDF_XML", "JSON-LD",
)  # fmt: skip


def _description(endpoint_url: str, snapshot: Snapshot, settings: Settings) -> list[ox.Triple]:
    out = Description()
    out.typed(endpoint_url, SD + "Service")
    out.add(endpoint_url, SD + "endpoint", iri(endpoint_url))
    out.add(endpoint_url, SD + "supportedLanguage", iri(SD + "SPARQL11Query"))
    out.add(endpoint_url, SD + "resultFormat", *(iri(_FORMATS_NS + f) for f in _RESULT_FORMATS))
    out.add(
        endpoint_url, SD + "defaultEntailmentRegime", iri("http://www.w3.org/ns/entailment/Simple")
    )
    limits = (
        f"Read-only: updates, SERVICE, FROM and FROM NAMED are refused. A query may run "
        f"{settings.sparql_timeout:g} s and return {settings.sparql_max_rows} rows or triples "
        f"and {settings.sparql_max_bytes} bytes; one client may run "
        f"{settings.sparql_client_queries} at once."
    )
    out.add(endpoint_url, DCT + "description", ox.Literal(limits, language="en"))
    dataset, graph = endpoint_url + "#dataset", endpoint_url + "#default-graph"
    out.add(endpoint_url, SD + "defaultDataset", iri(dataset))
    out.typed(dataset, SD + "Dataset")
    out.add(dataset, SD + "defaultGraph", iri(graph))
    out.typed(graph, SD + "Graph")
    out.add(graph, VOID + "triples", integer(snapshot.vocabulary.triple_count))
    return out.triples
