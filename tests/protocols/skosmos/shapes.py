"""What the reference (``../shared/reference/skosmos-rest-v1.md``) says each Skosmos path
answers: its top-level keys besides ``@context``, and the keys of its items. The tests
compare recorded answers against these tables, so a renamed or missing key fails."""

from __future__ import annotations

from typing import Final

VOCID: Final = "engagement-glossary"
NS: Final = "https://w3id.org/engagement-glossary/"
CONCEPT: Final = NS + "concepts/"
SCHEME: Final = NS + "schemes/engagement-glossary"
GROUP: Final = NS + "collections/engagement-spectrum"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"

CO_DESIGN: Final = CONCEPT + "co-design"
CONSULTATION: Final = CONCEPT + "consultation"
ENGAGEMENT: Final = CONCEPT + "engagement"

#: path (under /rest/v1) -> (top-level keys, ``@context`` keys it must hold).
PATHS: Final = {
    "vocabularies?lang=en": ({"uri", "vocabularies"}, {"uri", "vocabularies", "id", "title"}),
    "search?query=co*": (
        {"uri", "results"},
        {
            "skos",
            "isothes",
            "onki",
            "uri",
            "type",
            "results",
            "prefLabel",
            "altLabel",
            "hiddenLabel",
        },
    ),
    f"label?uri={CO_DESIGN}": (
        {"uri", "prefLabel", "distinctions"},
        {"skos", "uri", "type", "prefLabel", "altLabel", "hiddenLabel", "@language"},
    ),
    "types?lang=en": ({"uri", "types"}, {"skos", "uri", "type", "types", "label", "@language"}),
    f"{VOCID}/": (
        {"uri", "id", "marcSource", "title", "defaultLanguage", "languages", "conceptschemes"},
        {"skos", "uri", "type", "conceptschemes", "@language"},
    ),
    f"{VOCID}/types": ({"uri", "types"}, {"types", "@language"}),
    f"{VOCID}/topConcepts": (
        {"uri", "topconcepts"},
        {"skos", "uri", "type", "topconcepts", "label", "@language"},
    ),
    f"{VOCID}/search?query=co*&lang=en": (
        {"uri", "results"},
        {"results", "prefLabel", "@language"},
    ),
    f"{VOCID}/lookup?label=consultation&lang=en": (
        {"result"},
        {"skos", "uri", "type", "prefLabel"},
    ),
    f"{VOCID}/vocabularyStatistics": (
        {"uri", "id", "title", "concepts", "subTypes", "conceptGroups"},
        {"skos", "uri", "type"},
    ),
    f"{VOCID}/labelStatistics": ({"uri", "id", "title", "languages"}, {"skos", "uri", "type"}),
    f"{VOCID}/index/": ({"uri", "indexLetters"}, {"indexLetters", "@language"}),
    f"{VOCID}/index/C": ({"uri", "indexConcepts"}, {"indexConcepts", "prefLabel", "@language"}),
    f"{VOCID}/label?uri={CO_DESIGN}": (
        {"uri", "prefLabel", "distinctions"},
        {"prefLabel", "altLabel", "@language"},
    ),
    f"{VOCID}/broader?uri={CO_DESIGN}": (
        {"uri", "broader"},
        {"skos", "uri", "type", "prefLabel", "broader", "@language"},
    ),
    f"{VOCID}/broaderTransitive?uri={CO_DESIGN}": (
        {"uri", "broaderTransitive"},
        {"broaderTransitive", "prefLabel", "@language"},
    ),
    f"{VOCID}/narrower?uri={ENGAGEMENT}": (
        {"uri", "narrower"},
        {"narrower", "prefLabel", "@language"},
    ),
    f"{VOCID}/narrowerTransitive?uri={ENGAGEMENT}": (
        {"uri", "narrowerTransitive"},
        {"narrowerTransitive", "@language"},
    ),
    f"{VOCID}/related?uri={CONSULTATION}": (
        {"uri", "related", "distinctions"},
        {"related", "prefLabel", "@language"},
    ),
    f"{VOCID}/children?uri={ENGAGEMENT}": (
        {"uri", "narrower"},
        {"narrower", "prefLabel", "@language"},
    ),
    f"{VOCID}/hierarchy?uri={CO_DESIGN}": (
        {"uri", "broaderTransitive"},
        {"broaderTransitive", "@language"},
    ),
    f"{VOCID}/groups": ({"uri", "groups"}, {"groups", "prefLabel", "@language"}),
    f"{VOCID}/groupMembers?uri={GROUP}": (
        {"uri", "members"},
        {"members", "prefLabel", "@language"},
    ),
    f"{VOCID}/new": ({"changeList"}, {"prefLabel", "date", "@language"}),
    f"{VOCID}/modified": ({"changeList"}, {"prefLabel", "date", "@language"}),
}

#: Keys each item of a list may have (beyond these is a failure), and must have.
ITEMS: Final = {
    "vocabularies": ({"uri", "id", "title"}, {"uri", "id", "title"}),
    "results": (
        {
            "uri",
            "type",
            "localname",
            "prefLabel",
            "lang",
            "matchedPrefLabel",
            "altLabel",
            "hiddenLabel",
            "notation",
            "vocab",
            "exvocab",
            "prefLabels",
        },
        {"uri", "type", "lang", "vocab"},
    ),
    "types": ({"uri", "label", "superclass"}, {"uri", "label"}),
    "conceptschemes": ({"uri", "type", "label", "prefLabel", "title", "subject"}, {"uri", "type"}),
    "topconcepts": (
        {"uri", "topConceptOf", "label", "hasChildren", "notation"},
        {"uri", "topConceptOf", "label", "hasChildren"},
    ),
    "broader": ({"uri", "prefLabel"}, {"uri", "prefLabel"}),
    "related": ({"uri", "prefLabel"}, {"uri", "prefLabel"}),
    "members": (
        {"uri", "type", "isSuper", "hasMembers", "prefLabel", "notation"},
        {"uri", "type", "isSuper", "hasMembers", "prefLabel"},
    ),
    "groups": (
        {"uri", "prefLabel", "childGroups", "hasMembers", "notation"},
        {"uri", "prefLabel", "hasMembers"},
    ),
    "indexConcepts": (
        {"uri", "localname", "prefLabel", "altLabel", "lang", "qualifier"},
        {"uri", "localname", "prefLabel", "lang"},
    ),
    "languages": ({"language", "literal", "properties"}, {"language", "properties"}),
}
