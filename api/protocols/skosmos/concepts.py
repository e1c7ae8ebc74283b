"""Methods about one concept (``?uri=``): labels, broader/narrower/related (direct and
transitive), children, hierarchy, group members, and mappings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from starlette.requests import Request
from starlette.responses import Response

from api.build.index import Index
from api.model import Concept, Scheme
from api.protocols.skosmos import parameters as params
from api.protocols.skosmos import shapes
from api.protocols.skosmos.responses import answer
from api.runtime.serving import current

Relation = Literal["broader", "narrower", "related"]


def _concept(request: Request, scheme: Scheme | None) -> tuple[Concept, str, Index]:
    """The concept ``?uri=`` names (in ``scheme``), the language asked, and the index."""
    index = current(request).index
    found = params.concept(request, scheme)
    default = scheme.default_language if scheme else index.language(found)
    return found, params.lang(request, default), index


async def label(request: Request) -> Response:
    """``/label``: the vocabulary is the concept's own (Skosmos guesses it from the URI)."""
    return _label(request, None)


async def vocabulary_label(request: Request) -> Response:
    return _label(request, params.vocabulary(request))


def _label(request: Request, scheme: Scheme | None) -> Response:
    """``prefLabel`` (one string), ``altLabel`` and ``hiddenLabel`` (lists) in ``lang``;
    the glossary's ``distinctions`` as an extra key."""
    concept, lang, index = _concept(request, scheme)

    def body() -> dict[str, Any]:
        ctx = shapes.context(shapes.BASE, shapes.LABELS, shapes.DISTINCTIONS, language=lang)
        found: dict[str, Any] = {"@context": ctx, "uri": concept.iri}
        pref = shapes.concept_label(concept, lang, index)
        if pref is not None:
            found["prefLabel"] = pref
        for key, texts in (
            ("altLabel", concept.alt_labels),
            ("hiddenLabel", concept.hidden_labels),
        ):
            values = shapes.in_language(texts, lang)
            if values:
                found[key] = values
        shapes.add_distinctions(found, index, concept, lang)
        return found

    return answer(request, body)


async def broader(request: Request) -> Response:
    return _relation(request, "broader")


async def narrower(request: Request) -> Response:
    return _relation(request, "narrower")


async def related(request: Request) -> Response:
    return _relation(request, "related")


def _relation(request: Request, relation: Relation) -> Response:
    """``{uri, <relation>: [{uri, prefLabel}]}``; ``related`` also carries the glossary's
    ``distinctions`` (what the concept is told apart from), an extra key."""
    concept, lang, index = _concept(request, params.vocabulary(request))

    def body() -> dict[str, Any]:
        extra = shapes.DISTINCTIONS if relation == "related" else {}
        ctx = shapes.context(
            shapes.BASE,
            {"prefLabel": "skos:prefLabel", relation: f"skos:{relation}"},
            extra,
            language=lang,
        )
        ids: tuple[str, ...] = getattr(concept, relation)
        found = {"@context": ctx, "uri": concept.iri, relation: shapes.refs(index, ids, lang)}
        if relation == "related":
            shapes.add_distinctions(found, index, concept, lang)
        return found

    return answer(request, body)


async def broader_transitive(request: Request) -> Response:
    return _transitive(request, "broader")


async def narrower_transitive(request: Request) -> Response:
    return _transitive(request, "narrower")


def _transitive(request: Request, relation: Literal["broader", "narrower"]) -> Response:
    """``{uri, <relation>Transitive: {"<uri>": {uri, prefLabel, <relation>: [uri]}}}``:
    the concept and those above (below) it, breadth first, at most ``limit`` besides it;
    each links to those of its own it is next to in the answer (a top concept's thousands
    of children are not all listed under it when ``limit`` leaves them out)."""
    concept, lang, index = _concept(request, params.vocabulary(request))
    limit = params.transitive_limit(request)
    walk: Callable[..., tuple[str, ...]] = (
        index.broader_transitive if relation == "broader" else index.narrower_transitive
    )

    def body() -> dict[str, Any]:
        key = f"{relation}Transitive"
        ids = (concept.id, *walk(concept.id, limit=limit))
        included = frozenset(ids)
        items = {}
        for concept_id in ids:
            item = shapes.ref(index, concept_id, lang)
            linked = [
                index.concepts[i].iri
                for i in getattr(index.concepts[concept_id], relation)
                if i in included
            ]
            if linked:
                item[relation] = linked
            items[item["uri"]] = item
        ctx = shapes.context(
            shapes.BASE,
            {
                "prefLabel": "skos:prefLabel",
                relation: {"@id": f"skos:{relation}", "@type": "@id"},
                key: {"@id": f"skos:{key}", "@container": "@index"},
            },
            language=lang,
        )
        return {"@context": ctx, "uri": concept.iri, key: items}

    return answer(request, body)


