"""BCP 47 language tags, ``Accept-Language`` and picking a text by language with fallback."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from langcodes import standardize_tag
from langcodes.tag_parser import LanguageTagError, parse_tag

from api.model import Text

# langcodes reads tags by RFC 5646's syntax alone with ``parse_tag``, which sets each subtag's
# case by its kind (script ``Hant``, region ``GB``, the rest lower case). We call it rather than
# ``Language.get``, which also looks subtags up in the registry and keeps every tag it has seen
# in an unbounded dict: these tags come from requests. It is unannotated; this is what it returns.
_parse_tag: Callable[[str], list[tuple[str, str]]] = parse_tag
# RFC 5646 §2.1: the order of the subtags that follow the language subtag.
_ORDER = {"extlang": 0, "script": 1, "territory": 2, "variant": 3, "extension": 4, "private": 5}
# RFC 4647 §2.1: language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*". Ranges need not be tags
# (``i``, ``en-gb-abc``) and langcodes has no API for them or for q-values, hence two regexes.
_RANGE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*", re.IGNORECASE)
# RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")


class InvalidLanguageTag(ValueError):
    """A string that is not a well-formed BCP 47 language tag."""


@lru_cache(maxsize=1024)
def _canonical(tag: str) -> str | None:
    """``tag`` in RFC 5646 §2.1.1 canonical case, or ``None`` unless it is well-formed.

    Where langcodes' parser departs from RFC 5646 §2.1 we follow the RFC: langcodes reads ``_``
    as ``-`` (as CLDR does), takes digits in the language subtag, takes any three characters
    after an extlang for another extlang (so the region of ``zh-yue-419`` is filed as one), and
    refuses the 5-8 letter language subtags that the RFC reserves for registration.
    """
    if "_" in tag or not tag.isascii():
        return None
    language, dash, rest = tag.partition("-")
    reserved = 5 <= len(language) <= 8 and language.isalpha()
    try:  # a reserved language subtag may be followed by what a four-letter one may
        (kind, first), *subtags = _parse_tag("zzzz" + dash + rest if reserved else tag)
    except LanguageTagError:
        return None
    if kind == "grandfathered":  # lower case from langcodes; the registry's regions are upper
        parts = first.split("-")
        return "-".join([parts[0], *(p.upper() if len(p) == 2 else p for p in parts[1:])])
    if first.startswith("x-"):
        return first
    # Refile as a region what langcodes took for a numeric extlang, then hold the subtags to the
    # RFC's order: one region, and extlangs of letters after a two- or three-letter language.
    subtags = [("territory" if k == "extlang" and s.isdigit() else k, s) for k, s in subtags]
    kinds = [k for k, _ in subtags]
    ranks = [_ORDER[k] for k in kinds]
    if not (
        first.isalpha()
        and ranks == sorted(ranks)
        and kinds.count("territory") <= 1
        and all(s.isalpha() and len(first) <= 3 for k, s in subtags if k == "extlang")
    ):
        return None
    return "-".join([language.lower() if reserved else first, *(s for _, s in subtags)])


def normalise_tag(tag: str) -> str:
    """``tag`` in canonical case; raises ``InvalidLanguageTag`` unless it is well-formed BCP 47."""
    canonical = _canonical(tag.strip())
    if canonical is None:
        raise InvalidLanguageTag(f"not a BCP 47 language tag: {tag!r}")
    return canonical


def tag_of(value: str) -> str | None:
    """A language tag from a ``dct:language`` value: a tag, or an IRI ending in an ISO 639 code
    (a three-letter code becomes its two-letter ISO 639-1 form where there is one)."""
    code = re.split(r"[/#]", value.strip().rstrip("/"))[-1]
    try:
        tag = normalise_tag(code)
    except InvalidLanguageTag:
        return None
    if len(tag) == 3 and tag.isalpha():
        # langcodes' standard form is the ISO 639-1 code where there is one ("wel" -> "cy"); we
        # take only such two-letter forms, not CLDR's other replacements ("tgl" -> "fil").
        # (Values come from vocabularies, not requests, so langcodes' own cache stays small.)
        shortest = standardize_tag(tag)
        return shortest if len(shortest) == 2 else tag
    return tag


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
    # A range that is a tag in canonical case, any other in lower case: ranges match regardless.
    return _canonical(language_range) or language_range.lower(), weight


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
