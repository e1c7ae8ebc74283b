"""Reading the vocabulary from a SPARQL 1.1 endpoint instead of files: the other source of
triples, beside ``files``; what follows (read model, digest, admission) is the same.

The store is read in pages, by subject, so no answer is large and no page asks the store to
sort: one ``SELECT DISTINCT ?s`` lists the IRI subjects, then a ``CONSTRUCT`` per
``page_size`` of them (``VALUES``) fetches their triples, and one more the triples of blank
nodes (SKOS lists, nested descriptions); a few pages are asked for at once, so the store
answers the next while this process parses one. Blank nodes are matched across answers by their
labels, as Oxigraph and Virtuoso keep them; a store that renames them per answer (Jena)
would split such structures. Every answer is bounded: in bytes (``max_bytes`` for the whole
load), in time (``timeout`` per answer, ``deadline`` for the whole load) and in kind (only
the media types asked for). Credentials (basic or bearer) go in the ``Authorization``
header, never in a message: errors say "the SPARQL source" (``/health`` shows them) and
the log names it by :func:`public_name`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from pyoxigraph import (
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
)

from api.build.digest import content_digest
from api.build.files import LoadedVocabulary, Progress, VocabularyError

if TYPE_CHECKING:
    import httpx

    from api.settings import Settings

logger = logging.getLogger("api")

#: Media types of the answers asked for, by kind: graphs, then solutions.
GRAPH_TYPES: Final[Mapping[str, RdfFormat]] = MappingProxyType(
    {
        "application/n-triples": RdfFormat.N_TRIPLES,
        "text/turtle": RdfFormat.TURTLE,
        "text/plain": RdfFormat.N_TRIPLES,  # N-Triples' type before RDF 1.1 (older Virtuoso)
    }
)
SOLUTION_TYPES: Final[Mapping[str, QueryResultsFormat]] = MappingProxyType(
    {
        "application/sparql-results+json": QueryResultsFormat.JSON,
        "application/sparql-results+xml": QueryResultsFormat.XML,
        "text/tab-separated-values": QueryResultsFormat.TSV,
    }
)
_GRAPH_ACCEPT: Final = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"
_SOLUTION_ACCEPT: Final = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.8"
)
_SUBJECTS: Final = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_BLANK_NODES: Final = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isBlank(?s)) }"
#: Pages asked for at once (see :func:`_in_order`).
PAGES_IN_FLIGHT: Final = 3
#: What marks a blank node's label in N-Triples or Turtle.
_LABEL: Final = b"_:"
#: Most bytes of an answer to the poll query (it should be a count or a date).
POLL_MAX_BYTES: Final = 1024 * 1024
#: Most bytes of a store's error message repeated in ours.
_ERROR_CHARS: Final = 300


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL endpoint to read the vocabulary from, and the bounds of one load (the
    ``source*`` settings and ``load_timeout``; these defaults are theirs)."""

    url: str
    graphs: tuple[str, ...] = ()
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    page_size: int = 2000
    timeout: float = 60.0
    max_bytes: int = 1_000_000_000
    deadline: float = 300.0
    #: A query whose answer changes when the data does; empty: reload whole to find out.
    poll_query: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoint:
        password, token = settings.source_password, settings.source_token
        return cls(
            settings.source,
            settings.source_graphs,
            settings.source_user,
            None if password is None else password.get_secret_value(),
            None if token is None else token.get_secret_value(),
            settings.source_page_size,
            settings.source_timeout,
            settings.source_max_bytes,
            settings.load_timeout,
            settings.source_poll_query,
        )

    @property
    def name(self) -> str:
        return public_name(self.url)

    def headers(self) -> dict[str, str]:
        """The headers of every request: who asks and, with a token, the bearer credential."""
        headers = {"User-Agent": "engagement-glossary (vocabulary loader)"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def auth(self) -> httpx.BasicAuth | None:
        if self.user is None or self.token:
            return None
        import httpx  # here: only a SPARQL source needs it, and it costs every start 0.1 s

        return httpx.BasicAuth(self.user, self.password or "")


def public_name(url: str) -> str:
    """The endpoint as messages, logs and ``/health`` may show it: without user, password,
    query string or fragment, any of which may hold a credential."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class _Bounds:
    """What is left of one load's byte budget and time; raises once either is spent."""

    def __init__(self, endpoint: Endpoint, max_bytes: int | None = None) -> None:
        self.endpoint = endpoint
        self.bytes_left = endpoint.max_bytes if max_bytes is None else max_bytes
        self.ends = time.monotonic() + endpoint.deadline
        self._lock = threading.Lock()

    def take(self, size: int) -> None:
        with self._lock:  # pages are read by several threads at once
            self.bytes_left -= size
            spent = self.bytes_left < 0
        if spent:
            limit = self.endpoint.max_bytes
            message = f"the answers are larger than {limit:,} bytes (the source_max_bytes setting)"
            raise _error("too-large", message, self.endpoint)
        if time.monotonic() > self.ends:
            message = (
                f"loading took longer than {self.endpoint.deadline:g} s (the load_timeout setting)"
            )
            raise _error("time-limit", message, self.endpoint)

    def timeout(self) -> httpx.Timeout:
        """The per-answer timeout, shortened to what is left of the load's time."""
        import httpx

        left = max(0.001, self.ends - time.monotonic())
        return httpx.Timeout(min(self.endpoint.timeout, left))


def _error(rule: str, message: str, endpoint: Endpoint) -> VocabularyError:
    """An error ``/health`` may show: it says "the SPARQL source", never its host (logged)."""
    logger.warning("SPARQL source %s: %s", endpoint.name, message)
    return VocabularyError(rule, f"SPARQL source: {message}")


def load_endpoint(endpoint: Endpoint, progress: Progress | None = None) -> LoadedVocabulary:
    """Read the endpoint's triples (of ``graphs``, else its default graph) into a store; raise
    ``VocabularyError`` if the store cannot be read within the bounds, or holds nothing."""
    say = progress or (lambda message: None)
    bounds = _Bounds(endpoint)
    store = Store()
    with _client(endpoint) as client, ThreadPoolExecutor(PAGES_IN_FLIGHT) as pool:
        say(f"listing the subjects at {endpoint.name}")
        subjects = sorted(_subjects(client, endpoint, bounds))
        say(f"{len(subjects):,} subjects listed; reading their triples")
        size = endpoint.page_size
        pages = [subjects[start : start + size] for start in range(0, len(subjects), size)]
        fetch = functools.partial(_answer, client, endpoint, bounds, kind="graph")
        # The blank nodes first: their query scans every triple, so the store works on it
        # while it answers the first pages.
        answers = _in_order(pool, fetch, [_BLANK_NODES, *map(_describe, pages)])
        for number, (media_type, chunks) in enumerate(answers):
            _add(store, media_type, b"".join(chunks), endpoint)
            done = f"{min(number * size, len(subjects)):,} of {len(subjects):,} subjects"
            what = done if number else "the blank nodes' triples"
            say(f"{what} read ({len(store):,} triples)")
    if not len(store):
        raise _error("empty", "the endpoint holds no triples (in the graphs named)", endpoint)
    say(f"{len(store):,} triples read from {endpoint.name}; digesting them")
    return LoadedVocabulary(store, (), content_digest(store), len(store))


def poll(endpoint: Endpoint) -> str:
    """What the poll query answers now (its SHA-256): when it changes, so did the data.
    Without a poll query, the empty string (the watcher then reloads at every interval and
    swaps only a changed digest). Raises ``VocabularyError`` when the store does not answer."""
    if not endpoint.poll_query:
        return ""
    bounds = _Bounds(endpoint, POLL_MAX_BYTES)
    with _client(endpoint) as client:
        query = endpoint.poll_query
        body = b"".join(_answer(client, endpoint, bounds, query, kind="solutions")[1])
    return hashlib.sha256(body).hexdigest()


def _client(endpoint: Endpoint) -> httpx.Client:
    # No redirects: a store that moved is a configuration to fix, and following one could
    # send the credentials to another host.
    import httpx

    return httpx.Client(
        auth=endpoint.auth(),
        headers=endpoint.headers(),
        timeout=endpoint.timeout,
        follow_redirects=False,
        trust_env=False,
    )


def _subjects(client: httpx.Client, endpoint: Endpoint, bounds: _Bounds) -> Iterator[str]:
    media_type, chunks = _answer(client, endpoint, bounds, _SUBJECTS, kind="solutions")
    with _syntax(endpoint):
        results = parse_query_results(b"".join(chunks), SOLUTION_TYPES[media_type])
        if not isinstance(results, QuerySolutions):
            raise _error("not-sparql", "the subjects query got a boolean answer", endpoint)
        for solution in results:
            subject = solution["s"]
            if isinstance(subject, NamedNode):
                yield subject.value


def _describe(subjects: Sequence[str]) -> str:
    values = " ".join(str(NamedNode(subject)) for subject in subjects)
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"


def _in_order(
    pool: ThreadPoolExecutor,
    fetch: Callable[[str], tuple[str, list[bytes]]],
    queries: Sequence[str],
) -> Iterator[tuple[str, list[bytes]]]:
    """The answers to ``queries`` in order, :data:`PAGES_IN_FLIGHT` asked for at once: the
    store builds the next answers while this thread parses one, and no more than that many
    answers are ever held. Those not yet asked are not asked once one fails."""
    pending: deque[Future[tuple[str, list[bytes]]]] = deque()
    try:
        for query in queries:
            pending.append(pool.submit(fetch, query))
            if len(pending) == PAGES_IN_FLIGHT:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _add(store: Store, media_type: str, data: bytes, endpoint: Endpoint) -> None:
    """Parse one answer into ``store``: in Rust when it has no blank node label, else through
    Python keeping the labels, so that a blank node named in two answers is one node."""
    rdf_format = GRAPH_TYPES[media_type]
    with _syntax(endpoint):
        if _LABEL in data:  # (or a literal holding "_:": the slower way is as right)
            store.extend(parse(data, rdf_format, rename_blank_nodes=False))
        else:
            store.load(data, rdf_format)


def _answer(
    client: httpx.Client, endpoint: Endpoint, bounds: _Bounds, query: str, *, kind: str
) -> tuple[str, list[bytes]]:
    """POST ``query`` (SPARQL 1.1 Protocol §2.1.2, with the graphs as ``default-graph-uri``);
    the answer's media type and its bytes, read within the bounds."""
    import httpx

    accepted = GRAPH_TYPES if kind == "graph" else SOLUTION_TYPES
    accept = _GRAPH_ACCEPT if kind == "graph" else _SOLUTION_ACCEPT
    form = [("query", query), *(("default-graph-uri", graph) for graph in endpoint.graphs)]
    try:
        request = client.build_request(
            "POST", endpoint.url, data=dict(_pairs(form)), headers={"Accept": accept}
        )
        request.extensions["timeout"] = bounds.timeout().as_dict()
        response = client.send(request, stream=True)
        try:
            media_type = _checked(response, accepted, endpoint)
            return media_type, list(_read(response, bounds))
        finally:
            response.close()
    except httpx.TimeoutException:
        message = f"no answer within {endpoint.timeout:g} s (the source_timeout setting)"
        raise _error("time-limit", message, endpoint) from None
    except httpx.HTTPError as error:
        message = f"the store could not be reached ({type(error).__name__})"
        raise _error("unreachable", message, endpoint) from None


def _pairs(form: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Form fields, a name given several times (``default-graph-uri``) kept as a list."""
    pairs: dict[str, list[str]] = {}
    for name, value in form:
        pairs.setdefault(name, []).append(value)
    return pairs


def _checked(response: httpx.Response, accepted: Mapping[str, object], endpoint: Endpoint) -> str:
    """The answer's media type, if it is a success of a kind asked for; else why not."""
    if response.status_code != 200:
        said = response.read()[:_ERROR_CHARS].decode("utf-8", "replace").strip()
        logger.warning(
            "SPARQL source %s answered %s: %s", endpoint.name, response.status_code, said
        )
        message = f"the store answered {response.status_code} (its message is in the log)"
        raise _error("store-error", message, endpoint)
    media_type = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
    if media_type not in accepted:
        expected = ", ".join(accepted)
        message = f"the store answered {media_type or 'no content type'}, not one of {expected}"
        raise _error("content-type", message, endpoint)
    return media_type


def _read(response: httpx.Response, bounds: _Bounds) -> Iterator[bytes]:
    for chunk in response.iter_bytes():
        bounds.take(len(chunk))
        yield chunk


@contextlib.contextmanager
def _syntax(endpoint: Endpoint) -> Iterator[None]:
    """The parser's errors as a ``VocabularyError`` naming the endpoint."""
    try:
        yield
    except (SyntaxError, ValueError, OSError) as error:
        message = f"the store's answer does not parse: {str(error)[:_ERROR_CHARS]}"
        raise _error("syntax", message, endpoint) from None
