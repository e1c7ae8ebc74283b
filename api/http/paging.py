"""Cursor paging over the read model's stable id orders.

A cursor is opaque to clients: URL-safe base64 of a position and a prefix of the vocabulary
digest, so a cursor handed out before a reload is refused rather than silently skipping or
repeating concepts.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass

from api.http.errors import InvalidParameter

_VERSION = "c1"
_DIGEST_CHARS = 12
_PLAIN = re.compile(r"c1\.(?P<offset>[0-9]{1,9})\.(?P<digest>[0-9a-f]{1,64})")


@dataclass(frozen=True, slots=True)
class Page:
    """One slice of a sequence: its items, the total, and where the next slice starts."""

    items: tuple[str, ...]
    total: int
    next_offset: int | None


def slice_page(ids: Sequence[str], offset: int, limit: int) -> Page:
    """Items ``offset`` .. ``offset + limit`` of ``ids``."""
    end = offset + limit
    return Page(tuple(ids[offset:end]), len(ids), end if end < len(ids) else None)


def encode_cursor(offset: int, digest: str) -> str:
    """The opaque cursor for position ``offset`` in the vocabulary with ``digest``."""
    plain = f"{_VERSION}.{offset}.{digest[:_DIGEST_CHARS]}"
    return base64.urlsafe_b64encode(plain.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, digest: str, total: int, name: str = "cursor") -> int:
    """The position a cursor stands for; a 400 naming ``name`` unless it is ours and current."""
    match = _PLAIN.fullmatch(_unbase64(cursor, name))
    if match is None:
        raise InvalidParameter(name, "is not a cursor this service issued")
    if match["digest"] != digest[:_DIGEST_CHARS]:
        raise InvalidParameter(
            name, "was issued for another version of the vocabulary; start again without it"
        )
    offset = int(match["offset"])
    if offset >= max(total, 1):
        raise InvalidParameter(name, "points past the end of this list")
    return offset


def _unbase64(cursor: str, name: str) -> str:
    if len(cursor) > 200:
        raise InvalidParameter(name, "is not a cursor this service issued")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return raw.decode("ascii")
    except (binascii.Error, ValueError):
        raise InvalidParameter(name, "is not a cursor this service issued") from None
