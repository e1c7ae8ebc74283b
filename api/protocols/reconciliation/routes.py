"""The HTTP side of reconciliation: ``/reconcile`` (manifest, query batches, data extension),
``/reconcile/suggest/entity`` and ``/reconcile/properties``.

``/reconcile`` takes its parameters (``queries``, ``query``, ``extend``) from the query
string or a form body, as OpenRefine sends them (0.2 §4.3), or a JSON body: the 1.0 draft's
``{"queries": [...]}`` (answered ``{"results": [...]}`` in order), a 0.2 batch object, or
an extension ``{"ids", "properties"}``. Every JSON answer may be wrapped for JSONP
(``callback``, a checked JavaScript name); CORS comes from the service's middleware.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from api.build.index import Index
from api.http import parameters
from api.http.bodies import BodyLimit
from api.http.caching import conditional
from api.http.errors import BadRequest, InvalidParameter, UnsupportedMediaType
from api.http.headers import content_type
from api.protocols.reconciliation import answers, batch, extension, wire
from api.protocols.reconciliation.manifest import manifest
from api.protocols.reconciliation.matching import Query
from api.runtime.serving import Serving, current
from api.settings import Settings

#: A JSONP callback: dotted JavaScript identifiers, nothing that could be script.
_CALLBACK = re.compile(r"[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,4}", re.ASCII)
_FORM = "application/x-www-form-urlencoded"
_PARAMETERS = ("queries", "query", "extend", "callback")
#: Longest ``callback``, ``prefix`` and ``type`` values read from a query string or form.
_MAX_FIELD = 300


class JSONResponse(Response):
    media_type = "application/json"


class JavaScriptResponse(Response):
    media_type = "text/javascript"


def answer(body: object, callback: str | None) -> Response:
    """``body`` as JSON, or as a JSONP call of ``callback``."""
    return reply(wire.called(wire.encoded(body), callback))


def reply(made: wire.Answer, headers: Mapping[str, str] | None = None) -> Response:
    kind = JavaScriptResponse if made.script else JSONResponse
    return kind(made.body, headers=headers)


def checked_callback(value: str | None) -> str | None:
    if value is not None and not _CALLBACK.fullmatch(value):
        raise InvalidParameter("callback", "must be a JavaScript name, such as jQuery_123")
    return value


def settings_of(request: Request) -> Settings:
    settings: Settings = request.state.settings
    return settings


# Reading a request ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Body:
    """A POST's body, within the setting's size, and the media type and charset it came as."""

    raw: bytes = b""
    media: tuple[str, str | None] | None = None


async def body_of(request: Request) -> Body:
    """A POST's body (empty on GET): a form or JSON, within ``reconcile_max_body_bytes``."""
    if request.method != "POST":
        return Body()
    media, charset = content_type(request.headers.get("content-type"))
    if media not in (_FORM, "application/json"):
        raise UnsupportedMediaType(f"Send {_FORM} or application/json.")
    limit = settings_of(request).reconcile_max_body_bytes
    raw = await BodyLimit(limit, f"The body must be at most {limit} bytes.").read(request)
    return Body(raw, (media, charset))


def query_fields(request: Request) -> dict[str, str]:
    """The parameters given in the query string, one of each name."""
    return {name: v for name in _PARAMETERS if (v := parameters.value(request, name)) is not None}


def fields_of(fields: dict[str, str], body: Body) -> tuple[dict[str, str], Any]:
    """The form-style parameters (query string, and a form body) and a JSON body (``None``
    without one)."""
    if body.media is None:
        return fields, None
    media, charset = body.media
    try:
        source = body.raw.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        raise BadRequest("The body is not valid text in its charset.") from None
    if media == "application/json":
        return fields, batch.parse_json(source, "body") if source.strip() else None
    return {**fields, **form(source)}, None


def form(source: str) -> dict[str, str]:
    """A form body's fields; a repeated one is a 400 (which would we answer?)."""
    found: dict[str, str] = {}
    try:
        pairs = parse_qsl(source, keep_blank_values=True, max_num_fields=20, errors="strict")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"The form body cannot be read: {str(error)[:100]}") from None
    for name, value in pairs:
        if name in found:
            raise InvalidParameter(name, "must be given once")
        found[name] = value
    return found


# /reconcile -----------------------------------------------------------------------------

#: The parameters that ask for more than the manifest.
_ASKING = frozenset(("queries", "query", "extend"))


async def reconcile(request: Request) -> Response:
    """``/reconcile``: the manifest, a query batch, one query or a data extension; an answer
    given before is given again from the snapshot's cache (``answers``)."""
    serving = current(request)
    fields = query_fields(request)
    langs = parameters.languages(request)
    if request.method != "POST" and not _ASKING & fields.keys():
        callback = checked_callback(fields.get("callback"))
        snapshot = serving.snapshot
        return conditional(
            request, "json", lambda: answer(manifest(request, snapshot, langs), callback), _VARY
        )
    body = await body_of(request)
    key = answers.request_key(request, body.media, body.raw, langs)
    made = answers.kept(serving, key)
    if made is None:
        made = await answered(serving, settings_of(request), fields_of(fields, body), langs)
        answers.keep(serving, key, made)
    return reply(made, _NO_STORE)


