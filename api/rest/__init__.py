"""The REST API: endpoint functions and their route table (mirrored in ``openapi/openapi.yaml``).

Each endpoint reads its parameters strictly (``api.parameters``), finds records in the
snapshot's read model, projects them onto wire models (``api.payloads``) and answers. Single
resources go through ``renderers.respond`` so that every registered format is offered;
lists are JSON. Modules: ``common`` (shared), ``schemes``, ``concepts``, ``find``, ``service``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api.http.renderers import Renderer
from api.rest import concepts, find, schemes, service
from api.rest.common import render_json

RENDERERS: Mapping[str, Renderer] = {"json": render_json}


def routes() -> list[BaseRoute]:
    """The REST route table; every route is named so links are built with ``url_for``.

    Built by the app factory: the OpenAPI document is read here, once, not per request.
    """
    documentation = service.Documentation()
    table: list[tuple[str, Callable[[Request], Awaitable[Response]], str]] = [
        # First: the most requested route, so the router tries the fewest patterns.
        ("/concepts/{id}", concepts.concept, "concept"),
        ("/schemes", schemes.schemes, "schemes"),
        ("/schemes/{id}", schemes.scheme, "scheme"),
        ("/schemes/{id}/top-concepts", schemes.top_concepts, "scheme-top-concepts"),
        ("/concepts", concepts.concepts, "concepts"),
        ("/concepts/{id}/broader", concepts.broader, "concept-broader"),
        ("/concepts/{id}/narrower", concepts.narrower, "concept-narrower"),
        ("/concepts/{id}/related", concepts.related, "concept-related"),
        ("/concepts/{id}/hierarchy", concepts.hierarchy, "concept-hierarchy"),
        ("/concepts/{id}/distinctions", concepts.distinctions, "concept-distinctions"),
        ("/collections", schemes.collections, "collections"),
        ("/collections/{id}", schemes.collection, "collection"),
        ("/lookup", find.lookup, "lookup"),
        ("/search", find.search, "search"),
        ("/resolve", find.resolve, "resolve"),
        ("/health", service.health, "health"),
        ("/openapi.json", documentation.openapi, "openapi"),
        ("/docs", documentation.docs, "docs"),
    ]
    return [Route(path, endpoint, methods=["GET"], name=name) for path, endpoint, name in table]
