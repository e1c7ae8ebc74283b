"""The service's own routes: health, and the OpenAPI description as JSON and as a page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api import __version__
from api import payloads as p
from api.http.caching import conditional
from api.rest.common import JSONBytesResponse, json_ok
from api.rest.openapi import as_json, docs_page, load_spec
from api.runtime.serving import current


async def health(request: Request) -> Response:
    """Liveness and what is loaded; never cached by shared caches for long."""
    snapshot = current(request).snapshot
    index, vocabulary = snapshot.index, snapshot.vocabulary
    response = json_ok(
        request,
        snapshot,
        lambda: p.Health(
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
        ),
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


class Documentation:
    """``/openapi.json`` and ``/docs``, both rendered once from the YAML at start-up."""

    def __init__(self) -> None:
        spec = load_spec()
        self.spec_bytes = as_json(spec)
        self.page = docs_page(spec)

    async def openapi(self, request: Request) -> Response:
        return conditional(request, "static", lambda: JSONBytesResponse(self.spec_bytes))

    async def docs(self, request: Request) -> Response:
        return conditional(request, "static", lambda: HTMLResponse(self.page))
