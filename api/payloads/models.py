"""The JSON wire contract: pydantic models, mirrored in ``openapi/openapi.yaml``.

Field names are camelCase on the wire (``prefLabel``, ``scopeNotes``), as in SKOS. A text is
always ``{value, language}`` so that a client can tell when we fell back to another language.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Payload(BaseModel):
    """Base of every wire model: camelCase aliases, immutable."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class LanguageText(Payload):
    value: str
    language: str | None


class ConceptRef(Payload):
    """A concept in a list or beside another: ``deprecated`` tells a withdrawn one (listed
    with ``deprecated=include``, or found by lookup) from the others."""

    id: str
    iri: str
    pref_label: LanguageText | None
    deprecated: bool


class ReplacementRef(Payload):
    """A concept that replaces (or is replaced by) another: ``id`` and ``prefLabel`` when it
    is loaded here, else only its IRI."""

    id: str | None
    iri: str
    pref_label: LanguageText | None


class SchemeRef(Payload):
    id: str
    iri: str
    title: LanguageText | None


class CollectionRef(Payload):
    id: str
    iri: str
    label: LanguageText | None


class SourcePayload(Payload):
    iri: str | None
    citation: str | None


class DistinctionPayload(Payload):
    concept: ConceptRef
    direction: Literal["outgoing", "incoming"]
    reason: LanguageText | None
    statement: LanguageText | None


class Mappings(Payload):
    exact_match: list[str]
    close_match: list[str]
    broad_match: list[str]
    narrow_match: list[str]
    related_match: list[str]


class Alternate(Payload):
    format: str
    media_type: str
    href: str


class Links(Payload):
    self: str
    html: str | None
    alternates: list[Alternate]


class ConceptPayload(Payload):
    id: str
    iri: str
    scheme: SchemeRef | None
    schemes: list[SchemeRef]
    top_concept_of: list[str]
    pref_label: LanguageText | None
    pref_labels: list[LanguageText]
    alt_labels: list[LanguageText]
    hidden_labels: list[LanguageText]
    notation: str | None
    notations: list[str]
    deprecated: bool
    replaced_by: list[ReplacementRef]
    replaces: list[ReplacementRef]
    definition: LanguageText | None
    definitions: list[LanguageText]
    scope_notes: list[LanguageText]
    examples: list[LanguageText]
    notes: list[LanguageText]
    history_notes: list[LanguageText]
    editorial_notes: list[LanguageText]
    change_notes: list[LanguageText]
    criteria: list[LanguageText]
    stances: list[LanguageText]
    roles: list[LanguageText]
    sources: list[SourcePayload]
    see_also: list[str]
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    broader_partitive: list[ConceptRef]
    narrower_partitive: list[ConceptRef]
    related: list[ConceptRef]
    collections: list[CollectionRef]
    distinctions: list[DistinctionPayload]
    mappings: Mappings
    links: Links


class SchemePayload(Payload):
    id: str
    iri: str
    title: LanguageText | None
    titles: list[LanguageText]
    description: LanguageText | None
    descriptions: list[LanguageText]
    version: str | None
    issued: str | None
    modified: str | None
    creators: list[str]
    publishers: list[str]
    sources: list[SourcePayload]
    rights: LanguageText | None
    license: str | None
    citation: LanguageText | None
    notes: list[LanguageText]
    default_language: str
    concept_count: int
    top_concepts: list[ConceptRef]
    links: Links


class CollectionPayload(Payload):
    id: str
    iri: str
    label: LanguageText | None
    labels: list[LanguageText]
    ordered: bool
    member_count: int
    members: list[ConceptRef]
    member_collections: list[CollectionRef]
    definition: LanguageText | None
    definitions: list[LanguageText]
    notes: list[LanguageText]
    schemes: list[SchemeRef]
    links: Links


class SchemeSummary(Payload):
    id: str
    iri: str
    title: LanguageText | None
    concept_count: int


class CollectionSummary(Payload):
    id: str
    iri: str
    label: LanguageText | None
    ordered: bool
    member_count: int


class SchemeList(Payload):
    items: list[SchemeSummary]


class CollectionList(Payload):
    items: list[CollectionSummary]


class TopConcepts(Payload):
    scheme: SchemeRef
    items: list[ConceptRef]


class ConceptPage(Payload):
    items: list[ConceptRef]
    total: int
    limit: int
    next: str | None


class Relations(Payload):
    concept: ConceptRef
    relation: Literal["broader", "narrower", "related"]
    transitive: bool
    truncated: bool
    items: list[ConceptRef]


class Hierarchy(Payload):
    concept: ConceptRef
    truncated: bool
    paths: list[list[ConceptRef]]


class Distinctions(Payload):
    concept: ConceptRef
    items: list[DistinctionPayload]


class LabelHit(Payload):
    concept: ConceptRef
    label: LanguageText
    label_type: Literal["prefLabel", "altLabel", "hiddenLabel"]
    field: str
    match: Literal["notation", "exact", "prefix", "word", "substring", "typo", "definition"]
    score: float


class LookupResult(Payload):
    label: str
    items: list[LabelHit]


class NotationLookupResult(Payload):
    notation: str
    items: list[LabelHit]


class SearchResult(Payload):
    query: str
    limit: int
    items: list[LabelHit]


class Counts(Payload):
    schemes: int
    concepts: int
    collections: int
    triples: int


class Reload(Payload):
    """What became of the last reload of the watched files (absent until one is tried)."""

    last_attempt: str
    last_success: str | None
    outcome: Literal["ok", "failed", "held-back"]
    reason: str | None


class ProblemCounts(Payload):
    """How many problems the loaded vocabulary has: by severity, by rule, and by vocabulary
    (a concept's first scheme id; a file's name for problems of a file)."""

    errors: int
    violations: int
    warnings: int
    by_rule: dict[str, int]
    by_vocabulary: dict[str, int]


class ProblemItem(Payload):
    """One problem: rule, severity, message, and the term, label, file name and line."""

    rule: str
    severity: Literal["error", "violation", "warning"]
    message: str
    term: str | None
    label: str | None
    file: str | None
    line: int | None


class ProblemList(Payload):
    items: list[ProblemItem]
    total: int
    limit: int
    next: str | None
    counts: ProblemCounts


class Health(Payload):
    status: Literal["ok"]
    version: str
    digest: str
    counts: Counts
    files: list[str]
    loaded_at: str
    problems: ProblemCounts
    reload: Reload | None = None
