"""Small value types: texts with their language, labels, sources, and the enums."""

from __future__ import annotations

from enum import Enum

import strawberry

from api import model


@strawberry.enum(description="Which kind of lexical label a text is (SKOS §5).")
class LabelType(Enum):
    PREF_LABEL = strawberry.enum_value("prefLabel", description="The preferred label.")
    ALT_LABEL = strawberry.enum_value("altLabel", description="An alternative label.")
    HIDDEN_LABEL = strawberry.enum_value(
        "hiddenLabel", description="A hidden label: found by search, not displayed."
    )


@strawberry.enum(description='Which way an "it\'s not X because ..." statement points.')
class Direction(Enum):
    OUTGOING = strawberry.enum_value(
        "outgoing", description="This concept is not the other one, for the reason given."
    )
    INCOMING = strawberry.enum_value(
        "incoming", description="The other concept is not this one, for the reason given."
    )


@strawberry.type(description="A literal with its language tag.")
class Text:
    value: str = strawberry.field(description="The text.")
    language: str | None = strawberry.field(description="Its BCP 47 tag; null when untagged.")

    @classmethod
    def from_text(cls, text: model.Text) -> Text:
        return cls(value=text.value, language=text.language)


@strawberry.type(description="A lexical label of a concept, in one language.")
class Label:
    value: str = strawberry.field(description="The label.")
    language: str | None = strawberry.field(description="Its BCP 47 tag; null when untagged.")
    type: LabelType = strawberry.field(description="Preferred, alternative or hidden.")

    @classmethod
    def from_text(cls, text: model.Text, label_type: model.LabelType) -> Label:
        return cls(value=text.value, language=text.language, type=LabelType(label_type))


@strawberry.type(description="Where a definition or note comes from: an IRI, a citation, or both.")
class Source:
    iri: str | None = strawberry.field(description="The source's IRI, when it has one.")
    citation: str | None = strawberry.field(description="A bibliographic citation.")

    @classmethod
    def from_source(cls, source: model.Source) -> Source:
        return cls(iri=source.iri, citation=source.citation)
