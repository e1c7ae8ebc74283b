"""``/sparql`` in front of a SPARQL endpoint (the ``source`` setting): the store answers,
our limits hold.

A query is checked here first, by the same parser and rules as the worker pool's
(read-only; no ``SERVICE``, no ``FROM`` / ``FROM NAMED``: the dataset is the configured
graphs, sent as ``default-graph-uri`` and ``named-graph-uri``), then POSTed to the store.
Its answer is read within ``sparql_timeout`` and at most :func:`budget` bytes (the
connection is closed there, which stops a streaming store), parsed as it is read, and
written again in the negotiated format, cut at ``sparql_max_rows`` rows or
``sparql_max_bytes`` bytes with the same ``SPARQL-Results-Truncated`` header as the pool's
answers. Graph answers are asked for as N-Triples and solutions in the client's format
(TSV for CSV, which cannot be read back faithfully), the formats pyoxigraph reads
incrementally. Answers are live, not from the snapshot, so they are not kept or given an
ETag. docs/deployment.md, "A triplestore as the source".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeVar

import anyio
import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from api.build.remote import Endpoint
from api.http.errors import BadRequest, Problem, QueryTimeout
from api.runtime.serving import ServiceKind
from api.settings import Settings
from api.sparql import results, worker
from api.sparql.pool import ClientShares
from api.sparql.worker import GRAPH_FORMS, capped_graph

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")

#: What the store is asked for, by the format the client gets.
_SOLUTION_TYPES: Final = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    "csv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
_GRAPH_TYPE: Final = ("application/n-triples", ox.RdfFormat.N_TRIPLES)
#: Bytes of the store's answer read beyond ``sparql_max_bytes``: its format may be wordier
#: than ours (SPARQL JSON against CSV), and the rows past the cap are not needed.
_SLACK: Final = 2
#: Most characters of the store's own message repeated to the client (a 400's reason).
_MESSAGE_CHARS: Final = 300


class StoreFailed(Problem):
    """The store behind ``/sparql`` did not answer, or not as asked: not the client's fault,
    and nothing the client can fix, so a 502 (RFC 9110 §15.6.3)."""

    status, slug, title = 502, "store-failed", "SPARQL store failed"


class StoreRefused(BadRequest):
    """The store refused a query our parser accepted (its dialect differs): a 400 with its
    reason, as when a worker cannot evaluate one."""

    slug, title = "query-failed", "SPARQL query failed"


class Forwarder:
    """The store's side of ``/sparql`` for one snapshot (a runtime service): where to send
    queries, and how many each client has in flight (``sparql_client_queries``)."""

    def __init__(self, endpoint: Endpoint, per_client: int) -> None:
        self.endpoint = endpoint
        self._shares = ClientShares(per_client)

    def start(self) -> None:
        """Nothing to start: a connection is made per query."""

    def close(self) -> None:
        """Nothing to release: each query closes its connection."""

    def claim(self, client: str | None) -> Callable[[], None]:
        """Count one query for ``client``; the function returned gives the place back (once,
        however often it is called). Raises ``ClientBusyError`` past the client's share."""
        return self._shares.claim(client)


def forwarder(settings: Settings) -> ServiceKind[Forwarder]:
    """The forwarder as a runtime service: made on the first forwarded query of a snapshot."""
    per_client = settings.sparql_client_queries
    return ServiceKind(
        Forwarder, lambda snapshot: Forwarder(Endpoint.from_settings(settings), per_client)
    )


@dataclass(frozen=True)
class Request:
    """One query to forward: its text and form, the format the client gets, and our caps."""

    query: str
    form: str
    format: str
    max_rows: int
    max_bytes: int
    timeout: float

    @property
    def is_graph(self) -> bool:
        return self.form in GRAPH_FORMS


def budget(max_bytes: int) -> int:
    """Most bytes of the store's answer read for an answer of at most ``max_bytes``."""
    return max_bytes * _SLACK + 64 * 1024


async def check(query: str) -> str:
    """The query's form (``SELECT``, ...) if the workers' rules allow it; else raises their
    ``RejectedError``. Every query is parsed (rdflib, ~3 ms, off the event loop): the workers'
    shortcut for short queries leaves syntax errors to evaluation, here the store's."""
    return await run_in_threadpool(worker.check, query)


