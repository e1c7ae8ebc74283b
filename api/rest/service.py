"""The service's own routes: health, and the OpenAPI description as JSON and as a page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api import __version__
from api import payloads as p
from api.http.caching import conditional
from api.payloads.models import Reload
from api.rest.common import JSONBytesResponse, PayloadResponse
from api.rest.openapi import as_json, docs_page, examples_of, load_spec, with_examples
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
    return response


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
        reload=_reload(status),
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
        self.page = docs_page(self.spec).encode()

    def _documents(self, request: Request) -> tuple[bytes, bytes]:
        serving = current(request)
        examples = examples_of(serving.index)
        if examples is None:
            return self.spec_bytes, self.page
        documents, spec = serving.caches.documents, self.spec
        return (
            documents.get_or_make(
                ("openapi.json",), lambda: as_json(with_examples(spec, examples))
            ),
            documents.get_or_make(
                ("docs",), lambda: docs_page(with_examples(spec, examples)).encode()
            ),
        )

    async def openapi(self, request: Request) -> Response:
        body = self._documents(request)[0]
        return conditional(request, "static", lambda: JSONBytesResponse(body))

    async def docs(self, request: Request) -> Response:
        page = self._documents(request)[1]
        return conditional(request, "static", lambda: HTMLResponse(page))
