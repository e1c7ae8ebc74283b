"""How fields are declared: a typed ``field`` decorator and the fields with a ``lang`` argument.

Texts come in many languages; every text field takes ``lang`` and falls back the same way
(``api/languages.py``): that language, then the scheme's default language, then any.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


MaxDepth = Annotated[
    int | None,
    strawberry.argument(description="How many levels to follow (at least 1); all when omitted."),
]
