"""The service's own routes: health, the caches' hit rates, the problems found in the loaded
vocabulary, and the OpenAPI description as JSON and as a page."""

from __future__ import annotations

import asyncio
import os

from starlette.requests import Request
from starlette.responses import Response

from api import __version__
from api import payloads as p
from api.build.admission import RULES, SEVERITIES, Problem, Problems
from api.http import parameters
from api.http.caching import conditional
from api.http.errors import InvalidParameter
from api.http.parameters import decode_cursor, encode_cursor
from api.payloads.models import Payload, Reload
from api.rest.common import JSONBytesResponse, PayloadResponse, json_ok, settings_of
from api.rest.openapi import as_json, docs_body, docs_title, examples_of, load_spec, with_examples
from api.runtime.lru import Stats
from api.runtime.serving import ReloadStatus, Runtime, current
from api.runtime.snapshot import Snapshot


async def health(request: Request) -> Response:
    """Liveness, what is loaded and what became of the last reload; always revalidated."""
    snapshot = current(request).snapshot
    runtime: Runtime = request.state.runtime
    status = runtime.reload_status
    # The reload status changes while the snapshot does not, so it is part of the ETag.
    response = conditional(
        request,
        f"json|reloads={status.attempts}",
        lambda: PayloadResponse(_health(snapshot, status)),
        {"Vary": "Accept-Language"},
    )
    response.headers["Cache-Control"] = "no-cache"
    # Which process answered: with --workers N, a reload can be seen reaching every worker.
    response.headers["Glossary-Worker"] = str(os.getpid())
    return response


class CacheFigures(Payload):
    """One cache: what it holds, its bounds, and how often it answered."""

    entries: int
    capacity: int
    #: ``None`` for a cache bounded in entries only.
    bytes_held: int | None
    hits: int
    misses: int
    hit_rate: float


class CacheReport(Payload):
    """The current snapshot's caches (made afresh on each reload), by name."""

    digest: str
    caches: dict[str, CacheFigures]


async def cache_stats(request: Request) -> Response:
    """The caches' figures as they are now: never kept, by us or by anyone on the way
    (``/health`` is replayed by ETag, so counters that change on every request live here)."""
    serving = current(request)
    report = CacheReport(
        digest=serving.snapshot.digest,
        caches={name: cache_figures(stats) for name, stats in serving.caches.stats().items()},
    )
    return PayloadResponse(report, headers={"Cache-Control": "no-store"})


def cache_figures(stats: Stats) -> CacheFigures:
    return CacheFigures(
        entries=stats.entries,
        capacity=stats.capacity,
        bytes_held=stats.weight,
        hits=stats.hits,
        misses=stats.misses,
        hit_rate=round(stats.hit_rate, 4),
    )


def _health(snapshot: Snapshot, status: ReloadStatus) -> p.Health:
    index, vocabulary = snapshot.index, snapshot.vocabulary
    return p.Health(
        status="ok",
        version=__version__,
        digest=index.digest,
        counts=p.Counts(
            schemes=len(index.schemes),
            concepts=len(index.concepts),
            collections=len(index.collections),
            triples=vocabulary.triple_count,
        ),
        # File names only: absolute paths would tell strangers about the server's disks.
        files=[path.name for path in vocabulary.files],
        loaded_at=snapshot.loaded_at.isoformat(),
        problems=problem_counts(snapshot.problems),
        reload=_reload(status),
    )


def problem_counts(problems: Problems) -> p.ProblemCounts:
    """How many problems, by severity, rule and vocabulary (see ``Problems.by_vocabulary``)."""
    severities = problems.severities()
    by_rule: dict[str, int] = {}
    for (rule, _), count in sorted(problems.counts().items()):
        by_rule[rule] = by_rule.get(rule, 0) + count
    return p.ProblemCounts(
        errors=severities["error"],
        violations=severities["violation"],
        warnings=severities["warning"],
        by_rule=by_rule,
        by_vocabulary=dict(sorted(problems.by_vocabulary.items())),
    )


