"""``data``, ``{vocid}/data`` and ``{vocid}/mappings``: a concept's RDF, and its mappings.

``format`` is a media type (``application/rdf+xml`` first, as in Skosmos, then
``text/turtle``, ``application/ld+json``, and ``application/json``, Skosmos's compacted
JSON-LD with ``graph``), else ``Accept`` decides. The RDF is the concept's description that
every linked-data route serves, made once per snapshot (``api.rdf.descriptions.Views``).
Without ``uri``, ``{vocid}/data`` redirects (302) to the vocabulary's dump, as Skosmos
redirects to its ``void:dataDump``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api.http import parameters
from api.http.caching import conditional_async
from api.http.errors import NotAcceptable
from api.http.negotiation import JSON, JSONLD, RDFXML, TURTLE, Format, negotiate_memo
from api.model import Concept, Scheme
from api.namespaces import DC, DCT, GLOSS, ISO_THES, OWL, RDF_TYPE, RDFS, SKOS
from api.protocols.skosmos import parameters as params
from api.protocols.skosmos import shapes
from api.protocols.skosmos.responses import SkosmosJSONResponse, answer, dumps
from api.rdf import descriptions as rdf
from api.runtime.serving import Serving, current

#: Skosmos's formats, in its order of preference.
OFFERED: Final = (RDFXML, TURTLE, JSONLD, JSON)
BY_MEDIA_TYPE: Final = MappingProxyType({f.media_type: f for f in OFFERED})

#: The context Skosmos compacts ``format=application/json`` with (``RestController::data``).
DATA_CONTEXT: Final = MappingProxyType(
    {
        "skos": SKOS,
        "isothes": ISO_THES,
        "rdfs": RDFS,
        "owl": OWL,
        "dct": DCT,
        "dc11": DC,
        "gloss": GLOSS,
        "uri": "@id",
        "type": "@type",
        "lang": "@language",
        "value": "@value",
        "graph": "@graph",
        "label": "rdfs:label",
        **{
            term: f"skos:{term}"
            for term in (
                "prefLabel", "altLabel", "hiddenLabel", "broader", "narrower", "related",
                "inScheme", "exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                "relatedMatch",
            )
        },
    }
)  # fmt: skip
_TERMS: Final = MappingProxyType(
    {SKOS + term: term for term, value in DATA_CONTEXT.items() if value == f"skos:{term}"}
)
_PREFIXES: Final = tuple(
    (iri, prefix)
    for prefix, iri in DATA_CONTEXT.items()
    if isinstance(iri, str) and iri.endswith(("#", "/"))
)


async def data(request: Request) -> Response:
    """``/data?uri=``: the vocabulary is the concept's own."""
    concept = params.concept(request, None)
    return await _concept_data(request, concept)


async def vocabulary_data(request: Request) -> Response:
    scheme = params.vocabulary(request)
    if parameters.value(request, "uri") is None:
        return _dump(request, scheme)
    return await _concept_data(request, params.concept(request, scheme))


def _format(request: Request) -> Format:
    """``?format=`` (a media type), else ``Accept``; 406 listing what is offered."""
    asked = parameters.value(request, "format")
    if asked is not None:
        found = BY_MEDIA_TYPE.get(asked.split(";")[0].strip().lower())
        if found is None:
            raise NotAcceptable([f.media_type for f in OFFERED])
        return found
    decision = negotiate_memo(OFFERED, RDFXML, None, None, request.headers.get("accept"))
    if decision is None:
        raise NotAcceptable([f.media_type for f in OFFERED])
    return decision.format


def _dump(request: Request, scheme: Scheme) -> Response:
    fmt = _format(request)
    if fmt is JSON:  # Skosmos: 406 when the vocabulary has no dump in that format
        raise NotAcceptable([f.media_type for f in OFFERED if f is not JSON])
    target = request.url_for("dump", name=f"{scheme.id}.{fmt.name}")
    return RedirectResponse(str(target), status_code=302)


async def _concept_data(request: Request, concept: Concept) -> Response:
    fmt = _format(request)
    serving = current(request)
    views = rdf.Views.of(serving)
    if fmt is JSON:
        return await conditional_async(
            request,
            "skosmos-data-json",
            lambda: _json(serving, concept.iri),
            {"Vary": "Accept"},
        )
    # RDF/XML chosen by default (not asked for) gives way to Turtle for a description it
    # cannot write (a predicate that is no XML name); asked for, it is a 406.
    defaulted = fmt is RDFXML and parameters.value(request, "format") is None

    async def described() -> Response:
        try:
            body = await run_in_threadpool(views.resource, concept.iri, fmt.name)
        except rdf.Inexpressible:
            if not defaulted:
                raise NotAcceptable([f.media_type for f in OFFERED if f is not fmt]) from None
            return rdf.TurtleResponse(await run_in_threadpool(views.resource, concept.iri, "ttl"))
        return rdf.RESPONSES[fmt.name](body)

    return await conditional_async(
        request, f"skosmos-data-{fmt.name}", described, {"Vary": "Accept"}
    )


