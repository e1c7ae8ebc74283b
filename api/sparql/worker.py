"""What a SPARQL worker process does: check a query is read-only, evaluate it, cap it.

Each worker opens the snapshot's shared on-disk store read-only, so the parent can kill a
runaway query (pyoxigraph has no way to cancel one) without harming the server, and runs under an
address-space limit (``RLIMIT_AS``), so a query that builds huge strings fails in the
worker instead of taking the machine's memory. Queries are
parsed by rdflib's SPARQL 1.1 parser to refuse SERVICE and dataset clauses from the
parse tree, never by pattern-matching text, and then evaluated by pyoxigraph.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any, Final, Literal

import pyoxigraph as ox
from pyparsing import ParseBaseException, ParseResults

from api.namespaces import PREFIXES
from api.runtime.lru import LRU
from api.sparql import results as sparql_results

Status = Literal["ok", "malformed", "refused", "not-acceptable", "failed", "out-of-memory"]

GRAPH_FORMS: Final = frozenset({"CONSTRUCT", "DESCRIBE"})
_GRAPH_FORMATS: Final = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_OXIGRAPH_ERROR: Final = re.compile(r"^error at (\d+):(\d+)(?:-\d+:\d+)?: (.*)$", re.DOTALL)
READY: Final = "ready"
#: Bytes per message when a result goes to the server: the server never holds more at once.
CHUNK_BYTES: Final = 64 * 1024


@dataclass(frozen=True, slots=True)
class Job:
    """One query and the result formats the client accepts (``None``: nothing acceptable)."""

    query: str
    solutions_format: str | None
    graph_format: str | None
    max_rows: int
    max_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker answers: the serialised result, or why there is none."""

    status: Status
    body: bytes = b""
    format: str = ""
    form: str = ""
    truncated: bool = False
    rows: int = 0
    size: int = 0
    detail: str = ""
    line: int | None = None
    column: int | None = None


class RejectedError(Exception):
    """The query is malformed or not allowed; ``outcome`` says which and where."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.detail)
        self.outcome = outcome


#: How much lower than the server a worker's CPU priority is (nice(2) increment).
WORKER_NICENESS: Final = 10


def main(fd: int, memory_mb: int = 0) -> None:
    """The worker process's entry point: serve jobs on the socket inherited as ``fd``, in at
    most ``memory_mb`` MiB of address space (0: no limit)."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Below the server in the CPU scheduler: runaway queries may use idle cores, but never
    # starve the event loop that answers every other request (and /health).
    os.nice(WORKER_NICENESS)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    serve(Connection(fd))


