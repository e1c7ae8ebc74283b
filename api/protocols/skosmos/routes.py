"""The Skosmos REST v1 route table, mounted at ``/rest/v1`` by the app factory.

The busiest first (the router tries patterns in turn); ``/{vocid}`` last, redirecting to
``{vocid}/`` (so that ``vocabularies``, ``search`` and the other global names are never
taken for a vocid; no other pattern can take one of them, having another number of
segments or a final slash). All GET (and HEAD); routes are named ``skosmos:<name>``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from api.protocols.skosmos import concepts, data, finding, vocabularies
from api.protocols.skosmos.responses import replayed

Endpoint = Callable[[Request], Awaitable[Response]]

#: (path, endpoint, name) of every method, in matching order.
METHODS: tuple[tuple[str, Endpoint, str], ...] = (
    # What clients call most: autocomplete, browsing the tree, a concept's neighbours
    ("/{vocid}/search", finding.vocabulary_search, "vocabulary-search"),
    ("/{vocid}/topConcepts", vocabularies.top_concepts, "top-concepts"),
    ("/{vocid}/children", concepts.children, "children"),
    ("/{vocid}/hierarchy", concepts.hierarchy, "hierarchy"),
    ("/{vocid}/lookup", finding.lookup, "lookup"),
    ("/{vocid}/label", concepts.vocabulary_label, "vocabulary-label"),
    ("/{vocid}/data", data.vocabulary_data, "vocabulary-data"),
    ("/{vocid}/broader", concepts.broader, "broader"),
    ("/{vocid}/narrower", concepts.narrower, "narrower"),
    ("/{vocid}/related", concepts.related, "related"),
    ("/{vocid}/broaderTransitive", concepts.broader_transitive, "broader-transitive"),
    ("/{vocid}/narrowerTransitive", concepts.narrower_transitive, "narrower-transitive"),
    ("/{vocid}/", vocabularies.vocabulary, "vocabulary"),
    ("/search", finding.search, "search"),
    ("/vocabularies", vocabularies.vocabularies, "vocabularies"),
    ("/label", concepts.label, "label"),
    ("/data", data.data, "data"),
    ("/types", vocabularies.types, "types"),
    ("/{vocid}/types", vocabularies.vocabulary_types, "vocabulary-types"),
    ("/{vocid}/groups", vocabularies.groups, "groups"),
    ("/{vocid}/groupMembers", concepts.group_members, "group-members"),
    ("/{vocid}/index/", vocabularies.index_letters, "index-letters"),
    ("/{vocid}/index/{letter}", vocabularies.index_concepts, "index-concepts"),
    ("/{vocid}/vocabularyStatistics", vocabularies.vocabulary_statistics, "statistics"),
    ("/{vocid}/labelStatistics", vocabularies.label_statistics, "label-statistics"),
    ("/{vocid}/new", vocabularies.new_concepts, "new"),
    ("/{vocid}/modified", vocabularies.modified_concepts, "modified"),
    ("/{vocid}/mappings", data.mappings, "mappings"),
    # Last: a bare ``/{vocid}`` would also match ``/search`` and the other global names
    ("/{vocid}", vocabularies.redirect, "vocabulary-redirect"),
)


#: Methods that do not answer through ``responses.answer`` (RDF, redirects): never replayed.
UNREPLAYED = frozenset({"data", "vocabulary-data", "vocabulary-redirect"})


def mount() -> Mount:
    """``Mount("/rest/v1", ...)`` with every method, named ``skosmos``."""
    return Mount(
        "/rest/v1",
        routes=[
            Route(path, _answering(endpoint, name), methods=["GET"], name=name)
            for path, endpoint, name in METHODS
        ],
        name="skosmos",
    )


def _answering(endpoint: Endpoint, name: str) -> Endpoint:
    """``endpoint``, replaying kept answers unless it is one of :data:`UNREPLAYED`."""
    return endpoint if name in UNREPLAYED else replayed(endpoint)
