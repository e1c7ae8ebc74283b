"""Errors a client can fix: their messages and codes reach the client, never masked.

Anything else raised in a resolver is a bug; ``MaskErrors`` replaces its message (see
``limits.py``) so no internals leak. Codes follow the names Apollo clients already know.
"""

from __future__ import annotations

from typing import Any

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
