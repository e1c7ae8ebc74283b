"""The renderer registry: which formats a resource is offered in, and the negotiated answer.

Each surface declares renderers (``rest``: JSON, ``rdf``: the RDF formats, ``pages``:
HTML); the app factory gathers them into one :class:`Registry`. A renderer says whether it
can render a given resource (Datasette's ``can_render``), so a format that cannot express a
resource is simply not offered for it, and serialisers never raise HTTP errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, Union

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from api.http import parameters
from api.http.caching import (
    Prepared,
    add_cache_headers,
    content_tag,
    mark_replayable,
    prepare,
    replay,
    tag_of,
)
from api.http.caching import origin as origin  # re-exported: the JSON renderer keys on it
from api.http.errors import InvalidParameter, MultipleChoices, NotAcceptable, NotFound
from api.http.headers import accept_languages
from api.http.negotiation import FORMATS, JSON, RDF_FORMATS, Decision, Format, negotiate_memo
from api.model import Collection, Concept, Scheme
from api.runtime.serving import Serving, current
from api.runtime.snapshot import Snapshot

Resource = Union[Concept, Scheme, Collection]  # noqa: UP007 - used at runtime as a type alias
R = TypeVar("R", Concept, Scheme, Collection)

# Ids keep the unreserved characters of their IRI's local name, dots and "~" included
# (``78.89227``, ``scheme~894``: see ``api.build.records.ids``); a final ``.letters`` is a
# format suffix, so ``mt7.05`` is an id and ``consultation.ttl`` an id with a suffix.
_NAME_WITH_SUFFIX = re.compile(r"^(?P<id>[A-Za-z0-9._~-]+?)(?:\.(?P<suffix>[A-Za-z]+))?$")


def _always(serving: Serving, resource: Resource) -> bool:
    return True


@dataclass(frozen=True)
class Renderer:
    """Turns a found resource into a response body of one format (headers are added here)."""

    render: Callable[[Request, Serving, Resource], Response]
    can_render: Callable[[Serving, Resource], bool] = field(default=_always)


@dataclass(frozen=True)
class Registry:
    """The renderers this deployment offers, by format name, in server preference order."""

    renderers: Mapping[str, Renderer]

    @cached_property  # asked on every negotiated request; the registry never changes
    def formats(self) -> tuple[Format, ...]:
        return tuple(f for f in FORMATS if f.name in self.renderers)


def split_name(
    name: str, named: Callable[[str], object | None] | None = None
) -> tuple[str, str | None]:
    """``consultation.ttl`` → (``consultation``, ``ttl``); a 404 for names that can't be ids.

    ``named`` (an id → its record, or ``None``) is asked first, so that an id which itself
    ends in ``.letters`` (a local name such as ``Econ.Theory``) names its resource rather
    than a format."""
    if named is not None and named(name) is not None:
        return name, None
    match = _NAME_WITH_SUFFIX.match(name)
    if match is None:
        raise NotFound(f"No resource is named '{name[:100]}'.")
    return match["id"], match["suffix"]


def choose_from(
    request: Request, offered: Sequence[Format], default: Format, suffix: str | None = None
) -> Decision:
    """Negotiate among ``offered``: suffix > ?format= > Accept > ``default``; errors name
    what is offered."""
    names = {f.name for f in offered}
    if suffix is not None and suffix not in names:
        raise NotFound(f"No '.{suffix[:20]}' representation; offered: {', '.join(sorted(names))}.")
    parameter = parameters.value(request, "format")
    if parameter is not None and parameter not in names:
        raise InvalidParameter("format", f"must be one of {', '.join(sorted(names))}")
    accept = request.headers.get("accept")
    decision = negotiate_memo(tuple(offered), default, suffix, parameter, accept)
    if decision is None:
        raise NotAcceptable([f.media_type for f in offered])
    return decision


def choose(
    request: Request, registry: Registry, serving: Serving, resource: Resource, suffix: str | None
) -> Decision:
    """:func:`choose_from` the registry's formats, leaving out those that cannot render
    ``resource`` (asked only of the format negotiation picks, so usually never)."""
    offered = list(registry.formats)
    while True:
        decision = choose_from(request, offered, JSON if JSON in offered else offered[0], suffix)
        if registry.renderers[decision.format.name].can_render(serving, resource):
            return decision
        offered.remove(decision.format)
        if not offered or decision.decided_by == "suffix":
            raise NotAcceptable([f.media_type for f in offered])


async def respond(request: Request, resource: Resource, suffix: str | None = None) -> Response:
    """The negotiated representation of ``resource`` with ETag, Link, Vary and caching.

    A representation depends only on the resource, the negotiated format, the languages
    asked for and the base URL its links are built on, so it is prepared once per snapshot
    under that key (and its ETag made of the same facts) and replayed: hostile variety in
    raw headers cannot flush the cache. Replays stay on the event loop (they cost
    microseconds); rendering runs in a thread, since a large scheme's or collection's page
    or description can take long enough to stall every other request.
    """
    serving = current(request)
    registry: Registry = request.state.renderers
    decision = choose(request, registry, serving, resource, suffix)
    path, query, languages = _facts(request, decision)
    key = (path, query, decision, languages, origin(request))
    prepared = serving.caches.responses.get(key)
    if not isinstance(prepared, Prepared):
        response, headers = await run_in_threadpool(_render, request, serving, resource, decision)
        # Hashed only when rendering: a replay carries the ETag it was prepared with.
        facts = (path, query, decision.format.name, ",".join(languages))
        body = getattr(response, "body", None)
        etag = (
            content_tag(request, body, *facts)
            if isinstance(body, bytes)
            else tag_of(request, *facts)
        )
        add_cache_headers(request, response, etag)
        prepared = prepare(request, response, etag, headers)
        if prepared.body is None:  # a renderer whose response can't be replayed (streamed)
            return response
        serving.caches.responses.put(key, prepared)
    answer = replay(prepared, request.headers.get("if-none-match"))
    if answer is None:
        response, _ = await run_in_threadpool(_render, request, serving, resource, decision)
        add_cache_headers(request, response, prepared.etag)
        return response
    mark_replayable(request)  # its key is the URL, origin and the negotiated headers
    return answer


def _facts(request: Request, decision: Decision) -> tuple[str, str, tuple[str, ...]]:
    """Besides the negotiated format, what a representation depends on: the URL and the
    languages asked for (``?lang=``, else ``Accept-Language``, parsed): not header bytes.
    An RDF description holds every label in every language, so it depends on none."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    if decision.format in RDF_FORMATS:
        return request.scope["path"], query, ()
    tag = parameters.language(request)
    header = request.headers.get("accept-language")
    return request.scope["path"], query, (tag,) if tag is not None else accept_languages(header)


