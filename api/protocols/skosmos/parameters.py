"""Skosmos's query parameters, read with the service's strict readers (``api.http.parameters``):
the vocabulary a path names, the concept ``uri`` names in it, ``lang``, and the limits.

Limits (docs/protocols.md): ``maxhits`` at most ``max(GLOSSARY_MAX_SEARCH_RESULTS,
GLOSSARY_MAX_PAGE_SIZE)`` (100 by default: skosmos-client asks for 100); transitive
``limit`` at most ``GLOSSARY_MAX_TRANSITIVE``; index, ``new`` and ``modified`` pages at most
ten times ``GLOSSARY_MAX_PAGE_SIZE`` (Skosmos's own pages ask for 200 and 250). More is a
400, as a negative number or zero is in Skosmos.
"""

from __future__ import annotations

from starlette.requests import Request

from api.http import parameters
from api.http.errors import NotFound
from api.model import Collection, Concept, Scheme
from api.protocols.skosmos import facts
from api.protocols.skosmos.responses import VocabularyChoices, missing
from api.runtime.serving import current
from api.settings import Settings

#: Index, ``new`` and ``modified`` pages may hold this many times ``max_page_size``.
LIST_FACTOR = 10


def settings_of(request: Request) -> Settings:
    settings: Settings = request.state.settings
    return settings


def vocabulary(request: Request) -> Scheme:
    """The scheme the path's ``{vocid}`` names (its id, or the hashed form of it); a 300
    when the vocid is a local name several loaded schemes share; else Skosmos's 404."""
    vocid: str = request.path_params["vocid"]
    index = current(request).index
    found = index.scheme(vocid)
    if found is not None:
        return found
    choices = index.scheme_aliases.ambiguous.get(vocid, ())
    if choices:
        raise VocabularyChoices(vocid, choices)
    raise NotFound(f"Vocabulary id '{vocid[:100]}' not found.")


def vocabularies(request: Request) -> tuple[Scheme, ...]:
    """``?vocab=``: space-separated vocids (every loaded scheme when absent)."""
    index = current(request).index
    raw = parameters.text(request, "vocab", required=False, max_length=parameters.MAX_IRI)
    if raw is None:
        return tuple(index.schemes.values())
    found = []
    for vocid in dict.fromkeys(raw.split()):
        scheme = index.scheme(vocid)
        if scheme is None:
            raise NotFound(f"Vocabulary id '{vocid[:100]}' not found.")
        found.append(scheme)
    return tuple(found)


def uri(request: Request, name: str = "uri") -> str:
    """A required absolute IRI (Skosmos's ``uri parameter missing`` when absent)."""
    if parameters.value(request, name) is None:
        raise missing(name)
    return parameters.iri(request, name)


def concept(request: Request, scheme: Scheme | None) -> Concept:
    """The concept ``?uri=`` names, in ``scheme`` when one is given (a concept in no scheme
    belongs to every vocabulary); Skosmos's 404 otherwise."""
    iri = uri(request)
    found = current(request).index.concept_by_iri(iri)
    if found is None or (scheme is not None and found.schemes and scheme.id not in found.schemes):
        raise NotFound(f"Could not find concept <{iri[:200]}>")
    return found


def group(request: Request, scheme: Scheme) -> Collection:
    """The collection ``?uri=`` names, in ``scheme``; Skosmos's 404 otherwise."""
    iri = uri(request)
    found = current(request).index.resource_by_iri(iri)
    if not isinstance(found, Collection) or not facts.belongs(
        current(request).index, found, scheme
    ):
        raise NotFound(f"Could not find group <{iri[:200]}>")
    return found


def lang(request: Request, default: str) -> str:
    """``?lang=`` as a canonical tag, else ``default`` (the vocabulary's default language)."""
    return parameters.language(request) or default


def required_lang(request: Request) -> str:
    """``?lang=``, which ``/vocabularies`` and the global ``/types`` require."""
    found = parameters.language(request)
    if found is None:
        raise missing("lang")
    return found


def maxhits(request: Request) -> int:
    """``?maxhits=``: 1 to the search cap, the cap when absent (Skosmos: every hit)."""
    cap = search_cap(settings_of(request))
    return parameters.integer(request, "maxhits", default=cap, minimum=1, maximum=cap)


def search_cap(settings: Settings) -> int:
    return max(settings.max_search_results, settings.max_page_size)


def offset(request: Request, maximum: int) -> int:
    return parameters.integer(request, "offset", default=0, minimum=0, maximum=maximum)


def transitive_limit(request: Request) -> int:
    """``?limit=`` of the transitive methods: 1 to ``max_transitive``, that when absent."""
    cap = settings_of(request).max_transitive
    return parameters.integer(request, "limit", default=cap, minimum=1, maximum=cap)


def list_cap(settings: Settings) -> int:
    """The longest index, ``new`` or ``modified`` page."""
    return LIST_FACTOR * settings.max_page_size


def list_limit(request: Request, default: int | None = None) -> int:
    """``?limit=`` of index, ``new`` and ``modified`` pages."""
    cap = list_cap(settings_of(request))
    chosen = cap if default is None else min(default, cap)
    return parameters.integer(request, "limit", default=chosen, minimum=1, maximum=cap)
