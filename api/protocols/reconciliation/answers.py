"""What a snapshot keeps of reconciliation answers, so that a batch costs little more than
reading it.

Two of the snapshot's caches (``api.runtime.serving.Caches``), both bounded in entries and in
the ``cache_mb`` budget, dropped with the snapshot on reload and reported at
``/health/caches``:

- ``reconcile_queries``: each query's candidates as JSON, by the checked query (text, types,
  limit, properties), the languages asked for and the dialect (0.2's ``result`` or the 1.0
  draft's ``candidates``). A spreadsheet column repeats its values ("consultation" row after
  row) and OpenRefine sends each row's cell; a batch of kept queries is joined from bytes
  without a thread or a score.
- ``reconcile_batches``: whole answers, by the request: the digest of its body, its media type
  and charset, method, query string, languages and origin. OpenRefine sends the same batches
  again when a column is reconciled again (another type, another user of the same sheet); a
  kept one is answered before its body is parsed or checked. Safe because only a 200 is kept,
  and it is kept only after its request was read and checked against this snapshot with these
  settings: the same request bytes always reach the same answer (and a bad request, never
  kept, always reaches its 4xx).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence
from typing import Literal, cast

from anyio import to_thread
from starlette.requests import Request

from api.http.caching import origin
from api.protocols.reconciliation import wire
from api.protocols.reconciliation.matching import Candidate, Query, candidates
from api.protocols.reconciliation.wire import Answer
from api.runtime.serving import Serving

#: How a query's candidates are written: 0.2's ``result`` list or the 1.0 draft's.
Dialect = Literal["0.2", "1.0"]


def request_key(
    request: Request, media: tuple[str, str | None] | None, body: bytes, langs: tuple[str, ...]
) -> Hashable:
    """What a whole answer depends on besides the snapshot: the request's method, query
    string, body (by digest: a body may be a megabyte), how the body was to be read, the
    languages and the origin (an answer is never replayed to another)."""
    digest = hashlib.blake2b(body, digest_size=32).digest()
    query = request.scope.get("query_string", b"")
    return (request.method, query, media, digest, langs, origin(request))


def kept(serving: Serving, key: Hashable) -> Answer | None:
    found = serving.caches.reconcile_batches.get(key)
    return found if isinstance(found, Answer) else None


def keep(serving: Serving, key: Hashable, answer: Answer) -> None:
    serving.caches.reconcile_batches.put(key, answer)


async def lists(
    serving: Serving, queries: Sequence[Query], langs: tuple[str, ...], dialect: Dialect
) -> list[bytes]:
    """Each query's candidates as a JSON list, in order: kept ones read here, the others
    found and written off the event loop (scoring a query over a large vocabulary takes a
    while) and kept."""
    cache = serving.caches.reconcile_queries
    keys = [(dialect, query, langs) for query in queries]
    found: dict[tuple[Dialect, Query, tuple[str, ...]], bytes] = {}
    missing: list[Query] = []
    for key in dict.fromkeys(keys):  # a batch may ask the same twice: found once
        value = cache.get(key)
        if value is None:
            missing.append(key[1])
        else:
            found[key] = value
    if missing:
        made = await to_thread.run_sync(_written, serving, missing, langs, dialect)
        for query, value in zip(missing, made, strict=True):
            cache.put((dialect, query, langs), value)
            found[dialect, query, langs] = value
    return [found[key] for key in keys]


def _written(
    serving: Serving, queries: Sequence[Query], langs: tuple[str, ...], dialect: Dialect
) -> list[bytes]:
    index = serving.index
    write = wire.results if dialect == "0.2" else wire.candidates
    return [write(index, found_for(serving, query), langs) for query in queries]


def found_for(serving: Serving, query: Query) -> tuple[Candidate, ...]:
    """A query's candidates, kept per snapshot whatever languages they are written in."""
    made = serving.caches.responses.get_or_make(
        ("reconcile", query), lambda: candidates(serving.index, query)
    )
    return cast("tuple[Candidate, ...]", made)