def _render(
    request: Request, serving: Serving, resource: Resource, decision: Decision
) -> tuple[Response, dict[str, str]]:
    """Render: the response, with its Link and Vary (the caller adds the caching headers)."""
    registry: Registry = request.state.renderers
    vary = "Accept-Language" if decision.decided_by == "suffix" else "Accept, Accept-Language"
    headers = {"Link": alternates_header(request, registry), "Vary": vary}
    response = registry.renderers[decision.format.name].render(request, serving, resource)
    response.headers.update(headers)
    return response, headers


def alternates_header(request: Request, registry: Registry) -> str:
    """``Link: <…>; rel="alternate"; type="…"`` for every format this resource is offered in."""
    # On base_url, like url_for: the scope's path is the route's, without the base URL's own
    # path (see http.hosts), so request.url would leave that out.
    base = str(request.base_url).rstrip("/") + _without_suffix(request.scope["path"])
    links = [
        f'<{base}.{fmt.name}>; rel="alternate"; type="{fmt.media_type}"' for fmt in registry.formats
    ]
    return ", ".join(links)


def _without_suffix(path: str) -> str:
    """``path`` without a format suffix (``/concepts/78.89227.ttl`` → ``/concepts/78.89227``)."""
    last = path.rsplit("/", 1)[-1]
    match = _NAME_WITH_SUFFIX.match(last)
    if match is not None and match["suffix"] is not None:
        path = path[: len(path) - len(last)] + match["id"]
    return path


def find_concept(snapshot: Snapshot, concept_id: str) -> Concept:
    """The concept a URL names by id; a 300 listing the choices when the id is a bare one
    that several loaded vocabularies share; else a 404."""
    found = snapshot.index.concept(concept_id)  # qualified ids (``scheme~id``) too
    if found is not None:
        return found
    choices = ambiguous(snapshot, concept_id)
    if choices:
        detail = f"Several concepts are named '{concept_id}'; choose one."
        raise MultipleChoices(detail, "concept", choices)
    return _found(snapshot.index.concepts, concept_id, "concept")


def ambiguous(snapshot: Snapshot, concept_id: str) -> tuple[str, ...]:
    """The ids of the concepts a bare id shared by several vocabularies may mean (or none)."""
    return snapshot.index.ambiguous.get(concept_id, ())


def find_scheme(snapshot: Snapshot, scheme_id: str) -> Scheme:
    """The concept scheme a URL names by id or its hashed form; a 300 listing the choices
    when the id is a local name several loaded schemes share; else a 404."""
    index = snapshot.index
    found = index.scheme(scheme_id)
    if found is not None:
        return found
    _choose(index.scheme_aliases.ambiguous.get(scheme_id, ()), scheme_id, "scheme")
    return _found(index.schemes, scheme_id, "concept scheme")


def find_collection(snapshot: Snapshot, collection_id: str) -> Collection:
    """The collection a URL names by id or its hashed form; a 300 when several share it."""
    index = snapshot.index
    found = index.collection(collection_id)
    if found is not None:
        return found
    _choose(index.collection_aliases.ambiguous.get(collection_id, ()), collection_id, "collection")
    return _found(index.collections, collection_id, "collection")


def _choose(choices: tuple[str, ...], given: str, route: str) -> None:
    """A 300 listing ``choices`` of the ``route``'s kind, when there are any."""
    if choices:
        kind = "concept schemes" if route == "scheme" else "collections"
        raise MultipleChoices(f"Several {kind} are named '{given}'; choose one.", route, choices)


def _found(records: Mapping[str, R], record_id: str, kind: str) -> R:
    found = records.get(record_id)
    if found is None:
        raise NotFound(f"There is no {kind} '{record_id[:100]}'.")
    return found