_NO_STORE = {"Cache-Control": "no-store"}
_VARY = {"Vary": "Accept-Language"}


async def answered(
    serving: Serving, settings: Settings, read: tuple[dict[str, str], Any], langs: tuple[str, ...]
) -> wire.Answer:
    """The answer to what a request asks (a JSON body before the form's parameters)."""
    fields, document = read
    callback = checked_callback(fields.get("callback"))
    index = serving.index
    if document is not None:
        found = await from_document(document, serving, settings, langs)
    elif "queries" in fields:
        queries = batch.keyed_batch(batch.parse_json(fields["queries"], "queries"), index, settings)
        found = await keyed(serving, queries, langs)
    elif "query" in fields:
        one = batch.single(fields["query"], index, settings)
        (listed,) = await answers.lists(serving, [one], langs, "0.2")
        found = wire.single(listed)
    elif "extend" in fields:
        request_body = batch.parse_json(fields["extend"], "extend")
        found = wire.encoded(extend(index, request_body, settings, langs, "extend"))
    else:
        raise InvalidParameter("queries", "is required in a POST (GET /reconcile for the manifest)")
    return wire.called(found, callback)


async def from_document(
    document: Any, serving: Serving, settings: Settings, langs: tuple[str, ...]
) -> bytes:
    """A JSON body: the 1.0 draft's list of queries, an extension, or a 0.2 batch object."""
    index = serving.index
    if isinstance(document, dict) and "queries" in document:
        queries = batch.listed_batch(document, index, settings)
        return wire.listed(await answers.lists(serving, queries, langs, "1.0"))
    if isinstance(document, dict) and "ids" in document:
        return wire.encoded(extend(index, document, settings, langs, "body"))
    return await keyed(serving, batch.keyed_batch(document, index, settings, "body"), langs)


async def keyed(serving: Serving, queries: dict[str, Query], langs: tuple[str, ...]) -> bytes:
    """The 0.2 answer: the client's keys, each with its ``result`` list."""
    return wire.keyed(queries, await answers.lists(serving, list(queries.values()), langs, "0.2"))


def extend(
    index: Index, document: Any, settings: Settings, langs: tuple[str, ...], name: str
) -> dict[str, Any]:
    """A data extension request ``{"ids": [...], "properties": [{"id": ...}]}`` answered."""
    if not isinstance(document, dict) or set(document) - {"ids", "properties"}:
        raise InvalidParameter(name, "must be an object with 'ids' and 'properties'")
    ids = batch.ids(document.get("ids"), settings, f"{name}.ids")
    properties = extension.property_ids(document.get("properties"), f"{name}.properties")
    return extension.extended(index, ids, properties, langs)


# Suggest and propose properties ---------------------------------------------------------


async def suggest_entity(request: Request) -> Response:
    """``/reconcile/suggest/entity?prefix=``: autocomplete from the search index (0.2 §6)."""
    index, settings = current(request).index, settings_of(request)
    prefix = parameters.required_text(request, "prefix")
    cap = settings.reconcile_max_candidates
    limit = parameters.integer(request, "limit", default=min(10, cap), minimum=1, maximum=cap)
    cursor = parameters.integer(request, "cursor", default=0, minimum=0, maximum=1000)
    type_value = parameters.text(request, "type", required=False, max_length=_MAX_FIELD)
    schemes = batch.types(type_value, index, "type") or (None,)
    callback = checked_callback(parameters.value(request, "callback"))
    langs = parameters.languages(request)

    def build() -> Response:
        hits = [h for s in schemes for h in index.search(prefix, scheme=s, limit=cursor + limit)]
        seen = list(dict.fromkeys(hit.concept for hit in hits))[cursor : cursor + limit]
        return answer({"result": [wire.suggestion(index, i, langs) for i in seen]}, callback)

    return conditional(request, "json", build, _VARY)


async def properties(request: Request) -> Response:
    """``/reconcile/properties?type=``: the properties data extension offers (0.2 §7.1)."""
    index = current(request).index
    type_id = parameters.text(request, "type", required=False, max_length=_MAX_FIELD)
    batch.types(type_id, index, "type")
    limit = parameters.integer(
        request, "limit", default=len(extension.PROPERTIES), minimum=1, maximum=100
    )
    callback = checked_callback(parameters.value(request, "callback"))
    body = extension.proposed(type_id or batch.CONCEPT_TYPE, limit)
    return conditional(request, "json", lambda: answer(body, callback))


def routes() -> list[Route | Mount]:
    """``/reconcile`` and, mounted under it, the services its manifest names."""
    services = [
        Route("/suggest/entity", suggest_entity, methods=["GET"], name="suggest-entity"),
        Route("/properties", properties, methods=["GET"], name="properties"),
    ]
    return [
        Route("/reconcile", reconcile, methods=["GET", "POST"], name="reconcile"),
        Mount("/reconcile", routes=services, name="reconcile-services"),
    ]