async def problems(request: Request) -> Response:
    """A page of the loaded vocabulary's problems, most severe first, optionally of one rule
    or severity; where each is written is found once per snapshot (it reads the files)."""
    snapshot, settings = current(request).snapshot, settings_of(request)
    rule = parameters.text(request, "rule", required=False, max_length=100)
    if rule is not None and rule not in RULES:
        raise InvalidParameter("rule", "must be one of " + ", ".join(RULES))
    severity = parameters.text(request, "severity", required=False, max_length=20)
    if severity is not None and severity not in SEVERITIES:
        raise InvalidParameter("severity", "must be " + " or ".join(SEVERITIES))
    limit = parameters.integer(
        request, "limit", default=min(settings.page_size, settings.max_page_size),
        minimum=1, maximum=settings.max_page_size,
    )  # fmt: skip
    chosen = [
        problem
        for problem in snapshot.problems.all
        if rule in (None, problem.rule) and severity in (None, problem.severity)
    ]
    cursor = parameters.text(request, "cursor", required=False)
    offset = 0 if cursor is None else decode_cursor(cursor, snapshot.digest, len(chosen))
    end = offset + limit
    next_url = None
    if end < len(chosen):
        query = {**request.query_params, "cursor": encode_cursor(end, snapshot.digest)}
        next_url = str(request.url_for("problems").include_query_params(**query))
    located = await asyncio.to_thread(snapshot.problems.located)
    places = dict(zip(snapshot.problems.all, located, strict=True))
    page = [places[problem] for problem in chosen[offset:end]]
    headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
    return json_ok(
        request,
        lambda: p.ProblemList(
            items=[problem_item(problem) for problem in page],
            total=len(chosen),
            limit=limit,
            next=next_url,
            counts=problem_counts(snapshot.problems),
        ),
        headers,
    )


def problem_item(problem: Problem) -> p.ProblemItem:
    """A problem on the wire: the file's name, never its path."""
    return p.ProblemItem(
        rule=problem.rule,
        severity=problem.severity,
        message=problem.message,
        term=problem.term,
        label=problem.label,
        file=None if problem.file is None else problem.file.name,
        line=problem.line,
    )


def _reload(status: ReloadStatus) -> Reload | None:
    if status.last_attempt is None:
        return None
    return Reload(
        last_attempt=status.last_attempt.isoformat(),
        last_success=None if status.last_success is None else status.last_success.isoformat(),
        outcome="ok" if status.outcome is None else status.outcome,
        reason=status.reason,
    )


class Documentation:
    """``/openapi.json`` and ``/docs``, both rendered once from the YAML at start-up; when
    another vocabulary than the shipped glossary is served, once per snapshot with examples
    from that vocabulary (so that the documentation names nothing it does not serve)."""

    def __init__(self) -> None:
        self.spec = load_spec()
        self.spec_bytes = as_json(self.spec)
        self.title = docs_title(self.spec)
        self.body = docs_body(self.spec).encode()

    def _documents(self, request: Request) -> tuple[bytes, bytes]:
        serving = current(request)
        examples = examples_of(serving.index)
        if examples is None:
            return self.spec_bytes, self.body
        documents, spec = serving.caches.documents, self.spec
        return (
            documents.get_or_make(
                ("openapi.json",), lambda: as_json(with_examples(spec, examples))
            ),
            documents.get_or_make(
                ("docs",), lambda: docs_body(with_examples(spec, examples)).encode()
            ),
        )

    async def openapi(self, request: Request) -> Response:
        body = self._documents(request)[0]
        return conditional(request, "static", lambda: JSONBytesResponse(body))

    def docs_body(self, request: Request) -> str:
        """The HTML of the operations (the ``/docs`` page's content, which the pages
        surface puts in the site's layout), with this vocabulary's examples."""
        return self._documents(request)[1].decode()