async def forward(endpoint: Endpoint, job: Request) -> results.Written:
    """The store's answer to ``job``, capped, in the client's format; raises a Problem."""
    accept = _GRAPH_TYPE[0] if job.is_graph else _SOLUTION_TYPES[job.format][0]
    form = {"query": job.query}
    graphs = {"default-graph-uri": list(endpoint.graphs), "named-graph-uri": list(endpoint.graphs)}
    try:
        with anyio.fail_after(job.timeout):
            body, cut = await _fetch(endpoint, {**form, **graphs}, accept, budget(job.max_bytes))
    except TimeoutError:
        raise QueryTimeout(
            f"The store gave no answer within {job.timeout:g} s (the sparql_timeout setting).",
            timeout_seconds=job.timeout,
        ) from None
    return await run_in_threadpool(_rewrite, job, body, cut)


async def _fetch(
    endpoint: Endpoint, form: dict[str, object], accept: str, limit: int
) -> tuple[bytes, bool]:
    """The store's answer, at most ``limit`` bytes of it, and whether it was cut there."""
    import httpx  # here: only a SPARQL source needs it, and it costs every start 0.1 s

    headers = {**endpoint.headers(), "Accept": accept}
    async with httpx.AsyncClient(
        auth=endpoint.auth(),
        headers=headers,
        timeout=None,  # sparql_timeout bounds the whole exchange (forward)
        follow_redirects=False,
        trust_env=False,
    ) as client:
        try:
            async with client.stream("POST", endpoint.url, data=form) as response:
                await _checked(response, accept)
                return await _read(response, limit)
        except httpx.HTTPError as error:
            raise StoreFailed(
                f"The SPARQL store could not be reached ({type(error).__name__})."
            ) from None


async def _checked(response: httpx.Response, accept: str) -> None:
    if response.status_code == 400:
        said = (await response.aread())[:_MESSAGE_CHARS].decode("utf-8", "replace").strip()
        raise StoreRefused(f"The store refused the query: {said or 'no reason given'}")
    if response.status_code != 200:
        raise StoreFailed(f"The SPARQL store answered {response.status_code}.")
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != accept:
        raise StoreFailed(
            f"The SPARQL store answered {media_type or 'no content type'}, not {accept}."
        )


async def _read(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(chunks)[:limit], True
    return b"".join(chunks), False


def _rewrite(job: Request, body: bytes, cut: bool) -> results.Written:
    """The store's answer parsed and written in the client's format within our caps; an
    answer cut at :func:`budget` ends at its last whole row."""
    ending = _Ending(cut)
    if job.is_graph:
        triples = ending.guard(ox.parse(body, _GRAPH_TYPE[1]))
        written = capped_graph((q.triple for q in triples), job.format, job.max_rows, job.max_bytes)
    else:
        parsed = _solutions(body, _SOLUTION_TYPES[job.format][1])
        if isinstance(parsed, ox.QueryBoolean):
            return results.Written((results.boolean(job.format, bool(parsed)),), 1, False)
        variables = [v.value for v in parsed.variables]
        rows = ([s[v] for v in variables] for s in ending.guard(parsed))
        written = results.capped(
            job.format, variables, rows, max_rows=job.max_rows, max_bytes=job.max_bytes
        )
    if ending.short and not written.truncated:
        return results.Written(written.chunks, written.rows, True)
    return written


def _solutions(body: bytes, fmt: ox.QueryResultsFormat) -> ox.QuerySolutions | ox.QueryBoolean:
    try:
        return ox.parse_query_results(body, fmt)
    except (SyntaxError, ValueError) as error:
        raise StoreFailed(f"The SPARQL store's answer does not parse: {error}") from None


class _Ending:
    """Where parsing a store's answer stops: at its end, or, when it was cut at the byte
    budget, at the row cut in two (whatever came after is left out, as with our caps)."""

    def __init__(self, cut: bool) -> None:
        self.cut, self.short = cut, False

    def guard(self, items: Iterable[T]) -> Iterator[T]:
        try:
            yield from items
        except (SyntaxError, ValueError) as error:
            if not self.cut:
                raise StoreFailed(f"The SPARQL store's answer does not parse: {error}") from None
            self.short = True
