"""FHIR R4 ``CodeSystem`` resources projected from the read model: one per concept scheme.

The system's canonical ``url`` is the scheme's IRI; codes are concept ids; the display is
the preferred label in the scheme's default language. Choices where FHIR and SKOS differ
(docs/protocols.md, "FHIR terminology"):

- **Hierarchy.** The concepts are listed flat, with ``parent``/``child`` properties (as
  HAPI FHIR and Ontoserver list polyhierarchies): a SKOS concept may have several broader
  concepts, which nesting cannot say. ``skos:broader`` is not necessarily subsumption (it is
  generic, partitive or instance), so ``hierarchyMeaning`` is ``part-of`` only when every
  broader link in the scheme is also ``iso-thes:broaderPartitive``, and otherwise
  ``grouped-by`` ("various parts of the hierarchy have different meanings"); never
  ``is-a``, which no SKOS statement implies.
- **Labels** are designations with their language and a ``use`` from SKOS itself
  (``http://www.w3.org/2004/02/skos/core`` ``prefLabel``/``altLabel``/``hiddenLabel``).
- **Definitions.** FHIR allows one: the scheme's default-language definitions, joined by a
  blank line when the glossary gives several.
- **Distinctions** ("it's not X because ...") are a ``distinction`` property whose value is
  the other code, with the reason verbatim in an extension named by ``gloss:reason``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

from api.build.index import Index
from api.languages import pick
from api.model import Concept, Scheme, Text

SKOS = "http://www.w3.org/2004/02/skos/core"
GLOSS = "https://w3id.org/engagement-glossary/def/"
FHIR_PROPERTIES = "http://hl7.org/fhir/concept-properties"
#: The extension on a ``distinction`` property value holding the reason, verbatim.
REASON_EXTENSION = GLOSS + "reason"
#: The designation uses: SKOS's label properties, by the label types of the read model.
LABEL_USES: tuple[tuple[str, str, str], ...] = (
    ("prefLabel", "pref_labels", "preferred label"),
    ("altLabel", "alt_labels", "alternative label"),
    ("hiddenLabel", "hidden_labels", "hidden label"),
)

#: The properties every code system declares (``CodeSystem.property``): code, uri, type,
#: description. ``deprecated`` is ``owl:deprecated`` (a boolean), not FHIR's
#: ``deprecated`` concept property (a dateTime the vocabularies do not state).
PROPERTIES: tuple[tuple[str, str, str, str], ...] = (
    ("parent", FHIR_PROPERTIES + "#parent", "code", "A broader concept (skos:broader)."),
    ("child", FHIR_PROPERTIES + "#child", "code", "A narrower concept (skos:narrower)."),
    ("inactive", FHIR_PROPERTIES + "#inactive", "boolean", "Withdrawn (owl:deprecated)."),
    (
        "deprecated",
        "http://www.w3.org/2002/07/owl#deprecated",
        "boolean",
        "Withdrawn, kept so that old codes still resolve (owl:deprecated).",
    ),
    ("notation", SKOS + "#notation", "string", "A notation of the concept (skos:notation)."),
    (
        "distinction",
        GLOSS + "distinction",
        "code",
        "A concept this one is not, by the glossary's 'it's not X because ...'; the reason "
        f"is in the extension {REASON_EXTENSION}.",
    ),
)
PROPERTY_CODES = tuple(code for code, _, _, _ in PROPERTIES)
_PROPERTY_TYPES = {code: kind for code, _, kind, _ in PROPERTIES}

# FHIR ``id``: [A-Za-z0-9\-\.]{1,64}; ``dateTime`` (R4 §2.24.0.1) without a time, or with one.
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_DATE_TIME = re.compile(
    r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?)?)?"
)


def resource_id(scheme: Scheme) -> str:
    """The scheme's id when FHIR allows it as a resource id, else one made from its IRI."""
    if _FHIR_ID.fullmatch(scheme.id):
        return scheme.id
    return re.sub(r"[^A-Za-z0-9\-.]", "-", scheme.id)[:55] + "." + _short_hash(scheme.iri)


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def scheme_by_resource_id(index: Index, id: str) -> Scheme | None:
    """The scheme whose ``CodeSystem`` has this resource id."""
    found = index.scheme(id)
    if found is not None and resource_id(found) == id:
        return found
    return next((s for s in index.schemes.values() if resource_id(s) == id), None)


def title(scheme: Scheme) -> str:
    """The scheme's title in its default language (its id when it has none)."""
    chosen = pick(scheme.titles, (), scheme.default_language)
    return chosen.value if chosen else scheme.id


def computable_name(scheme: Scheme) -> str:
    """FHIR's ``name`` ("computer friendly"): the title's words run together, capitalised."""
    words = re.findall(r"[A-Za-z0-9]+", title(scheme))
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name[:1].isalpha() else "CodeSystem" + name


def fhir_date(value: str | None) -> str | None:
    """``value`` when it is a FHIR ``dateTime``, else ``None``."""
    return value if value is not None and _DATE_TIME.fullmatch(value) else None


def in_scheme(index: Index, scheme: Scheme, ids: Sequence[str]) -> list[str]:
    """Those of ``ids`` that are codes of ``scheme`` (a link may leave the scheme)."""
    return [i for i in ids if (c := index.concepts.get(i)) is not None and scheme.id in c.schemes]


