"""The HTTP side of reconciliation: ``/reconcile`` (manifest, query batches, data extension),
``/reconcile/suggest/entity`` and ``/reconcile/properties``.

``/reconcile`` takes its parameters (``queries``, ``query``, ``extend``) from the query
string or a form body, as OpenRefine sends them (0.2 §4.3), or a JSON body: the 1.0 draft's
``{"queries": [...]}`` (answered ``{"results": [...]}`` in order), a 0.2 batch object, or
an extension ``{"ids", "properties"}``. Every JSON answer may be wrapped for JSONP
(``callback``, a checked JavaScript name); CORS comes from the service's middleware.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import parse_qsl

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from api.build.index import Index
from api.http import parameters
from api.http.bodies import BodyLimit
from api.http.caching import conditional
from api.http.errors import BadRequest, InvalidParameter, UnsupportedMediaType
from api.http.headers import content_type
from api.languages import pick
from api.model import Concept
from api.protocols.reconciliation import batch, extension
from api.protocols.reconciliation.manifest import manifest
from api.protocols.reconciliation.matching import Candidate, Query, candidates
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


def answer(
    body: object, callback: str | None, headers: Mapping[str, str] | None = None
) -> Response:
    """``body`` as JSON, or as a JSONP call of ``callback`` (the comment keeps the first bytes
    from being read as anything but script)."""
    encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    if callback is None:
        return JSONResponse(encoded, headers=headers)
    return JavaScriptResponse(f"/**/{callback}({encoded});", headers=headers)


def checked_callback(value: str | None) -> str | None:
    if value is not None and not _CALLBACK.fullmatch(value):
        raise InvalidParameter("callback", "must be a JavaScript name, such as jQuery_123")
    return value


def settings_of(request: Request) -> Settings:
    settings: Settings = request.state.settings
    return settings


# Reading a request ----------------------------------------------------------------------


async def fields_of(request: Request) -> tuple[dict[str, str], Any]:
    """The form-style parameters (query string, and a form body on POST) and a JSON body
    (``None`` without one); one of each name, a body within the setting's size."""
    fields = {name: v for name in _PARAMETERS if (v := parameters.value(request, name)) is not None}
    if request.method != "POST":
        return fields, None
    settings = settings_of(request)
    media, charset = content_type(request.headers.get("content-type"))
    if media not in (_FORM, "application/json"):
        raise UnsupportedMediaType(f"Send {_FORM} or application/json.")
    limit = settings.reconcile_max_body_bytes
    body = await BodyLimit(limit, f"The body must be at most {limit} bytes.").read(request)
    try:
        source = body.decode(charset or "utf-8")
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


async def reconcile(request: Request) -> Response:
    """``/reconcile``: the manifest, a query batch, one query or a data extension."""
    serving = current(request)
    index, settings = serving.index, settings_of(request)
    fields, document = await fields_of(request)
    callback = checked_callback(fields.get("callback"))
    langs = parameters.languages(request)
    if document is not None:
        found = await from_document(document, serving, settings, langs)
        return answer(found, callback, _NO_STORE)
    if "queries" in fields:
        queries = batch.keyed_batch(batch.parse_json(fields["queries"], "queries"), index, settings)
        return answer(await keyed(serving, queries, langs), callback, _NO_STORE)
    if "query" in fields:
        one = batch.single(fields["query"], index, settings)
        (found,) = await run(serving, [one], langs)
        return answer({"result": found}, callback, _NO_STORE)
    if "extend" in fields:
        request_body = batch.parse_json(fields["extend"], "extend")
        return answer(extend(index, request_body, settings, langs, "extend"), callback, _NO_STORE)
    if request.method == "POST":
        raise InvalidParameter("queries", "is required in a POST (GET /reconcile for the manifest)")
    snapshot = serving.snapshot
    return conditional(
        request, "json", lambda: answer(manifest(request, snapshot, langs), callback), _VARY
    )


_NO_STORE = {"Cache-Control": "no-store"}
_VARY = {"Vary": "Accept-Language"}


