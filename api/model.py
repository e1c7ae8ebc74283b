"""Frozen domain records of the read model: schemes, concepts, collections and their texts.

Nothing here does I/O or knows about HTTP, GraphQL or RDF libraries; every record is
immutable so that one instance can be shared by all requests for the life of the process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LabelType = Literal["prefLabel", "altLabel", "hiddenLabel"]
Direction = Literal["outgoing", "incoming"]
MatchKind = Literal["notation", "exact", "prefix", "word", "substring", "typo", "definition"]


@dataclass(frozen=True, slots=True)
class Text:
    """A literal with its language tag (``None`` when the literal has none).

    ``resource`` is the IRI of the SKOS-XL label (``skosxl:Label``) the literal is the
    ``skosxl:literalForm`` of, when it was read from one."""

    value: str
    language: str | None = None
    resource: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where a definition or note is quoted from: an IRI, a citation, or both."""

    iri: str | None = None
    citation: str | None = None


@dataclass(frozen=True, slots=True)
class Distinction:
    """An "it's not X because ..." statement between two concepts.

    ``outgoing``: the owning concept is not ``other`` because ``reason``.
    ``incoming``: ``other`` is not the owning concept because ``reason``.
    """

    other: str
    reason: tuple[Text, ...]
    direction: Direction
    statement: tuple[Text, ...] = ()


@dataclass(frozen=True, slots=True)
class Concept:
    """A ``skos:Concept`` with everything the APIs answer about it, relations as concept ids."""

    id: str
    iri: str
    schemes: tuple[str, ...]
    pref_labels: tuple[Text, ...]
    alt_labels: tuple[Text, ...] = ()
    hidden_labels: tuple[Text, ...] = ()
    notations: tuple[str, ...] = ()
    definitions: tuple[Text, ...] = ()
    scope_notes: tuple[Text, ...] = ()
    examples: tuple[Text, ...] = ()
    notes: tuple[Text, ...] = ()
    history_notes: tuple[Text, ...] = ()
    editorial_notes: tuple[Text, ...] = ()
    change_notes: tuple[Text, ...] = ()
    criteria: tuple[Text, ...] = ()
    stances: tuple[Text, ...] = ()
    roles: tuple[Text, ...] = ()
    sources: tuple[Source, ...] = ()
    see_also: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    broader_partitive: tuple[str, ...] = ()
    narrower_partitive: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    top_concept_of: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    distinctions: tuple[Distinction, ...] = ()
    exact_match: tuple[str, ...] = ()
    close_match: tuple[str, ...] = ()
    broad_match: tuple[str, ...] = ()
    narrow_match: tuple[str, ...] = ()
    related_match: tuple[str, ...] = ()
    #: ``owl:deprecated true``: withdrawn, kept so that old links still resolve.
    deprecated: bool = False
    #: IRIs (loaded concepts or not) of ``dct:isReplacedBy`` / of what ``dct:replaces`` names.
    replaced_by: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scheme:
    """A ``skos:ConceptScheme`` with its Dublin Core metadata and top concepts."""

    id: str
    iri: str
    titles: tuple[Text, ...]
    descriptions: tuple[Text, ...] = ()
    version: str | None = None
    issued: str | None = None
    modified: str | None = None
    creators: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    rights: tuple[Text, ...] = ()
    license: str | None = None
    citation: tuple[Text, ...] = ()
    notes: tuple[Text, ...] = ()
    default_language: str = "en"
    top_concepts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Collection:
    """A ``skos:Collection``; ``members`` keep list order when ``ordered`` is true.

    ``members`` are concept ids; nested collections are in ``member_collections``.
    """

    id: str
    iri: str
    labels: tuple[Text, ...]
    ordered: bool
    members: tuple[str, ...]
    definitions: tuple[Text, ...] = ()
    notes: tuple[Text, ...] = ()
    schemes: tuple[str, ...] = ()
    member_collections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """One label of one concept that a lookup or search matched, and how well.

    ``field`` is the label type matched, or ``"definition"`` or ``"notation"`` (then ``label``
    is the concept's preferred label); ``match`` names the ranking tier, whose order ``score``
    follows.
    """

    concept: str
    label: Text
    label_type: LabelType
    field: str
    score: float
    match: MatchKind = "exact"
