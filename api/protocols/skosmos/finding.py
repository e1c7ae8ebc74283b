"""``search``, ``{vocid}/search`` and ``{vocid}/lookup``: concepts by label pattern or by
exact label, answered from the search index (``matching``), never by a scan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from api.build.index import Index
from api.http import parameters
from api.http.errors import NotFound
from api.model import Collection, Concept, LabelMatch, Scheme
from api.namespaces import SKOS
from api.protocols.skosmos import matching, shapes
from api.protocols.skosmos import parameters as params
from api.protocols.skosmos.responses import answer, missing
from api.runtime.serving import current

#: The ``type`` values that name what a search finds here: SKOS concepts.
CONCEPT_TYPES = frozenset({"skos:Concept", SKOS + "Concept"})
#: A search looks at most at this many times the ``maxhits`` cap of index hits (1,000 by
#: default), and ``offset`` goes no further: a pattern whose filter leaves few of the
#: index's hits (``*ab*z``, a ``parent`` far from them) costs at most that.
CEILING_FACTOR = 10


async def search(request: Request) -> Response:
    """``/rest/v1/search``: every vocabulary, or those ``?vocab=`` names."""
    return _search(request, params.vocabularies(request), localname=False)


async def vocabulary_search(request: Request) -> Response:
    """``/rest/v1/{vocid}/search``: one vocabulary; ``localname`` on each result."""
    return _search(request, (params.vocabulary(request),), localname=True)


def _search(request: Request, schemes: Sequence[Scheme], *, localname: bool) -> Response:
    index = current(request).index
    query = parameters.text(request, "query", required=False)
    lang = parameters.language(request)
    label_lang = parameters.language(request, "labellang") or lang
    parent = _resource(request, index, "parent", Concept)
    group = _resource(request, index, "group", Collection)
    if query is None and parent is None and group is None:
        raise missing("query")
    types = _types(request)
    maxhits = params.maxhits(request)
    window = CEILING_FACTOR * params.search_cap(params.settings_of(request))
    offset = params.offset(request, window)
    fields = tuple((parameters.text(request, "fields", required=False) or "").split())
    parameters.boolean(request, "unique")  # results are one per concept either way
    filters = _Filters(index, schemes, parent, group, types)

    def results() -> dict[str, Any]:
        wanted = offset + maxhits
        hits = _hits(index, query, lang, filters, wanted, window + maxhits)[offset:wanted]
        items = [_result(index, hit, label_lang, fields, lang, localname) for hit in hits]
        language = {"@language": label_lang} if label_lang else {}
        ctx = shapes.context(shapes.SEARCH, shapes.field_context(fields), language)
        return {"@context": ctx, "uri": "", "results": items}

    return answer(request, results)


def _resource(
    request: Request, index: Index, name: str, kind: type[Concept] | type[Collection]
) -> Concept | Collection | None:
    """``?parent=`` (a concept) or ``?group=`` (a collection) by IRI; a 404 for an IRI of
    nothing of that kind (where Skosmos's query would silently find nothing)."""
    if parameters.value(request, name) is None:
        return None
    iri = parameters.iri(request, name)
    found = index.resource_by_iri(iri)
    if not isinstance(found, kind):
        raise NotFound(f"Could not find {'concept' if kind is Concept else 'group'} <{iri}>")
    return found


def _types(request: Request) -> frozenset[str]:
    """``?type=``: space- or ``+``-separated types (``skos:Concept`` when absent)."""
    raw = parameters.text(request, "type", required=False, max_length=parameters.MAX_IRI)
    return frozenset(raw.replace("+", " ").split()) if raw else CONCEPT_TYPES


class _Filters:
    """What a search keeps besides its pattern: the vocabularies, ``parent``, ``group``."""

    def __init__(
        self,
        index: Index,
        schemes: Sequence[Scheme],
        parent: Concept | Collection | None,
        group: Concept | Collection | None,
        types: frozenset[str],
    ) -> None:
        self.index = index
        self.schemes = frozenset(s.id for s in schemes)
        self.one_scheme = schemes[0].id if len(schemes) == 1 else None
        self.parent = parent
        self.group = group
        self.concepts_wanted = bool(types & CONCEPT_TYPES)

    def keep(self, concept: Concept) -> bool:
        if concept.deprecated or not self.schemes.intersection(concept.schemes):
            return False
        if self.group is not None and self.group.id not in concept.collections:
            return False
        return self.parent is None or self._below(concept)

    def _below(self, concept: Concept) -> bool:
        """Whether ``parent`` is above ``concept`` (``skos:broader+``)."""
        assert self.parent is not None
        return self.parent.id in self.index.broader_transitive(concept.id)


def _hits(
    index: Index, query: str | None, lang: str | None, filters: _Filters, wanted: int, most: int
) -> list[LabelMatch]:
    """Up to ``wanted`` hits, from at most ``most`` the index (or the hierarchy) offers."""
    if not filters.concepts_wanted:
        return []
    if query is not None:
        pattern = matching.Pattern.parse(query)
        if pattern is None:
            return []
        scheme = filters.one_scheme
        return matching.find(index, pattern, lang, scheme, filters.keep, wanted, most)
    if filters.group is not None:
        assert isinstance(filters.group, Collection)
        return matching.listed(index, filters.group.members, filters.keep)[:wanted]
    assert filters.parent is not None
    below = index.narrower_transitive(filters.parent.id, limit=most)
    return matching.listed(index, below, filters.keep)[:wanted]


def _result(
    index: Index,
    hit: LabelMatch,
    label_lang: str | None,
    fields: Sequence[str],
    lang: str | None,
    localname: bool,
) -> dict[str, Any]:
    concept = index.concepts[hit.concept]
    vocid = concept.schemes[0] if concept.schemes else "???"
    found = shapes.search_result(index, hit, vocid, label_lang, localname)
    shapes.add_fields(index, concept, found, fields, lang)
    return found


#: The context of ``lookup`` (its key is ``result``, singular).
LOOKUP = {**shapes.SEARCH, "result": {"@id": "onki:results", "@container": "@list"}}
del LOOKUP["results"]


async def lookup(request: Request) -> Response:
    """``{vocid}/lookup?label=``: the concepts with this label, best matches only (exact
    preferred labels, else alternative, else hidden: Skosmos's precedence); 404 if none."""
    scheme = params.vocabulary(request)
    if parameters.value(request, "label") is None:
        raise missing("label")
    label = parameters.required_text(request, "label")
    lang = parameters.language(request)
    index = current(request).index
    matches = index.lookup(label, lang, scheme.id)
    if not matches:
        raise NotFound(f"Could not find label '{label}'")
    best = [m for m in matches if m.score == matches[0].score]

    def result() -> dict[str, Any]:
        items = [shapes.search_result(index, m, scheme.id, lang, True) for m in best]
        language = {"@language": lang} if lang else {}
        return {"@context": shapes.context(LOOKUP, language), "result": items}

    return answer(request, result)
