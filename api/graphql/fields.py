"""How fields are declared (a typed ``field`` decorator, the fields with a ``lang``
argument) and the small value types they return: texts, labels, sources and the enums.

Texts come in many languages; every text field takes ``lang`` and falls back the same way
(``api/languages.py``): that language, then the scheme's default language, then any.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Annotated, Any, TypeVar, cast

import strawberry

from api import model
from api.graphql import arguments
from api.graphql.context import Info
from api.languages import filter_language, pick

F = TypeVar("F", bound=Callable[..., Any])


def field(description: str, name: str | None = None) -> Callable[[F], F]:
    """``@strawberry.field(description=...)``, typed for mypy: strawberry's returns ``Any``."""
    return cast("Callable[[F], F]", strawberry.field(description=description, name=name))


#: The ``lang`` argument every text field takes.
Lang = Annotated[
    str | None,
    strawberry.argument(
        description="A BCP 47 tag such as `en` or `cy`; falls back to the default language."
    ),
]


def default_language(info: Info, schemes: Sequence[str]) -> str:
    """The default language of the first scheme that declares one."""
    for scheme_id in schemes:
        scheme = info.context.index.scheme(scheme_id)
        if scheme is not None:
            return scheme.default_language
    return info.context.index.default_language


def in_language(
    info: Info, texts: Sequence[model.Text], lang: str | None, schemes: Sequence[str]
) -> list[str]:
    """Every text in the best language available for ``lang``."""
    best = filter_language(texts, arguments.preferred(lang), default_language(info, schemes))
    return [text.value for text in best]


def one_in_language(
    info: Info, texts: Sequence[model.Text], lang: str | None, schemes: Sequence[str]
) -> str | None:
    """The one text in the best language available for ``lang``."""
    chosen = pick(texts, arguments.preferred(lang), default_language(info, schemes))
    return None if chosen is None else chosen.value


def texts_field(attribute: str, description: str) -> Any:
    """A ``[String!]!`` field with a ``lang`` argument over one text tuple of the record."""

    def resolve(root: Any, info: Info, lang: Lang = None) -> list[str]:
        record = root.record
        return in_language(info, getattr(record, attribute), lang, _schemes_of(record))

    return strawberry.field(resolver=resolve, description=description)


def text_field(attribute: str, description: str) -> Any:
    """A ``String`` field with a ``lang`` argument: one text of the record in that language."""

    def resolve(root: Any, info: Info, lang: Lang = None) -> str | None:
        record = root.record
        return one_in_language(info, getattr(record, attribute), lang, _schemes_of(record))

    return strawberry.field(resolver=resolve, description=description)


def _schemes_of(record: model.Concept | model.Scheme | model.Collection) -> Sequence[str]:
    return (record.id,) if isinstance(record, model.Scheme) else record.schemes


IncludeDeprecated = Annotated[
    bool,
    strawberry.argument(
        description="Also list withdrawn (owl:deprecated) concepts, which are left out by default."
    ),
]


@strawberry.enum(description="How a list of concepts is ordered.")
class ConceptOrder(Enum):
    LABEL = strawberry.enum_value("label", description="By preferred label (the default).")
    NOTATION = strawberry.enum_value(
        "notation",
        description='By notation in natural order ("1.2" before "1.10"); those without last.',
    )


MaxDepth = Annotated[
    int | None,
    strawberry.argument(description="How many levels to follow (at least 1); all when omitted."),
]


# Small value types: texts, labels, sources, enums --------------------------------------


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