def hierarchy_meaning(index: Index, scheme: Scheme) -> str | None:
    """``part-of`` when every broader link of the scheme is partitive, else ``grouped-by``;
    ``None`` when the scheme has no hierarchy (see the module docstring)."""
    any_link = False
    for id in index.concept_ids(scheme.id):
        concept = index.concepts[id]
        if concept.broader:
            any_link = True
            if not set(concept.broader) <= set(concept.broader_partitive):
                return "grouped-by"
    return "part-of" if any_link else None


def display(index: Index, concept: Concept, langs: Sequence[str] = ()) -> str:
    """The preferred label in the best of ``langs``, else the default language."""
    return index.label(concept.id, langs).value


def definition(index: Index, concept: Concept, langs: Sequence[str] = ()) -> str | None:
    """The definitions in the best language, joined by a blank line (FHIR has one)."""
    best = pick(concept.definitions, langs, index.language(concept))
    if best is None:
        return None
    chosen = [d.value for d in concept.definitions if d.language == best.language]
    return "\n\n".join(chosen)


def designations(concept: Concept) -> list[dict[str, Any]]:
    """Every label of ``concept`` with its language and SKOS label type."""
    return [
        _designation(text, use, use_display)
        for use, attribute, use_display in LABEL_USES
        for text in getattr(concept, attribute)
    ]


def _designation(text: Text, use: str, use_display: str) -> dict[str, Any]:
    found: dict[str, Any] = {"language": text.language} if text.language else {}
    found["use"] = {"system": SKOS, "code": use, "display": use_display}
    found["value"] = text.value
    return found


def properties(index: Index, scheme: Scheme, concept: Concept) -> Iterator[tuple[str, Any]]:
    """(code, value) of each property of ``concept`` in ``scheme``; a distinction's value is
    ``(other code, reason)``."""
    for parent in in_scheme(index, scheme, concept.broader):
        yield "parent", parent
    for child in in_scheme(index, scheme, concept.narrower):
        yield "child", child
    if concept.deprecated:
        yield "inactive", True
        yield "deprecated", True
    for notation in concept.notations:
        yield "notation", notation
    for distinction in concept.distinctions:
        if distinction.direction == "outgoing" and in_scheme(index, scheme, (distinction.other,)):
            reason = pick(distinction.reason, (), index.language(concept))
            yield "distinction", (distinction.other, reason.value if reason else None)


def property_value(code: str, value: Any) -> dict[str, Any]:
    """A property's ``value[x]`` (and, for a distinction, the reason extension)."""
    if code == "distinction":
        other, reason = value
        found: dict[str, Any] = {"valueCode": other}
        if reason is not None:
            found["extension"] = [{"url": REASON_EXTENSION, "valueString": reason}]
        return found
    kind = _PROPERTY_TYPES[code]
    return {"value" + kind[:1].upper() + kind[1:]: value}


def concept_entry(index: Index, scheme: Scheme, concept: Concept) -> dict[str, Any]:
    """``CodeSystem.concept`` for one concept."""
    entry: dict[str, Any] = {"code": concept.id, "display": display(index, concept)}
    meaning = definition(index, concept)
    if meaning is not None:
        entry["definition"] = meaning
    if labels := designations(concept):
        entry["designation"] = labels
    found = [{"code": c, **property_value(c, v)} for c, v in properties(index, scheme, concept)]
    if found:
        entry["property"] = found
    return entry


def code_system(index: Index, scheme: Scheme, *, summary: bool = False) -> dict[str, Any]:
    """The ``CodeSystem`` of ``scheme``: every concept (``content: complete``), or with
    ``summary`` only the metadata (``_summary=true``, tagged ``SUBSETTED`` as FHIR asks)."""
    ids = index.concept_ids(scheme.id)
    resource: dict[str, Any] = {"resourceType": "CodeSystem", "id": resource_id(scheme)}
    if summary:
        resource["meta"] = {"tag": [SUBSETTED]}
    resource["url"] = scheme.iri
    if scheme.version:
        resource["version"] = scheme.version
    resource |= {"name": computable_name(scheme), "title": title(scheme), "status": "active"}
    if (date := fhir_date(scheme.modified) or fhir_date(scheme.issued)) is not None:
        resource["date"] = date
    if scheme.publishers:
        resource["publisher"] = ", ".join(scheme.publishers)
    description = pick(scheme.descriptions, (), scheme.default_language)
    if description is not None:
        resource["description"] = description.value
    rights = pick(scheme.rights, (), scheme.default_language)
    if rights is not None:
        resource["copyright"] = rights.value
    resource |= {"caseSensitive": True, "valueSet": scheme.iri + "?fhir_vs"}
    if (meaning := hierarchy_meaning(index, scheme)) is not None:
        resource["hierarchyMeaning"] = meaning
    resource |= {"compositional": False, "versionNeeded": False, "content": "complete"}
    resource["count"] = len(ids)
    resource["property"] = [
        {"code": code, "uri": uri, "description": about, "type": kind}
        for code, uri, kind, about in PROPERTIES
    ]
    if not summary:
        resource["concept"] = [concept_entry(index, scheme, index.concepts[i]) for i in ids]
    return resource


#: The tag FHIR R4 §2.21.0.12.1 asks a summarised resource to carry.
SUBSETTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "SUBSETTED",
    "display": "Resource encoded in summary mode",
}
