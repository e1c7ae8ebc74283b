"""Methods about whole vocabularies: the list, one vocabulary's information, types, top
concepts, groups, statistics, the alphabetical index, and the change lists. A Skosmos
vocabulary (``vocid``) is one of our concept schemes, named by its id."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api.build.index import Index
from api.build.records import local_name
from api.http import parameters
from api.model import Scheme
from api.namespaces import ISO_THES, RDFS, SKOS, XSD
from api.payloads.listings import browse
from api.protocols.skosmos import facts, shapes
from api.protocols.skosmos import parameters as params
from api.protocols.skosmos.responses import answer
from api.runtime.serving import current

ONKI = shapes.ONKI


async def vocabularies(request: Request) -> Response:
    """``/vocabularies?lang=`` (required): every vocabulary, by id."""
    lang = params.required_lang(request)
    schemes = sorted(current(request).index.schemes.values(), key=lambda s: s.id)

    def body() -> dict[str, Any]:
        ctx = {
            "skos": SKOS,
            "onki": ONKI,
            "rdfs": RDFS,
            "title": {"@id": "rdfs:label", "@language": lang},
            "vocabularies": "onki:hasVocabulary",
            "id": "onki:vocabularyIdentifier",
            "uri": "@id",
        }
        items = [
            {"uri": s.id, "id": s.id, "title": shapes.vocabulary_title(s, lang)} for s in schemes
        ]
        return {"@context": ctx, "uri": "", "vocabularies": items}

    return answer(request, body)


async def redirect(request: Request) -> Response:
    """``/rest/v1/{vocid}`` → ``{vocid}/``, as Skosmos answers (302)."""
    return RedirectResponse(
        str(request.url_for("skosmos:vocabulary", vocid=request.path_params["vocid"])),
        status_code=302,
    )


async def vocabulary(request: Request) -> Response:
    """``/{vocid}/``: the vocabulary's id, title, languages and concept scheme."""
    scheme, lang, found = await _counted(request)
    languages = found.languages or (scheme.default_language,)

    def body() -> dict[str, Any]:
        title = shapes.vocabulary_title(scheme, lang)
        return {
            "@context": shapes.context(shapes.VOCABULARY, language=lang),
            "uri": "",
            "id": scheme.id,
            "marcSource": "",
            "title": title,
            "defaultLanguage": scheme.default_language,
            "languages": list(languages),
            "conceptschemes": [{"uri": scheme.iri, "type": "skos:ConceptScheme", "title": title}],
        }

    return answer(request, body)


def _types_body(lang: str, collections: bool) -> dict[str, Any]:
    ctx = {
        "skos": SKOS,
        "rdfs": RDFS,
        "onki": ONKI,
        "uri": "@id",
        "type": "@type",
        "label": "rdfs:label",
        "superclass": {"@id": "rdfs:subClassOf", "@type": "@id"},
        "types": "onki:hasType",
        "@language": lang,
    }
    types = [{"uri": SKOS + "Concept", "label": "Concept"}]
    if collections:
        types.append({"uri": SKOS + "Collection", "label": "Collection"})
    return {"@context": ctx, "uri": "", "types": types}


async def types(request: Request) -> Response:
    """``/types?lang=`` (required): the types of resources a search can find."""
    lang = params.required_lang(request)
    index = current(request).index
    return answer(request, lambda: _types_body(lang, bool(index.collections)))


async def vocabulary_types(request: Request) -> Response:
    """``/{vocid}/types``: as ``/types``, for one vocabulary."""
    scheme = params.vocabulary(request)
    lang = params.lang(request, scheme.default_language)
    found = await facts.prepared_groups(current(request), scheme)
    return answer(request, lambda: _types_body(lang, bool(found)))


async def top_concepts(request: Request) -> Response:
    """``/{vocid}/topConcepts``: items carry ``label`` (not ``prefLabel``), as in Skosmos;
    ``?scheme=`` another scheme's IRI finds none."""
    scheme = params.vocabulary(request)
    lang = params.lang(request, scheme.default_language)
    asked = parameters.value(request, "scheme")
    iri = scheme.iri if asked is None else parameters.iri(request, "scheme")
    serving = current(request)
    index = serving.index

    def body() -> dict[str, Any]:
        ids = browse(serving).top_concepts(scheme.id) if iri == scheme.iri else ()
        ctx = {
            **shapes.BASE,
            "isothes": ISO_THES,
            "onki": ONKI,
            "label": "skos:prefLabel",
            "hasChildren": "onki:hasChildren",
            "notation": "skos:notation",
            "topconcepts": "skos:hasTopConcept",
            "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
            "@language": lang,
        }
        items = [shapes.top_concept(index, i, scheme, lang) for i in ids]
        return {"@context": ctx, "uri": iri, "topconcepts": items}

    return answer(request, body)


async def groups(request: Request) -> Response:
    """``/{vocid}/groups``: its collections, with the groups nested in each."""
    scheme = params.vocabulary(request)
    lang = params.lang(request, scheme.default_language)
    serving = current(request)
    index = serving.index
    found = await facts.prepared_groups(serving, scheme)

    def body() -> dict[str, Any]:
        items = []
        for group in found:
            item: dict[str, Any] = {
                "uri": group.iri,
                "prefLabel": shapes.label_value(group.labels, lang, scheme.default_language),
                "hasMembers": bool(group.members or group.member_collections),
            }
            nested = [index.collections[c].iri for c in group.member_collections]
            if nested:
                item["childGroups"] = nested
            items.append(item)
        ctx = {
            **shapes.BASE,
            "isothes": ISO_THES,
            "onki": ONKI,
            "prefLabel": "skos:prefLabel",
            "groups": "onki:hasGroup",
            "childGroups": {"@id": "skos:member", "@type": "@id"},
            "hasMembers": "onki:hasMembers",
            "@language": lang,
        }
        return {"@context": ctx, "uri": "", "groups": items}

    return answer(request, body)