async def children(request: Request) -> Response:
    """``{uri, narrower: [{uri, prefLabel, hasChildren, notation?}]}``."""
    concept, lang, index = _concept(request, params.vocabulary(request))

    def body() -> dict[str, Any]:
        items = [shapes.child(index, i, lang) for i in concept.narrower if i in index.concepts]
        ctx = shapes.context(
            shapes.BASE,
            {
                "prefLabel": "skos:prefLabel",
                "narrower": "skos:narrower",
                "notation": "skos:notation",
                "hasChildren": "onki:hasChildren",
                "onki": shapes.ONKI,
            },
            language=lang,
        )
        return {"@context": ctx, "uri": concept.iri, "narrower": items}

    return answer(request, body)


async def hierarchy(request: Request) -> Response:
    """``{uri, broaderTransitive: {"<uri>": {...}}}``: the concept and every concept above
    it, each with its ``broader`` IRIs and (above the concept) its children as ``narrower``
    ``[{uri, label, hasChildren}]``; top concepts with ``top`` and ``tops``. At most
    ``GLOSSARY_MAX_TRANSITIVE`` concepts above it, as our own hierarchy, and as many
    children in all (nearest the concept first): a top concept may have thousands."""
    scheme = params.vocabulary(request)
    concept, lang, index = _concept(request, scheme)
    cap = params.settings_of(request).max_transitive

    def body() -> dict[str, Any]:
        ids = (concept.id, *index.broader_transitive(concept.id, limit=cap))
        items, room = {}, cap
        for concept_id in ids:
            item = _hierarchy_item(index, index.concepts[concept_id], scheme, lang, room)
            room -= len(item.get("narrower", ()))
            if concept_id == concept.id:
                item["exact"] = concept.iri
            items[item["uri"]] = item
        ctx = shapes.context(
            shapes.BASE,
            {
                "onki": shapes.ONKI,
                "prefLabel": "skos:prefLabel",
                "notation": "skos:notation",
                "label": "skos:prefLabel",
                "top": {"@id": "skos:topConceptOf", "@type": "@id"},
                "tops": {"@id": "skos:topConceptOf", "@type": "@id"},
                "broader": {"@id": "skos:broader", "@type": "@id"},
                "narrower": "skos:narrower",
                "hasChildren": "onki:hasChildren",
                "exact": "onki:exact",
                "broaderTransitive": {"@id": "skos:broaderTransitive", "@container": "@index"},
            },
            language=lang,
        )
        return {"@context": ctx, "uri": concept.iri, "broaderTransitive": items}

    return answer(request, body)


def _hierarchy_item(
    index: Index, concept: Concept, scheme: Scheme, lang: str, room: int
) -> dict[str, Any]:
    """One concept of a hierarchy, with at most ``room`` of its children."""
    item: dict[str, Any] = {
        "uri": concept.iri,
        "prefLabel": shapes.marked_label(concept.pref_labels, lang, index.language(concept)),
    }
    if concept.notations:
        item["notation"] = concept.notations[0]
    broader = [index.concepts[i].iri for i in concept.broader if i in index.concepts]
    if broader:
        item["broader"] = broader
    children = [i for i in concept.narrower if i in index.concepts][: max(room, 0)]
    narrower = [shapes.child(index, i, lang, "label") for i in children]
    if narrower:
        item["narrower"] = narrower
    tops = [index.schemes[s].iri for s in concept.top_concept_of if s in index.schemes]
    if tops:
        item["tops"] = tops
        item["top"] = scheme.iri if scheme.iri in tops else tops[0]
    return item


async def group_members(request: Request) -> Response:
    """``/{vocid}/groupMembers?uri=<group>``: its concepts and nested groups."""
    scheme = params.vocabulary(request)
    group = params.group(request, scheme)
    lang = params.lang(request, scheme.default_language)
    index = current(request).index

    def body() -> dict[str, Any]:
        members: list[dict[str, Any]] = []
        for collection_id in group.member_collections:
            nested = index.collections[collection_id]
            members.append(
                {
                    "uri": nested.iri,
                    "type": ["skos:Collection"],
                    "isSuper": True,
                    "hasMembers": bool(nested.members or nested.member_collections),
                    "prefLabel": shapes.marked_label(nested.labels, lang, scheme.default_language),
                }
            )
        for concept_id in group.members:
            concept = index.concepts.get(concept_id)
            if concept is None or concept.deprecated:
                continue
            members.append(
                {
                    "uri": concept.iri,
                    "type": [shapes.CONCEPT_TYPE],
                    "isSuper": False,
                    "hasMembers": False,
                    "prefLabel": shapes.marked_label(
                        concept.pref_labels, lang, index.language(concept)
                    ),
                }
            )
        ctx = shapes.context(
            shapes.BASE,
            {
                "onki": shapes.ONKI,
                "prefLabel": "skos:prefLabel",
                "members": "onki:member",
                "isSuper": "onki:isSuper",
                "hasMembers": "onki:hasMembers",
            },
            language=lang,
        )
        return {"@context": ctx, "uri": group.iri, "members": members}

    return answer(request, body)