def _exit_with_parent(parent: int) -> None:
    """End this worker if the server dies mid-query (it would otherwise compute on, orphaned).

    A thread can watch because pyoxigraph releases the GIL while it evaluates.
    """
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def serve(connection: Connection) -> None:
    """A worker's main loop: open the on-disk store whose path the parent sends, read-only,
    then answer jobs until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a worker ends
    try:
        path = os.fsdecode(connection.recv_bytes())
    except EOFError:  # the server stopped before this worker was ready
        return
    try:
        store = ox.Store.read_only(path)
    except (OSError, RuntimeError):  # removed: the pool closed while this worker started
        return
    checked = Checked()
    try:
        connection.send(READY)
        while True:
            outcome = answer(store, connection.recv(), checked)
            send(connection, outcome)
            if outcome.status == "out-of-memory":
                return  # a fresh worker is cleaner than one that ran out mid-allocation
    except (EOFError, OSError):  # the server closed the pool or stopped: nothing to answer
        return


def send(connection: Connection, outcome: Outcome) -> None:
    """``outcome`` without its body (``size`` says how long it is), then the body in pieces
    of :data:`CHUNK_BYTES`, so the server can spool it rather than hold it whole."""
    body = outcome.body
    connection.send(replace(outcome, body=b"", size=len(body)))
    with memoryview(body) as view:
        for start in range(0, len(body), CHUNK_BYTES):
            connection.send_bytes(view[start : start + CHUNK_BYTES])


class Checked:
    """Recent queries' check results: rdflib's parser costs ~3 ms, evaluation often ~0.1 ms."""

    def __init__(self, size: int = 512) -> None:
        self._forms: LRU[str, str | Outcome] = LRU(size)

    def form(self, query: str) -> str:
        """:func:`check` ``query``, remembering the answer (a form or a rejection); a query
        that :func:`quick_form` can vouch for is not parsed by rdflib at all."""
        quick = quick_form(query)
        if quick is not None:
            return quick
        found = self._forms.get_or_make(query, lambda: _checked(query))
        if isinstance(found, Outcome):
            raise RejectedError(found)
        return found


#: Longest query :func:`quick_form` vouches for, and most brackets it may hold (nesting
#: depth is at most their count, far below what could exhaust pyoxigraph's parser stack).
QUICK_LENGTH: Final = 4096
QUICK_BRACKETS: Final = 64
_QUICK_WORDS: Final = ("service", "from", "\\u")
#: The prologue (comments, BASE, PREFIX) and the query form's keyword (SPARQL 1.1 §19.8).
_QUICK_HEAD: Final = re.compile(
    r"(?:\s+|#[^\n]*(?:\n|$)|BASE\s*<[^>\s]*>|PREFIX\s+[^\s:]*:\s*<[^>\s]*>)*"
    r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


def quick_form(query: str) -> str | None:
    """The query form, without parsing, of a short query that cannot hold what :func:`check`
    refuses: no ``SERVICE`` or ``FROM`` anywhere in its text (even in a literal) and no
    ``\\u`` escape that could spell one; ``None`` for every other query, which rdflib
    checks (about 3 ms, against pyoxigraph's 0.1 ms for a simple query). Updates cannot be
    vouched for (they start with no query form) and pyoxigraph reports malformed queries
    when it evaluates them."""
    if len(query) > QUICK_LENGTH:
        return None
    lowered = query.lower()
    if any(word in lowered for word in _QUICK_WORDS):
        return None
    if query.count("{") + query.count("(") + query.count("[") > QUICK_BRACKETS:
        return None
    head = _QUICK_HEAD.match(query)
    return None if head is None else head[1].upper()


def _checked(query: str) -> str | Outcome:
    try:
        return check(query)
    except RejectedError as rejected:
        return rejected.outcome


def answer(store: ox.Store, job: Job, checked: Checked | None = None) -> Outcome:
    """Check, evaluate and serialise ``job`` against ``store``; never raises."""
    try:
        form = (checked or Checked()).form(job.query)
    except RejectedError as rejected:
        return rejected.outcome
    fmt = job.graph_format if form in GRAPH_FORMS else job.solutions_format
    if fmt is None:
        return Outcome("not-acceptable", form=form)
    try:
        written = evaluate(store, job.query, fmt, job.max_rows, job.max_bytes)
    except SyntaxError as error:
        return _undeclared_prefix(job.query, malformed_by_oxigraph(str(error)))
    except MemoryError:  # RLIMIT_AS: the query asked for more memory than a worker has
        return Outcome("out-of-memory", form=form)
    except Exception as error:  # any evaluation error is the query's problem
        return Outcome("failed", form=form, detail=str(error)[:500])
    body = b"".join(written.chunks)
    return Outcome(
        "ok", body=body, format=fmt, form=form, truncated=written.truncated, rows=written.rows
    )


def check(query: str) -> str:
    """The query form (``SELECT``, ...) if ``query`` is a read-only SPARQL 1.1 query."""
    if not query.strip():
        raise RejectedError(
            Outcome("malformed", detail="line 1, column 1: the query is empty", line=1, column=1)
        )
    # rdflib's SPARQL grammar is imported on the first check, not with the app: building it
    # takes 0.15 s of every start, and a service whose /sparql is never asked needs none.
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
    except ParseBaseException as error:
        if _is_update(query):
            raise RejectedError(Outcome("refused", detail=_READ_ONLY)) from None
        raise RejectedError(_malformed(query, error)) from None
    except RecursionError:
        raise RejectedError(
            Outcome("malformed", detail="The query is nested too deeply.")
        ) from None
    names = set(_names(tree))
    if "ServiceGraphPattern" in names:
        raise RejectedError(Outcome("refused", detail=_NO_SERVICE))
    if "DatasetClause" in names:
        raise RejectedError(Outcome("refused", detail=_NO_DATASET))
    return str(tree[1].name).removesuffix("Query").upper()


_READ_ONLY: Final = (
    "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, "
    "COPY, MOVE, ADD) is not accepted."
)
_NO_SERVICE: Final = (
    "SERVICE (federated query) is not allowed: the endpoint queries only its own data."
)
_NO_DATASET: Final = (
    "FROM and FROM NAMED are not allowed: the endpoint queries only its own data, in the "
    "default graph."
)


def _is_update(query: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate  # imported by check() already

    try:
        parseUpdate(query)
    except (ParseBaseException, RecursionError):
        return False
    return True


def _names(node: Any) -> Iterator[str]:
    """The names of every rule in an rdflib parse tree (depth-first)."""
    from rdflib.plugins.sparql.parserutils import CompValue  # imported by check() already

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _names(value)


def _malformed(query: str, error: ParseBaseException) -> Outcome:
    """The most precise parser message: pyoxigraph's when it is safe to ask it, else rdflib's.

    pyoxigraph is asked only for queries that cannot contain SERVICE (no such word and no
    ``\\u`` escapes): asking means evaluating, against an empty store, and an eager ASK would
    call the service.
    """
    lowered = query.lower()
    if "service" not in lowered and "\\u" not in lowered:
        try:
            ox.Store().query(query)
        except SyntaxError as oxigraph_error:
            return malformed_by_oxigraph(str(oxigraph_error))
        except Exception:  # only its parse errors are of interest
            pass
    message = f"line {error.lineno}, column {error.col}: {error.msg}"
    return Outcome("malformed", detail=message, line=error.lineno, column=error.col)


def _undeclared_prefix(query: str, outcome: Outcome) -> Outcome:
    """pyoxigraph's message for an undeclared prefix names other tokens; rdflib's names it."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        translateQuery(parseQuery(query))
    except Exception as error:  # rdflib raises a bare Exception for an unknown prefix
        match = _UNKNOWN_PREFIX.search(str(error))
        if match is not None:
            where = f"line {outcome.line}, column {outcome.column}: " if outcome.line else ""
            detail = (
                f"{where}the prefix '{match[1]}' is not declared (add PREFIX {match[1]}: <...>)"
            )
            return Outcome("malformed", detail=detail, line=outcome.line, column=outcome.column)
    return outcome


_UNKNOWN_PREFIX: Final = re.compile(r"Unknown namespace prefix : (\S*)")


def malformed_by_oxigraph(message: str) -> Outcome:
    """An Outcome from pyoxigraph's ``error at LINE:COLUMN: message``."""
    match = _OXIGRAPH_ERROR.match(message)
    if match is None:
        return Outcome("malformed", detail=message)
    line, column, text = int(match[1]), int(match[2]), match[3]
    if "Prefix not found" in text:
        text = "a prefixed name uses a prefix that no PREFIX declaration defines"
    elif len(text) > 300:  # pyoxigraph lists every character class it expected
        text = text[:300] + "..."
    return Outcome(
        "malformed", detail=f"line {line}, column {column}: {text}", line=line, column=column
    )


def evaluate(
    store: ox.Store, query: str, fmt: str, max_rows: int, max_bytes: int | None = None
) -> sparql_results.Written:
    """The serialised result, cut at ``max_rows`` rows (or triples) or ``max_bytes`` bytes."""
    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        return sparql_results.Written((sparql_results.boolean(fmt, bool(result)),), 1, False)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = ([s[v] for v in variables] for s in result)
        return sparql_results.capped(fmt, variables, rows, max_rows=max_rows, max_bytes=max_bytes)
    return capped_graph(result, fmt, max_rows, max_bytes)


def capped_graph(
    triples: Iterable[ox.Triple], fmt: str, max_rows: int, max_bytes: int | None
) -> sparql_results.Written:
    """CONSTRUCT / DESCRIBE results by pyoxigraph's writers, cut at ``max_rows`` triples and
    then, while the document is over ``max_bytes``, at three quarters as many."""
    kept: list[ox.Triple] = []
    estimate, truncated = 0, False
    for triple in triples:
        if len(kept) == max_rows or (max_bytes is not None and estimate > max_bytes):
            truncated = True
            break
        kept.append(triple)
        estimate += len(str(triple)) + 3  # its N-Triples line: close to any format's size
    prefixes = None if fmt == "nt" else dict(PREFIXES)
    while True:
        written = ox.serialize(kept, format=_GRAPH_FORMATS[fmt], prefixes=prefixes) or b""
        if max_bytes is None or len(written) <= max_bytes or not kept:
            return sparql_results.Written((written,), len(kept), truncated)
        del kept[len(kept) * 3 // 4 :]
        truncated = True