async def vocabulary_statistics(request: Request) -> Response:
    """``/{vocid}/vocabularyStatistics``: how many concepts (and deprecated), groups."""
    scheme, lang, found = await _counted(request)

    def body() -> dict[str, Any]:
        ctx = {**shapes.BASE, "void": "http://rdfs.org/ns/void#", "@language": lang}
        result: dict[str, Any] = {
            "@context": ctx,
            "uri": "",
            "id": scheme.id,
            "title": shapes.vocabulary_title(scheme, lang),
            "concepts": {
                "class": SKOS + "Concept",
                "label": "Concept",
                "count": found.concepts,
                "deprecatedCount": found.deprecated,
            },
            "subTypes": [],
        }
        if found.collections:
            result["conceptGroups"] = {
                "class": SKOS + "Collection",
                "label": "Collection",
                "count": found.collections,
                "deprecatedCount": 0,
            }
        return result

    return answer(request, body)


async def label_statistics(request: Request) -> Response:
    """``/{vocid}/labelStatistics``: labels by language and property."""
    scheme, lang, found = await _counted(request)

    def body() -> dict[str, Any]:
        languages = []
        for language, counts in found.labels:
            properties = [
                {"property": f"skos:{name}", "labels": count}
                for name, count in zip(facts.LABEL_PROPERTIES, counts, strict=True)
            ]
            languages.append(
                {
                    "language": language,
                    "literal": facts.language_name(language, lang),
                    "properties": properties,
                }
            )
        ctx = {**shapes.BASE, "void": "http://rdfs.org/ns/void#", "@language": lang}
        return {
            "@context": ctx,
            "uri": "",
            "id": scheme.id,
            "title": shapes.vocabulary_title(scheme, lang),
            "languages": languages,
        }

    return answer(request, body)


INDEX_CONTEXT = {
    **shapes.BASE,
    "onki": ONKI,
    "skosmos": shapes.SKOSMOS,
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "localname": "skosmos:localname",
}


async def index_letters(request: Request) -> Response:
    """``/{vocid}/index/``: the initial letters of its labels in ``lang``."""
    scheme = params.vocabulary(request)
    lang = params.lang(request, scheme.default_language)
    alphabet = await facts.alphabet(current(request), scheme, lang)

    def body() -> dict[str, Any]:
        ctx = {
            **INDEX_CONTEXT,
            "indexLetters": {"@id": "skosmos:indexLetters", "@container": "@list"},
            "@language": lang,
        }
        return {"@context": ctx, "uri": "", "indexLetters": list(alphabet.letters)}

    return answer(request, body)


async def index_concepts(request: Request) -> Response:
    """``/{vocid}/index/{letter}``: the concepts under one letter (``0-9``, ``!*`` too),
    paged with ``limit`` and ``offset`` (Skosmos's own pages ask for 250)."""
    scheme = params.vocabulary(request)
    lang = params.lang(request, scheme.default_language)
    letter = request.path_params["letter"]
    limit = params.list_limit(request)
    offset = params.offset(request, 10_000_000)
    serving = current(request)
    index = serving.index
    alphabet = await facts.alphabet(serving, scheme, lang)

    def body() -> dict[str, Any]:
        wanted = letter if letter in (facts.DIGITS, facts.OTHERS) else letter.upper()
        entries = alphabet.entries.get(wanted, ())
        items = [_index_item(index, e, alphabet.language) for e in entries[offset : offset + limit]]
        ctx = {
            **INDEX_CONTEXT,
            "indexConcepts": {"@id": "skosmos:indexConcepts", "@container": "@list"},
            "@language": lang,
        }
        return {"@context": ctx, "uri": "", "indexConcepts": items}

    return answer(request, body)


def _index_item(index: Index, entry: facts.Entry, lang: str) -> dict[str, Any]:
    concept = index.concepts[entry.concept]
    found: dict[str, Any] = {"uri": concept.iri, "localname": local_name(concept.iri)}
    if entry.alt:
        found["prefLabel"] = shapes.concept_label(concept, lang, index)
        found["altLabel"] = entry.label
    else:
        found["prefLabel"] = entry.label
    found["lang"] = lang
    return found


async def new_concepts(request: Request) -> Response:
    return _changes(request)


async def modified_concepts(request: Request) -> Response:
    return _changes(request)


def _changes(request: Request) -> Response:
    """``/{vocid}/new`` and ``/{vocid}/modified``: concepts by ``dct:created`` and
    ``dct:modified``. The read model keeps no per-concept dates, so the lists are empty
    rather than invented (docs/protocols.md); the parameters are checked all the same."""
    scheme: Scheme = params.vocabulary(request)
    lang = params.lang(request, scheme.default_language)
    params.list_limit(request, default=200)
    params.offset(request, 10_000_000)
    ctx = {
        **shapes.BASE,
        "prefLabel": "skos:prefLabel",
        "xsd": XSD,
        "date": {"@id": "http://purl.org/dc/terms/date", "@type": "xsd:dateTime"},
        "@language": lang,
    }
    return answer(request, lambda: {"@context": ctx, "changeList": []})


async def _counted(request: Request) -> tuple[Scheme, str, facts.Statistics]:
    """The vocabulary asked for, the answer's language (``?lang=``, else the vocabulary's)
    and the vocabulary's counts (made in a thread once per snapshot)."""
    scheme = params.vocabulary(request)
    lang = params.lang(request, scheme.default_language)
    return scheme, lang, await facts.prepared(current(request), scheme)