async def _json(serving: Serving, iri: str) -> Response:
    def make() -> bytes:
        triples = rdf.describe(serving.snapshot.store, iri)
        return dumps({"@context": dict(DATA_CONTEXT), "graph": compact(triples)})

    key = ("skosmos-json", iri)
    body = await run_in_threadpool(serving.caches.resources.get_or_make, key, make)
    return SkosmosJSONResponse(body)


def compact(triples: Iterable[ox.Triple]) -> list[dict[str, Any]]:
    """``triples`` as Skosmos's compacted JSON-LD nodes: one object per subject, keys as
    terms or CURIEs, IRIs as ``{uri}``, language literals as ``{lang, value}``, and single
    values not wrapped in a list (as JSON-LD compaction leaves them)."""
    nodes: dict[str, dict[str, list[Any]]] = {}
    for triple in triples:
        subject = _id(triple.subject)
        node = nodes.setdefault(subject, {})
        predicate = triple.predicate.value
        if predicate == RDF_TYPE:
            node.setdefault("type", []).append(_curie(_id(triple.object)))
        else:
            node.setdefault(_TERMS.get(predicate) or _curie(predicate), []).append(
                _value(triple.object)
            )
    return [
        {
            "uri": subject,
            **{key: values[0] if len(values) == 1 else values for key, values in node.items()},
        }
        for subject, node in nodes.items()
    ]


def _id(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)


def _curie(iri: str) -> str:
    for namespace, prefix in _PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _value(term: Any) -> Any:
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return {"uri": _id(term)}
    if term.language:
        return {"lang": term.language, "value": term.value}
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return term.value
    return {"type": _curie(term.datatype.value), "value": term.value}


#: Mapping properties, with the label Skosmos's English interface gives each.
MAPPINGS: Final = MappingProxyType(
    {
        "exact_match": ("skos:exactMatch", "Exactly matching concepts"),
        "close_match": ("skos:closeMatch", "Closely matching concepts"),
        "broad_match": ("skos:broadMatch", "Broader matching concepts"),
        "narrow_match": ("skos:narrowMatch", "Narrower matching concepts"),
        "related_match": ("skos:relatedMatch", "Related matching concepts"),
    }
)


async def mappings(request: Request) -> Response:
    """``/{vocid}/mappings?uri=``: the concept's SKOS mappings as JSKOS mappings, and the
    concept's JSON-LD description as ``graph``; no ``@context``, as in Skosmos.
    ``external=false`` keeps only mappings to concepts served here."""
    scheme = params.vocabulary(request)
    concept = params.concept(request, scheme)
    external = parameters.boolean(request, "external", default=True)
    lang = params.lang(request, scheme.default_language)
    clang = parameters.language(request, "clang") or lang
    serving = current(request)
    graph = await run_in_threadpool(rdf.Views.of(serving).resource, concept.iri, "jsonld")

    def body() -> Mapping[str, Any]:
        found = [
            _mapping(request, serving, concept, scheme, field, target, clang)
            for field in MAPPINGS
            for target in getattr(concept, field)
            if external or serving.index.concept_by_iri(target) is not None
        ]
        return {"mappings": found, "graph": json.loads(graph)}

    return answer(request, body)


def _mapping(
    request: Request,
    serving: Serving,
    concept: Concept,
    scheme: Scheme,
    field: str,
    target: str,
    lang: str,
) -> dict[str, Any]:
    kind, type_label = MAPPINGS[field]
    index = serving.index
    other = index.concept_by_iri(target)
    found: dict[str, Any] = {
        "uri": target,
        "type": [kind],
        "from": {"memberSet": [{"uri": concept.iri}]},
        "to": {"memberSet": [{"uri": target}]},
        "lang": lang,
        "typeLabel": type_label,
        "fromScheme": {"uri": scheme.iri},
    }
    if other is None:
        found.update(prefLabel=target, hrefLink=target, vocabName="")
        return found
    found["prefLabel"] = shapes.concept_label(other, lang, index)
    if other.notations:
        found["notation"] = other.notations[0]
    found["hrefLink"] = str(request.url_for("concept", id=other.id))
    if other.schemes and other.schemes[0] in index.schemes:
        target_scheme = index.schemes[other.schemes[0]]
        found["vocabName"] = shapes.vocabulary_title(target_scheme, lang)
        found["toScheme"] = {"uri": target_scheme.iri}
    return found