async def from_document(
    document: Any, serving: Serving, settings: Settings, langs: tuple[str, ...]
) -> Any:
    """A JSON body: the 1.0 draft's list of queries, an extension, or a 0.2 batch object."""
    index = serving.index
    if isinstance(document, dict) and "queries" in document:
        queries = batch.listed_batch(document, index, settings)
        found = await to_thread.run_sync(found_all, serving, queries)
        return {"results": [{"candidates": [draft(index, c, langs) for c in f]} for f in found]}
    if isinstance(document, dict) and "ids" in document:
        return extend(index, document, settings, langs, "body")
    return await keyed(serving, batch.keyed_batch(document, index, settings, "body"), langs)


async def keyed(serving: Serving, queries: dict[str, Query], langs: tuple[str, ...]) -> Any:
    """The 0.2 answer: the client's keys, each with its ``result`` list."""
    found = await run(serving, list(queries.values()), langs)
    return {key: {"result": result} for key, result in zip(queries, found, strict=True)}


async def run(serving: Serving, queries: list[Query], langs: tuple[str, ...]) -> list[Any]:
    """Each query's candidates as 0.2 results, found off the event loop."""
    found = await to_thread.run_sync(found_all, serving, queries)
    return [[result(serving.index, c, langs) for c in each] for each in found]


def found_all(serving: Serving, queries: list[Query]) -> list[tuple[Candidate, ...]]:
    """Each query's candidates, kept per snapshot: a spreadsheet column repeats its values
    ("consultation" in row after row), and OpenRefine sends each row's cell."""
    cache, index = serving.caches.responses, serving.index
    return [
        cast(
            "tuple[Candidate, ...]",
            cache.get_or_make(("reconcile", query), functools.partial(candidates, index, query)),
        )
        for query in queries
    ]


def extend(
    index: Index, document: Any, settings: Settings, langs: tuple[str, ...], name: str
) -> dict[str, Any]:
    """A data extension request ``{"ids": [...], "properties": [{"id": ...}]}`` answered."""
    if not isinstance(document, dict) or set(document) - {"ids", "properties"}:
        raise InvalidParameter(name, "must be an object with 'ids' and 'properties'")
    ids = batch.ids(document.get("ids"), settings, f"{name}.ids")
    properties = extension.property_ids(document.get("properties"), f"{name}.properties")
    return extension.extended(index, ids, properties, langs)


# Candidates on the wire -----------------------------------------------------------------


def types_of(index: Index, concept: Concept, langs: tuple[str, ...]) -> list[dict[str, str]]:
    found = [{"id": batch.CONCEPT_TYPE, "name": "Concept"}]
    for scheme_id in concept.schemes:
        scheme = index.schemes.get(scheme_id)
        if scheme is not None:
            title = pick(scheme.titles, langs, scheme.default_language)
            found.append({"id": scheme.iri, "name": title.value if title else scheme.id})
    return found


def description(index: Index, concept: Concept, langs: tuple[str, ...]) -> str | None:
    found = pick(concept.definitions, langs, index.language(concept))
    return None if found is None else found.value


def result(index: Index, candidate: Candidate, langs: tuple[str, ...]) -> dict[str, Any]:
    """A 0.2 candidate: id, name (the preferred label), description, score, match, type."""
    concept = candidate.concept
    found = {
        "id": concept.id,
        "name": index.label(concept.id, langs).value,
        "score": candidate.score,
        "match": candidate.match,
        "type": types_of(index, concept, langs),
    }
    text = description(index, concept, langs)
    return found if text is None else {**found, "description": text}


def draft(index: Index, candidate: Candidate, langs: tuple[str, ...]) -> dict[str, Any]:
    """A 1.0 draft candidate: as 0.2, but ``name`` is a list of language-tagged strings."""
    label = index.label(candidate.concept.id, langs)
    name = {"str": label.value}
    if label.language is not None:
        name["lang"] = label.language
    return {**result(index, candidate, langs), "name": [name]}


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
        return answer({"result": [suggestion(index, i, langs) for i in seen]}, callback)

    return conditional(request, "json", build, _VARY)


def suggestion(index: Index, concept_id: str, langs: tuple[str, ...]) -> dict[str, Any]:
    concept = index.concepts[concept_id]
    found = {
        "id": concept_id,
        "name": index.label(concept_id, langs).value,
        "notable": types_of(index, concept, langs),
    }
    text = description(index, concept, langs)
    return found if text is None else {**found, "description": text}


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
