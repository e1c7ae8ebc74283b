"""Automatic persisted queries (Apollo's APQ protocol, version 1).

A client sends ``extensions.persistedQuery.sha256Hash`` without the query; if this process
has seen that query, it runs, so a GET URL stays short and a CDN can cache it. If not, the
answer is ``PERSISTED_QUERY_NOT_FOUND`` and the client sends hash and query together once.
The store is per endpoint instance and bounded: least recently used queries go first.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import Any

from strawberry.http import GraphQLRequestData

from api.graphql.arguments import PERSISTED_QUERY_NOT_FOUND
from api.runtime.lru import LRU

#: Queries kept, and their total size in characters, before the oldest are dropped.
MAX_ENTRIES = 1000
MAX_CHARACTERS = 10_000_000
_SHA256 = re.compile(r"[0-9a-f]{64}")


class PersistedQueryError(Exception):
    """An APQ request we cannot serve; ``status`` and the body follow Apollo Server."""

    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message)
        self.code, self.status = code, status

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": str(self), "extensions": {"code": self.code}}]}


def not_found() -> PersistedQueryError:
    # Apollo clients look for this exact message, and answer 200 so they retry with the query.
    return PersistedQueryError("PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND, 200)


def bad_request(message: str) -> PersistedQueryError:
    return PersistedQueryError(message, "BAD_REQUEST", 400)


class PersistedQueries:
    """Query texts by SHA-256 (hex), least recently used first; one store per endpoint."""

    def __init__(
        self, max_entries: int = MAX_ENTRIES, max_characters: int = MAX_CHARACTERS
    ) -> None:
        self._queries: LRU[str, str] = LRU(max_entries, max_weight=max_characters, weigh=len)

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, sha256: str) -> str | None:
        return self._queries.get(sha256)

    def put(self, sha256: str, query: str) -> None:
        self._queries.put(sha256, query)

    def resolve(self, data: GraphQLRequestData) -> GraphQLRequestData:
        """The request with its query filled in from the store when it sent only a hash."""
        sha256 = requested_hash(data.extensions)
        if sha256 is None:
            return data
        if data.query is None:
            query = self.get(sha256)
            if query is None:
                raise not_found()
            return replace(data, query=query)
        if hashlib.sha256(data.query.encode()).hexdigest() != sha256:
            raise bad_request("provided sha does not match query")
        return data

    def register(self, data: GraphQLRequestData) -> None:
        """Keep a query sent with its hash, once it has run (so it parsed and validated)."""
        sha256 = requested_hash(data.extensions)
        if sha256 is not None and data.query is not None:
            self.put(sha256, data.query)


def requested_hash(extensions: dict[str, Any] | None) -> str | None:
    """The hash in ``extensions.persistedQuery``, checked; ``None`` when there is none."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise bad_request("Unsupported persisted query version")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256.lower()):
        raise bad_request("persistedQuery.sha256Hash must be 64 hexadecimal digits")
    return sha256.lower()
