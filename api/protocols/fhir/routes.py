"""The ``/fhir/`` mount: thin endpoints over :mod:`operations`, :mod:`expansion` and
:mod:`resources`, and the
ASGI wrapper that answers every error below it as an ``OperationOutcome``.

GET answers are cacheable (``api.http.caching.conditional``: strong ETag, 304, replay);
POSTed ``Parameters`` are answered afresh. A ``CodeSystem`` is made once per snapshot, off
the event loop, and kept as bytes with the snapshot's documents.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, Router
from starlette.types import Message, Receive, Scope, Send

from api.build.index import Index
from api.http import parameters
from api.http.caching import conditional, conditional_async
from api.languages import parse_accept_language
from api.model import Scheme
from api.protocols.fhir import capabilities, expansion, operations, resources
from api.protocols.fhir.inputs import Inputs, Spec, from_parameters, from_query
from api.protocols.fhir.outcomes import FhirError, from_exception, invalid, not_found
from api.protocols.fhir.wire import FhirResponse, check_format, dump, read_resource
from api.runtime.serving import Serving, current
from api.settings import Settings

Endpoint = Callable[[Request], Awaitable[Response]]


def _settings(request: Request) -> Settings:
    settings: Settings = request.state.settings
    return settings


def _accepted(request: Request) -> tuple[str, ...]:
    return parse_accept_language(request.headers.get("accept-language"))


def _only(request: Request, *names: str) -> None:
    """A 400 for any query parameter but ``names``, unless it starts with ``_`` (FHIR's
    result parameters, which a server may ignore: fhirpy sends ``_totalMethod``) or the
    client asked for ``Prefer: handling=lenient`` (FHIR R4 §3.1.1.5.7)."""
    if "handling=lenient" in request.headers.get("prefer", ""):
        return
    for name in parameters.query(request):
        if name not in names and not name.startswith("_"):
            raise invalid(f"Unknown parameter '{name[:60]}'.", name)


def _date(serving: Serving) -> str:
    """When this snapshot was loaded, as a FHIR ``dateTime`` (seconds, UTC)."""
    return serving.snapshot.loaded_at.replace(microsecond=0).isoformat()


def _base_url(request: Request) -> str:
    return str(request.url_for("fhir:metadata")).removesuffix("metadata")


# Capabilities and code systems ---------------------------------------------------------


async def metadata(request: Request) -> Response:
    """``GET /fhir/metadata``: the ``CapabilityStatement``, or with ``mode=terminology`` the
    ``TerminologyCapabilities``."""
    check_format(request)
    _only(request, "mode")
    mode = parameters.value(request, "mode") or "full"
    if mode not in ("full", "normative", "terminology"):
        raise invalid("'mode' must be full, normative or terminology.", "mode")
    serving = current(request)
    date, base = _date(serving), _base_url(request)

    def build() -> Response:
        if mode == "terminology":
            return FhirResponse(capabilities.terminology_capabilities(serving.index, date, base))
        return FhirResponse(capabilities.capability_statement(date, base))

    return conditional(request, "fhir|" + date, build)


def _summary(request: Request) -> bool:
    raw = parameters.value(request, "_summary")
    if raw not in (None, "true", "false"):
        raise invalid("'_summary' must be true or false.", "_summary")
    return raw == "true"


async def _code_system_bytes(request: Request, scheme: Scheme, summary: bool) -> bytes:
    """The ``CodeSystem`` of ``scheme`` as JSON, made once per snapshot off the event loop."""
    serving = current(request)
    index = serving.index

    def make() -> bytes:
        return dump(resources.code_system(index, scheme, summary=summary))

    key = ("fhir-code-system", scheme.id, summary)
    limiter = serving.builds.limiter(_settings(request).dump_builds)
    return await anyio.to_thread.run_sync(
        serving.caches.documents.get_or_make, key, make, limiter=limiter
    )


async def code_system(request: Request) -> Response:
    """``GET /fhir/CodeSystem/{id}``: one concept scheme with every concept."""
    check_format(request)
    _only(request, "_summary")
    summary = _summary(request)
    scheme = resources.scheme_by_resource_id(current(request).index, request.path_params["id"])
    if scheme is None:
        raise not_found("There is no CodeSystem with this id.")

    async def build() -> Response:
        return FhirResponse(await _code_system_bytes(request, scheme, summary))

    return await conditional_async(request, "fhir", build)


async def search_code_systems(request: Request) -> Response:
    """``GET /fhir/CodeSystem?url=...``: a ``searchset`` ``Bundle`` of the matching code
    systems (``url``, ``version``, ``_id``; all of them when none is given), the first
    ``_count`` of them as entries (at most ``max_page_size``; ``total`` counts them all)."""
    check_format(request)
    _only(request, *SEARCHED)
    summary = _summary(request)
    settings = _settings(request)
    count = parameters.integer(
        request, "_count", default=settings.max_page_size, minimum=0, maximum=settings.max_page_size
    )
    index = current(request).index
    matching = [s for s in index.schemes.values() if _matches(request, s)]
    found = matching[:count]

    async def build() -> Response:
        entries = [
            b'{"fullUrl":'
            + dump(str(request.url_for("fhir:code-system", id=resources.resource_id(s))))
            + b',"resource":'
            + await _code_system_bytes(request, s, summary)
            + b',"search":{"mode":"match"}}'
            for s in found
        ]
        head = {"resourceType": "Bundle", "type": "searchset", "total": len(matching)}
        head["link"] = [{"relation": "self", "url": _self_link(request)}]
        if not entries:  # FHIR JSON has no empty arrays
            return FhirResponse(head)
        opened = dump(head)[:-1]  # splice the kept CodeSystem bytes in, not re-encode them
        return FhirResponse(opened + b',"entry":[' + b",".join(entries) + b"]}")

    return await conditional_async(request, "fhir", build)


def _self_link(request: Request) -> str:
    """The search's URL with only the parameters it used (FHIR R4 §3.1.1.5.7)."""
    used = {name: parameters.value(request, name) for name in SEARCHED}
    url = request.url_for("fhir:code-systems")
    return str(url.include_query_params(**{k: v for k, v in used.items() if v is not None}))


