"""The service manifest (reconciliation 0.2 §3): what ``GET /reconcile`` answers without a
query. Entity ids are concept ids; the view is the concept page, the preview the framable
card, suggest and property proposals live under ``/reconcile``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from api import __version__
from api.build.index import Index
from api.languages import pick
from api.namespaces import SKOS
from api.pages.snippets import CARD_HEIGHT, CARD_WIDTH
from api.pages.templating import page_for
from api.protocols.reconciliation.batch import CONCEPT_TYPE
from api.runtime.snapshot import Snapshot

#: Stands for the id in the URL templates; replaced by the specification's ``{{id}}``.
_ID = "ENTITY-ID"


def template(request: Request, route: str) -> str:
    """The URL of ``route`` for a concept, with ``{{id}}`` where the id goes."""
    return str(request.url_for(route, id=_ID)).replace(_ID, "{{id}}")


def identifier_space(request: Request, index: Index) -> str:
    """The namespace that every concept's IRI is its id appended to, when there is one (as
    Wikidata's ids are appended to its entity namespace); else our concept URLs' base."""
    pairs = index.concept_iris.items()
    spaces = {iri[: -len(id)] for iri, id in pairs if iri.endswith(id)}
    all_fit = all(iri.endswith(id) for iri, id in pairs)
    if all_fit and len(spaces) == 1:
        return spaces.pop()
    return template(request, "concept").replace("{{id}}", "")


def default_types(index: Index, langs: tuple[str, ...]) -> list[dict[str, str]]:
    """``skos:Concept`` (any scheme), then each scheme by IRI: a query's ``type``."""
    found = [{"id": CONCEPT_TYPE, "name": "Concept"}]
    for scheme in index.schemes.values():
        title = pick(scheme.titles, langs, scheme.default_language)
        found.append({"id": scheme.iri, "name": title.value if title else scheme.id})
    return found


def manifest(request: Request, snapshot: Snapshot, langs: tuple[str, ...]) -> dict[str, Any]:
    """The manifest, its URLs built on this request's base URL."""
    index = snapshot.index
    service = str(request.url_for("reconcile"))
    return {
        "versions": ["0.1", "0.2"],
        "name": page_for(request, snapshot).site_name.value,
        "identifierSpace": identifier_space(request, index),
        "schemaSpace": SKOS,
        "serviceVersion": __version__,
        "defaultTypes": default_types(index, langs),
        "view": {"url": template(request, "concept")},
        "preview": {
            "url": template(request, "concept-card"),
            "width": CARD_WIDTH,
            "height": CARD_HEIGHT,
        },
        "suggest": {"entity": {"service_url": service, "service_path": "/suggest/entity"}},
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/properties"},
            "property_settings": [],
        },
    }
