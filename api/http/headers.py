"""Request header parsing, in one place: ``Accept``, ``Accept-Language``,
``Accept-Encoding``, ``Content-Type`` and ``If-None-Match``. Pure functions of header values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from api.languages import parse_accept_language

__all__ = [
    "MediaRange",
    "accept_languages",
    "accepts_gzip",
    "content_type",
    "if_none_match_matches",
    "parse_accept",
    "parse_accept_language",
]


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One element of an ``Accept`` header."""

    type: str
    subtype: str
    q: float

    def covers(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str) -> tuple[MediaRange, ...]:
    """Parse an ``Accept`` header leniently (RFC 9110 §12.5.1); garbage elements are skipped."""
    ranges = []
    for element in header.split(","):
        media, *params = (part.strip() for part in element.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        ranges.append(MediaRange(kind, sub, _quality(params)))
    return tuple(ranges)


def _quality(params: Sequence[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


#: Distinct ``Accept-Language`` values whose parse is kept: a few dozen recur from real
#: browsers; hostile variety only evicts parses (cheap to redo), never responses.
LANGUAGE_MEMO_SIZE = 1024


@lru_cache(maxsize=LANGUAGE_MEMO_SIZE)
def accept_languages(header: str | None) -> tuple[str, ...]:
    """:func:`parse_accept_language`, memoised: every negotiated request asks it."""
    return parse_accept_language(header)


def accepts_gzip(header: str | None) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (RFC 9110 §12.5.3; ``gzip;q=0`` refuses it)."""
    for element in (header or "").split(","):
        coding, *params = (part.strip().lower() for part in element.split(";"))
        if coding in ("gzip", "x-gzip", "*"):
            return not any(
                p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params
            )
    return False


def content_type(header: str | None) -> tuple[str, str | None]:
    """The media type (lower case) and ``charset`` parameter of a ``Content-Type`` value."""
    media, *params = (header or "").split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def if_none_match_matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` value names ``etag`` (weak comparison, RFC 9110
    §13.1.2) or is ``*``."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags
