"""Query parameters read strictly, and the paging cursors they carry.

Every unusable value is an ``InvalidParameter`` naming it: endpoints call these instead of
reading ``request.query_params`` themselves, so that each parameter is checked the same way
on every route and the 400 bodies agree. Starlette's ``query_params`` keeps the last of a
repeated parameter and turns bytes that are not UTF-8 into U+FFFD; :func:`value` refuses
both, so a client never gets an answer to a question it did not ask.

A paging cursor is opaque to clients: URL-safe base64 of a position and a prefix of the
vocabulary digest, so a cursor handed out before a reload is refused rather than silently
skipping or repeating concepts.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from starlette.requests import Request

from api.http.errors import InvalidParameter
from api.languages import InvalidLanguageTag, normalise_tag, parse_accept_language

#: Longest free-text parameter (``q``, ``label``) we accept, in characters.
MAX_TEXT = 200
#: Longest ``iri`` we accept, in characters (longer ones are not IRIs anyone mints).
MAX_IRI = 2000
#: Longest ``lang`` we accept (BCP 47 tags in use are far shorter).
MAX_LANG = 35

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Lone surrogates: no UTF-8 decoder makes them, but JSON (and GraphQL) "\\ud800" escapes do.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Digits only: no sign, no spaces, no leading zeros (a client that sends "+5" or "05" has a
# bug worth hearing about, and the one spelling keeps cache keys one per value).
_INTEGER = re.compile(r"0|[1-9][0-9]{0,9}")
#: Where :func:`query` keeps a request's parsed query string.
_QUERY_KEY = "glossary.query"


def query(request: Request) -> Mapping[str, tuple[str | None, ...]]:
    """Every parameter's values in order, ``None`` for a value that is not UTF-8 (parsed once
    per request; names that are not UTF-8 are left out, as no route reads them)."""
    parsed = request.scope.get(_QUERY_KEY)
    if parsed is None:
        parsed = _parse(request.scope.get("query_string", b""))
        request.scope[_QUERY_KEY] = parsed
    return parsed


def _parse(raw: bytes) -> dict[str, tuple[str | None, ...]]:
    found: dict[str, list[str | None]] = {}
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name, _, encoded = pair.partition(b"=")
        try:
            key = _unquote(name)
        except UnicodeDecodeError:
            continue
        try:
            found.setdefault(key, []).append(_unquote(encoded))
        except UnicodeDecodeError:
            found.setdefault(key, []).append(None)
    return {key: tuple(values) for key, values in found.items()}


def _unquote(raw: bytes) -> str:
    # application/x-www-form-urlencoded (what browsers send): "+" is a space.
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")


def value(request: Request, name: str) -> str | None:
    """The one value of ``name`` as sent, or ``None`` when absent; a 400 naming it when it is
    repeated (which one would we use?) or its bytes are not UTF-8."""
    if not request.scope.get("query_string"):
        return None
    values = query(request).get(name)
    if values is None:
        return None
    if len(values) > 1:
        raise InvalidParameter(name, "must be given at most once")
    if values[0] is None:
        raise InvalidParameter(name, "must be UTF-8 (percent-encoded)")
    return values[0]


def choice(request: Request, name: str, options: Sequence[str], default: str) -> str:
    """One of ``options`` exactly; ``default`` when absent."""
    raw = value(request, name)
    if raw is None:
        return default
    if raw not in options:
        raise InvalidParameter(name, "must be " + " or ".join(options))
    return raw


# RFC 3987 §2.2: IRI = scheme ":" ihier-part ...;
# scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+")


def integer(request: Request, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """An integer in ``minimum..maximum``, written in digits only; ``default`` when absent."""
    raw = value(request, name)
    if raw is None:
        return default
    if not _INTEGER.fullmatch(raw):
        raise InvalidParameter(
            name, f"must be an integer from {minimum} to {maximum}, in digits only"
        )
    number = int(raw)
    if not minimum <= number <= maximum:
        raise InvalidParameter(name, f"must be an integer from {minimum} to {maximum}")
    return number


def boolean(request: Request, name: str, *, default: bool = False) -> bool:
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``); ``default`` when absent."""
    raw = value(request, name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in ("true", "1", "yes"):
        return True
    if word in ("false", "0", "no"):
        return False
    raise InvalidParameter(name, "must be true or false")


def text(request: Request, name: str, *, required: bool, max_length: int = MAX_TEXT) -> str | None:
    """A non-empty, printable string of at most ``max_length`` characters."""
    raw = value(request, name)
    if raw is None:
        if required:
            raise InvalidParameter(name, "is required")
        return None
    try:
        return clean_text(raw, max_length)
    except ValueError as error:
        raise InvalidParameter(name, str(error)) from None


def clean_text(value: str, max_length: int = MAX_TEXT) -> str:
    """``value`` stripped, or a ``ValueError`` saying why it is not a usable text: empty,
    longer than ``max_length``, or with control characters or lone surrogates. Shared by
    REST and GraphQL."""
    stripped = value.strip()
    if not stripped:
        raise ValueError("must not be empty")
    if len(stripped) > max_length:
        raise ValueError(f"must be at most {max_length} characters")
    if _CONTROL.search(stripped):
        raise ValueError("must not contain control characters")
    if _SURROGATE.search(stripped):
        raise ValueError("must not contain lone surrogates (send text as UTF-8)")
    return stripped


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate, which cannot be written back as UTF-8."""
    return _SURROGATE.search(text) is not None


def required_text(request: Request, name: str, *, max_length: int = MAX_TEXT) -> str:
    """Like :func:`text` for a parameter the route cannot do without."""
    value = text(request, name, required=True, max_length=max_length)
    assert value is not None  # text() raised otherwise
    return value


def iri(request: Request, name: str = "iri") -> str:
    """An absolute IRI: a scheme, ``:``, and no spaces or characters IRIs exclude."""
    raw = value(request, name)
    if raw is None or not raw:
        raise InvalidParameter(name, "is required")
    if len(raw) > MAX_IRI:
        raise InvalidParameter(name, f"must be at most {MAX_IRI} characters")
    if not _IRI.fullmatch(raw) or _CONTROL.search(raw):
        raise InvalidParameter(name, "must be an absolute IRI, such as https://example.org/x")
    return raw


def language(request: Request, name: str = "lang") -> str | None:
    """``?lang=`` as a canonical BCP 47 tag, or ``None`` when absent."""
    if not request.scope.get("query_string"):  # the common case: skip parsing a query
        return None
    raw = value(request, name)
    if raw is None:
        return None
    if len(raw) > MAX_LANG:
        raise InvalidParameter(name, "must be a BCP 47 language tag, such as en or cy")
    try:
        return normalise_tag(raw)
    except InvalidLanguageTag:
        raise InvalidParameter(name, "must be a BCP 47 language tag, such as en or cy") from None


def include_deprecated(request: Request) -> bool:
    """``?deprecated=exclude|include`` (``exclude`` when absent): whether withdrawn
    (``owl:deprecated``) concepts are listed, searched or annotated."""
    return choice(request, "deprecated", ("exclude", "include"), "exclude") == "include"


def languages(request: Request) -> tuple[str, ...]:
    """Preferred tags, best first: ``?lang=`` when given, else ``Accept-Language`` ranges."""
    tag = language(request)
    if tag is not None:
        return (tag,)
    return parse_accept_language(request.headers.get("accept-language"))


# Paging -------------------------------------------------------------------------------

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
