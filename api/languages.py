"""BCP 47 language tags, ``Accept-Language`` and picking a text by language with fallback."""

from __future__ import annotations

import re
from collections.abc import Sequence

from api.model import Text

# RFC 5646 §2.1: langtag = language ["-" script] ["-" region] *("-" variant)
# *("-" extension) ["-" privateuse]; or a private-use tag on its own.
_LANGTAG = re.compile(
    r"""
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})
    (?:-[a-z]{4})?
    (?:-(?:[a-z]{2}|[0-9]{3}))?
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
    (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*
    (?:-x(?:-[a-z0-9]{1,8})+)?
    |x(?:-[a-z0-9]{1,8})+
    """,
    re.IGNORECASE | re.VERBOSE,
)
# RFC 5646 §2.2.8: irregular grandfathered tags that do not fit the langtag production.
_IRREGULAR = frozenset((
    "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
    "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl",
    "sgn-ch-de",
))  # fmt: skip
# RFC 4647 §2.1: language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*"
_RANGE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*", re.IGNORECASE)
# RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
# ISO 639-2 codes that dct:language IRIs often use, mapped to their shortest BCP 47 form.
_ISO639_2 = {
    "eng": "en", "cym": "cy", "wel": "cy", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de",
    "spa": "es", "ita": "it", "nld": "nl", "dut": "nl", "por": "pt", "gle": "ga", "gla": "gd",
    "zho": "zh", "chi": "zh", "jpn": "ja", "rus": "ru", "ara": "ar", "pol": "pl", "swe": "sv",
}  # fmt: skip


class InvalidLanguageTag(ValueError):
    """A string that is not a well-formed BCP 47 language tag."""


def _canonical_case(tag: str) -> str:
    """RFC 5646 §2.1.1 case: two-letter region upper, script title case, everything else lower,
    and everything after a singleton (extension or private use) lower."""
    first, *rest = tag.lower().split("-")
    out, extended = [first], len(first) == 1
    for subtag in rest:
        if not extended and len(subtag) == 2:
            subtag = subtag.upper()
        elif not extended and len(subtag) == 4 and subtag.isalpha():
            subtag = subtag.title()
        extended = extended or len(subtag) == 1
        out.append(subtag)
    return "-".join(out)


def normalise_tag(tag: str) -> str:
    """``tag`` in canonical case; raises ``InvalidLanguageTag`` unless it is well-formed BCP 47."""
    stripped = tag.strip()
    if not (_LANGTAG.fullmatch(stripped) or stripped.lower() in _IRREGULAR):
        raise InvalidLanguageTag(f"not a BCP 47 language tag: {tag!r}")
    return _canonical_case(stripped)


def tag_of(value: str) -> str | None:
    """A language tag from a ``dct:language`` value: a tag, or an IRI ending in an ISO 639 code."""
    code = re.split(r"[/#]", value.strip().rstrip("/"))[-1]
    code = _ISO639_2.get(code.lower(), code)
    try:
        return normalise_tag(code)
    except InvalidLanguageTag:
        return None


def _weighted(item: str) -> tuple[str, float] | None:
    """One ``Accept-Language`` element as (range, q), or ``None`` when it is malformed."""
    language_range, *params = (part.strip() for part in item.split(";"))
    weight = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            if not _QVALUE.fullmatch(value.strip()):
                return None
            weight = float(value)
    if not _RANGE.fullmatch(language_range):
        return None
    return _canonical_case(language_range), weight


def parse_accept_language(header: str | None) -> tuple[str, ...]:
    """Language ranges of an ``Accept-Language`` header, most preferred first (RFC 9110 §12.5.4).

    Elements with ``q=0``, the wildcard and malformed elements are dropped; never raises.
    """
    parsed = [_weighted(item) for item in (header or "").split(",") if item.strip()]
    ranked = sorted((p for p in parsed if p and p[1] > 0), key=lambda p: -p[1])
    return tuple(dict.fromkeys(tag for tag, _ in ranked))


def _rank(language: str | None, preferred: Sequence[str], default: str) -> int:
    """How well a text in ``language`` fits, lower is better: a preferred tag, a preferred
    primary subtag, the default tag, its primary subtag, untagged, anything else."""
    tag, count = (language or "").lower(), len(preferred)
    primary = tag.split("-", 1)[0]
    if tag in preferred:
        return preferred.index(tag)
    primaries = [want.split("-", 1)[0] for want in preferred]
    if primary in primaries:
        return count + primaries.index(primary)
    if language is None:
        return 2 * count + 2
    if tag == default or primary == default.split("-", 1)[0]:
        return 2 * count + (0 if tag == default else 1)
    return 2 * count + 3


def filter_language(
    texts: Sequence[Text], preferred: Sequence[str], default: str
) -> tuple[Text, ...]:
    """All of ``texts`` in the best available language, by the fallback order of ``pick``
    (when nothing fits, those in the first text's language)."""
    if not texts:
        return ()
    wanted = [tag.lower() for tag in preferred]
    ranks = [_rank(text.language, wanted, default.lower()) for text in texts]
    best = min(ranks)
    if best == 2 * len(wanted) + 3:
        first = texts[ranks.index(best)].language
        return tuple(text for text in texts if text.language == first)
    return tuple(text for text, rank in zip(texts, ranks, strict=True) if rank == best)


def pick(texts: Sequence[Text], preferred: Sequence[str], default: str) -> Text | None:
    """The text in the best language: an exact tag of ``preferred``, then a primary subtag,
    then ``default``, then an untagged text, then the first; ``None`` when there is none."""
    if len(texts) < 2:
        return texts[0] if texts else None
    return filter_language(texts, preferred, default)[0]
