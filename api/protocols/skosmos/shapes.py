"""Skosmos's JSON shapes: the ``@context`` of each method and the projections of read-model
records onto its objects (``{uri, prefLabel}``, search results, top concepts, ...).

Labels are in the request's language, else the vocabulary's default, else any (as Skosmos
falls back); where Skosmos marks a label from another language with ``" (xx)"`` (children,
hierarchy, group members), so does :func:`marked_label`. Glossary facts that Skosmos has no
key for are extra keys its clients ignore: ``distinctions`` (on ``label`` and ``related``,
and as a search ``field``), each ``{uri, prefLabel, direction, reason}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

from api.build.index import Index
from api.build.records import local_name
from api.languages import answers, pick
from api.model import Concept, Distinction, LabelMatch, Scheme, Text
from api.namespaces import DCT, GLOSS, ISO_THES, RDFS, SKOS

ONKI: Final = "http://schema.onki.fi/onki#"
SKOSMOS: Final = "http://purl.org/net/skosmos#"

#: The base context of most vocabulary methods.
BASE: Final = MappingProxyType({"skos": SKOS, "uri": "@id", "type": "@type"})
LABELS: Final = MappingProxyType(
    {"prefLabel": "skos:prefLabel", "altLabel": "skos:altLabel", "hiddenLabel": "skos:hiddenLabel"}
)
#: The context of search and lookup results (``RestController::search``).
SEARCH: Final = MappingProxyType(
    {
        "skos": SKOS,
        "isothes": ISO_THES,
        "onki": ONKI,
        "uri": "@id",
        "type": "@type",
        "results": {"@id": "onki:results", "@container": "@list"},
        **LABELS,
    }
)
#: Our extra key (no Skosmos client reads it).
DISTINCTIONS: Final = MappingProxyType(
    {"gloss": GLOSS, "distinctions": "gloss:distinction", "reason": "gloss:reason"}
)
CONCEPT_TYPE: Final = "skos:Concept"


def context(*parts: Mapping[str, Any], language: str | None = None) -> dict[str, Any]:
    """``parts`` merged, with ``@language`` when one is given."""
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    if language is not None:
        merged["@language"] = language
    return merged


def label(texts: Sequence[Text], lang: str, default: str) -> Text | None:
    """The label in ``lang``, else in ``default``, else untagged, else the first."""
    return pick(texts, (lang,), default)


def label_value(texts: Sequence[Text], lang: str, default: str) -> str | None:
    found = label(texts, lang, default)
    return None if found is None else found.value


def marked_label(texts: Sequence[Text], lang: str, default: str) -> str | None:
    """:func:`label_value`, with ``" (xx)"`` after a label found only in another language."""
    found = label(texts, lang, default)
    if found is None:
        return None
    if found.language is not None and not answers(found.language, lang):
        return f"{found.value} ({found.language})"
    return found.value


def in_language(texts: Sequence[Text], lang: str) -> list[str]:
    """The values of ``texts`` in ``lang`` (untagged ones answer any language)."""
    return [t.value for t in texts if answers(t.language, lang)]


def concept_label(concept: Concept, lang: str, index: Index) -> str | None:
    return label_value(concept.pref_labels, lang, index.language(concept))


def ref(index: Index, concept_id: str, lang: str) -> dict[str, Any]:
    """``{uri, prefLabel}``: what ``broader``, ``narrower`` and ``related`` list."""
    concept = index.concepts[concept_id]
    return {"uri": concept.iri, "prefLabel": concept_label(concept, lang, index)}


def refs(index: Index, ids: Sequence[str], lang: str) -> list[dict[str, Any]]:
    return [ref(index, i, lang) for i in ids if i in index.concepts]


def has_children(index: Index, concept: Concept) -> bool:
    return any(n in index.concepts for n in concept.narrower)


def child(index: Index, concept_id: str, lang: str, key: str = "prefLabel") -> dict[str, Any]:
    """``{uri, prefLabel|label, hasChildren, notation?}`` of ``children`` and ``hierarchy``."""
    concept = index.concepts[concept_id]
    found: dict[str, Any] = {
        "uri": concept.iri,
        key: marked_label(concept.pref_labels, lang, index.language(concept)),
        "hasChildren": has_children(index, concept),
    }
    if concept.notations:
        found["notation"] = concept.notations[0]
    return found


def top_concept(index: Index, concept_id: str, scheme: Scheme, lang: str) -> dict[str, Any]:
    """A ``topconcepts`` item: note ``label``, not ``prefLabel`` (Skosmos's own quirk)."""
    concept = index.concepts[concept_id]
    found: dict[str, Any] = {
        "uri": concept.iri,
        "topConceptOf": scheme.iri,
        "label": concept_label(concept, lang, index),
        "hasChildren": has_children(index, concept),
    }
    if concept.notations:
        found["notation"] = concept.notations[0]
    return found


def distinctions(index: Index, concept: Concept, lang: str) -> list[dict[str, Any]]:
    """The glossary's "it's not X because ..." statements, both directions (extra key)."""
    return [_distinction(index, d, lang) for d in concept.distinctions if d.other in index.concepts]


def add_distinctions(found: dict[str, Any], index: Index, concept: Concept, lang: str) -> None:
    """Give ``found`` the extra ``distinctions`` key, when the concept has any."""
    listed = distinctions(index, concept, lang)
    if listed:
        found["distinctions"] = listed


def _distinction(index: Index, value: Distinction, lang: str) -> dict[str, Any]:
    other = index.concepts[value.other]
    return {
        **ref(index, other.id, lang),
        "direction": value.direction,
        "reason": label_value(value.reason, lang, index.language(other)),
    }


def search_result(
    index: Index,
    match: LabelMatch,
    vocid: str,
    label_lang: str | None,
    localname: bool,
) -> dict[str, Any]:
    """One search or lookup result: ``uri``, ``type``, ``localname`` (vocabulary searches),
    ``prefLabel`` and ``lang`` of the display label, what was matched when it is not that
    label (``matchedPrefLabel``, ``altLabel``, ``hiddenLabel``), ``notation``, ``vocab``."""
    concept = index.concepts[match.concept]
    default = index.language(concept)
    display = label(concept.pref_labels, label_lang or match.label.language or default, default)
    found: dict[str, Any] = {"uri": concept.iri, "type": [CONCEPT_TYPE]}
    if localname:
        found["localname"] = local_name(concept.iri)
    if display is not None:
        found["prefLabel"] = display.value
    found["lang"] = (display.language if display else None) or label_lang or default
    matched = match.label.value
    if match.label_type == "prefLabel" and display is not None and matched != display.value:
        found["matchedPrefLabel"] = matched
    elif match.label_type != "prefLabel":
        found[match.label_type] = matched
    if concept.notations:
        found["notation"] = concept.notations[0]
    found["vocab"] = vocid
    return found


#: ``fields`` a search may ask for: SKOS object properties, by the record field holding ids
#: (of concepts) or IRIs (of anything).
OBJECT_FIELDS: Final = MappingProxyType(
    {"broader": "broader", "narrower": "narrower", "related": "related"}
)
IRI_FIELDS: Final = MappingProxyType(
    {
        "exactMatch": "exact_match",
        "closeMatch": "close_match",
        "broadMatch": "broad_match",
        "narrowMatch": "narrow_match",
        "relatedMatch": "related_match",
    }
)
LITERAL_FIELDS: Final = MappingProxyType(
    {
        "definition": "definitions",
        "scopeNote": "scope_notes",
        "example": "examples",
        "note": "notes",
        "historyNote": "history_notes",
        "editorialNote": "editorial_notes",
        "changeNote": "change_notes",
        "altLabel": "alt_labels",
        "hiddenLabel": "hidden_labels",
    }
)


def field_context(fields: Sequence[str]) -> dict[str, Any]:
    """What the context gains for ``fields``: ``skos:<field>``, and for ``prefLabel`` the
    ``prefLabels`` language map (Skosmos issue #432)."""
    added: dict[str, Any] = {}
    for name in fields:
        if name == "prefLabel":
            added["prefLabels"] = {"@id": "skos:prefLabel", "@container": "@language"}
        elif name == "distinctions":
            added.update(DISTINCTIONS)
        elif name in {*OBJECT_FIELDS, *IRI_FIELDS, *LITERAL_FIELDS, "notation", "inScheme"}:
            added[name] = f"skos:{name}"
    return added


def add_fields(
    index: Index, concept: Concept, found: dict[str, Any], fields: Sequence[str], lang: str | None
) -> None:
    """Each of ``fields`` on ``concept``'s search result: objects as ``[{uri, prefLabel?}]``,
    literals as ``["..."]`` in ``lang`` (all languages when the search has none)."""
    shown = lang or index.language(concept)
    for name in fields:
        value = _field(index, concept, name, lang, shown)
        if value is not None:
            found[name if name != "prefLabel" else "prefLabels"] = value


def _field(index: Index, concept: Concept, name: str, lang: str | None, shown: str) -> Any:
    if name == "prefLabel":
        return {t.language or "": t.value for t in concept.pref_labels}
    if name == "distinctions":
        return distinctions(index, concept, shown) or None
    if name in OBJECT_FIELDS:
        return refs(index, getattr(concept, OBJECT_FIELDS[name]), shown) or None
    if name in IRI_FIELDS:
        return [{"uri": iri} for iri in getattr(concept, IRI_FIELDS[name])] or None
    if name == "inScheme":
        return [{"uri": index.schemes[s].iri} for s in concept.schemes if s in index.schemes]
    if name == "notation":
        return list(concept.notations) or None
    if name in LITERAL_FIELDS:
        texts: Sequence[Text] = getattr(concept, LITERAL_FIELDS[name])
        values = [t.value for t in texts] if lang is None else in_language(texts, lang)
        return values or None
    return None


def vocabulary_title(scheme: Scheme, lang: str) -> str:
    return label_value(scheme.titles, lang, scheme.default_language) or scheme.id


VOCABULARY: Final = MappingProxyType(
    {
        "skos": SKOS,
        "onki": ONKI,
        "dct": DCT,
        "rdfs": RDFS,
        "uri": "@id",
        "type": "@type",
        "title": "rdfs:label",
        "conceptschemes": "onki:hasConceptScheme",
        "id": "onki:vocabularyIdentifier",
        "defaultLanguage": "onki:defaultLanguage",
        "languages": "onki:language",
        "label": "rdfs:label",
        "prefLabel": "skos:prefLabel",
    }
)
