"""Field arguments checked strictly, and the errors a client can fix.

Each function returns the usable value or raises :class:`InvalidArgumentError` naming the
argument (the same rules as the REST query parameters), so every resolver refuses bad input
with the same clear message. Those errors' messages and codes reach the client, never
masked: anything else raised in a resolver is a bug, whose message ``limits.MaskErrors``
replaces so no internals leak. Codes follow the names Apollo clients already know.
"""

from __future__ import annotations

from typing import Any

from api.http.parameters import MAX_IRI, MAX_LANG, MAX_TEXT, clean_text
from api.languages import InvalidLanguageTag, normalise_tag

# Errors a client can fix ---------------------------------------------------------------


#: ``extensions.code`` values (Apollo Server's names, so existing client code recognises them).
BAD_USER_INPUT = "BAD_USER_INPUT"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class QueryError(Exception):
    """A problem with the query's arguments; graphql-core copies ``extensions`` to the error."""

    code = BAD_USER_INPUT

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.extensions: dict[str, Any] = {"code": self.code, **extensions}


class InvalidArgumentError(QueryError):
    """An argument value we cannot use; the message names the argument and why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"Argument '{name}' {reason}", argument=name)


def language(value: str | None, name: str = "lang") -> str | None:
    """A canonical BCP 47 tag, or ``None`` when the argument was not given."""
    if value is None:
        return None
    try:
        if len(value) > MAX_LANG:
            raise InvalidLanguageTag(value)
        return normalise_tag(value)
    except InvalidLanguageTag:
        raise InvalidArgumentError(
            name, "must be a BCP 47 language tag, such as en or cy"
        ) from None


def preferred(value: str | None) -> tuple[str, ...]:
    """The languages to prefer: the ``lang`` argument when given, then its primary subtag
    (RFC 4647 §3.4 lookup: ``cy-GB`` falls back to ``cy`` before the default language)."""
    tag = language(value)
    if tag is None:
        return ()
    return tuple(dict.fromkeys((tag, tag.split("-", 1)[0])))


def text(value: str, name: str, max_length: int = MAX_TEXT) -> str:
    """A non-empty, printable string of at most ``max_length`` characters, stripped."""
    try:
        return clean_text(value, max_length)
    except ValueError as error:
        raise InvalidArgumentError(name, str(error)) from None


def iri(value: str, name: str = "iri") -> str:
    """An IRI short enough to be one we could hold."""
    if not value or len(value) > MAX_IRI:
        raise InvalidArgumentError(name, f"must be an IRI of 1 to {MAX_IRI} characters")
    return value


def count(value: int | None, name: str, *, default: int, maximum: int) -> int:
    """A page size (``first``) from 1 to ``maximum``; ``default`` when not given."""
    if value is None:
        return default
    if not 1 <= value <= maximum:
        raise InvalidArgumentError(name, f"must be from 1 to {maximum}, got {value}")
    return value


def depth(value: int | None, name: str = "maxDepth") -> int | None:
    """A positive number of levels, or ``None`` for all of them."""
    if value is not None and value < 1:
        raise InvalidArgumentError(name, f"must be at least 1, got {value}")
    return value