#: The parameters ``GET /fhir/CodeSystem`` reads.
SEARCHED = ("url", "version", "_id", "_summary", "_count")


def _matches(request: Request, scheme: Scheme) -> bool:
    wanted = {
        "url": scheme.iri,
        "version": scheme.version,
        "_id": resources.resource_id(scheme),
    }
    for name, value in wanted.items():
        asked = parameters.value(request, name)
        # Token parameters take several values, any of which may match (FHIR R4 §3.1.1.5.6).
        if asked is not None and value != asked and value not in asked.split(","):
            return False
    return True


# Operations ----------------------------------------------------------------------------


async def _inputs(request: Request, spec: Spec) -> Inputs:
    if request.method == "POST":
        return from_parameters(await read_resource(request, _settings(request)), spec)
    return from_query(request, spec)


def operation(
    spec: Spec, answer: Callable[[Request, Index, Inputs], dict[str, Any]], *, dated: bool = False
) -> Endpoint:
    """An endpoint running ``answer`` on the inputs of a GET query or a POSTed body;
    ``dated``: the answer holds the snapshot's load time, so its ETag does too."""

    async def endpoint(request: Request) -> Response:
        check_format(request)
        inputs = await _inputs(request, spec)
        index = current(request).index
        if request.method == "POST":
            return FhirResponse(
                answer(request, index, inputs), headers={"Cache-Control": "no-store"}
            )
        # The inputs were checked above, so a bad request never meets a kept answer; a
        # kept one (same URL, languages and origin) skips only the answering.
        variant = "fhir|" + _date(current(request)) if dated else "fhir"
        return conditional(request, variant, lambda: FhirResponse(answer(request, index, inputs)))

    return endpoint


def _lookup(request: Request, index: Index, inputs: Inputs) -> dict[str, Any]:
    return operations.lookup(index, inputs, _accepted(request))


def _validate_code(request: Request, index: Index, inputs: Inputs) -> dict[str, Any]:
    return operations.validate_code(index, inputs, _accepted(request))


def _subsumes(request: Request, index: Index, inputs: Inputs) -> dict[str, Any]:
    return operations.subsumes(index, inputs)


def _expand(request: Request, index: Index, inputs: Inputs) -> dict[str, Any]:
    settings = _settings(request)
    limits = expansion.Limits(
        page_size=min(settings.page_size, settings.max_page_size),
        max_page_size=settings.max_page_size,
        max_filtered=settings.max_search_results,
    )
    date = _date(current(request))
    return expansion.expand(index, inputs, limits, timestamp=date, accepted=_accepted(request))


# The mount -----------------------------------------------------------------------------

GET_POST = ["GET", "POST"]

ROUTES = [
    Route("/metadata", metadata, methods=["GET"], name="metadata"),
    Route("/CodeSystem", search_code_systems, methods=["GET"], name="code-systems"),
    Route(
        "/CodeSystem/$lookup",
        operation(operations.LOOKUP, _lookup),
        methods=GET_POST,
        name="lookup",
    ),
    Route(
        "/CodeSystem/$validate-code",
        operation(operations.VALIDATE_CODE, _validate_code),
        methods=GET_POST,
        name="validate-code",
    ),
    Route(
        "/CodeSystem/$subsumes",
        operation(operations.SUBSUMES, _subsumes),
        methods=GET_POST,
        name="subsumes",
    ),
    Route("/CodeSystem/{id}", code_system, methods=["GET"], name="code-system"),
    Route(
        "/ValueSet/$expand",
        operation(expansion.EXPAND, _expand, dated=True),
        methods=GET_POST,
        name="expand",
    ),
]


class FhirApp:
    """The routes above, with every error raised below answered as an ``OperationOutcome``
    (unknown paths and methods too), before the service's problem+json handler sees it."""

    def __init__(self, routes: list[Route]) -> None:
        self.router = Router(routes=routes)

    @property
    def routes(self) -> list[Route]:
        """What ``Mount`` reads to build URLs (``url_for("fhir:lookup")``)."""
        return self.router.routes  # type: ignore[return-value]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        # Starlette runs the app's handlers (problem+json) for what an endpoint raises
        # (``wrap_app_handling_exceptions`` reads them from the scope): none here, so every
        # error, the router's own 404 and 405 too, reaches the ``except`` below.
        scope["starlette.exception_handlers"] = ({}, {})
        try:
            await self.router(scope, receive, watched)
        except Exception as error:
            if started or scope["type"] != "http":
                raise
            await outcome_response(from_exception(error))(scope, receive, send)


def outcome_response(error: FhirError) -> Response:
    """The ``OperationOutcome`` answer of ``error``, never cached."""
    headers = {**error.headers, "Cache-Control": "no-store"}
    return FhirResponse(error.outcome(), status_code=error.status, headers=headers)


def mount() -> Mount:
    """``/fhir``: FHIR R4 terminology (named ``fhir``: its routes are ``fhir:<name>``)."""
    return Mount("/fhir", app=FhirApp(ROUTES), name="fhir")
