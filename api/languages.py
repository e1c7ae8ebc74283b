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


# --- Matching texts to requests: RFC 4647 ---------------------------------------------
# A text's tag *answers* a language range when it is the range or one of its truncations
# (RFC 4647 §3.4 lookup: ``en-GB`` falls back to ``en``) or extends the range (§3.3.2
# extended filtering: ``en`` takes ``en-GB``). Tags are compared case-insensitively (RFC 5646
# §2.1.1); a text without a tag answers every range. Decisions are memoised: the same few
# (tag, preferences, default) triples recur on every request, and ``pick`` is on the hot path.

#: How a text fits, best first: the client's ranges, a sibling of one (``en-US`` for
#: ``en-GB``), the default language, untagged, anything else.
_PREFERRED, _SIBLING, _DEFAULT, _UNTAGGED, _OTHER = range(5)
Rank = tuple[int, int, int]


@lru_cache(maxsize=1024)
def fallbacks(tag: str) -> tuple[str, ...]:
    """The ranges RFC 4647 §3.4 lookup tries for ``tag``, lower case, longest first: each
    truncation drops the last subtag and then a singleton left at the end (``en-a-bbb-x-y``
    -> ``en-a-bbb`` -> ``en``)."""
    subtags = tag.lower().split("-")
    chain: list[str] = []
    while subtags:
        chain.append("-".join(subtags))
        subtags.pop()
        while subtags and len(subtags[-1]) == 1:
            subtags.pop()
    return tuple(chain)


def _fit(tag: str, wanted: str) -> int | None:
    """How ``tag`` answers range ``wanted`` (both lower case): the lookup step that reaches it,
    one past the last step when it extends the range, ``None`` when it does neither."""
    chain = fallbacks(wanted)
    if tag in chain:
        return chain.index(tag)
    return len(chain) if tag.startswith(wanted + "-") else None


def _shared(tag: str, wanted: str) -> int:
    """How many leading subtags ``tag`` and ``wanted`` share (0 when the languages differ)."""
    count = 0
    for have, want in zip(tag.split("-"), wanted.split("-"), strict=False):
        if have != want:
            break
        count += 1
    return count


@lru_cache(maxsize=4096)
def _rank(language: str | None, preferred: tuple[str, ...], default: str) -> Rank:
    """How well a text in ``language`` fits, lower is better (see ``pick``)."""
    if language is None:
        return (_UNTAGGED, 0, 0)
    tag, wanted = language.lower(), [want.lower() for want in preferred]
    for number, want in enumerate(wanted):
        step = _fit(tag, want)
        if step is not None:
            return (_PREFERRED, number, step)
    for number, want in enumerate(wanted):
        if shared := _shared(tag, want):
            return (_SIBLING, number, -shared)
    default = default.lower()
    step = _fit(tag, default)
    if step is not None:
        return (_DEFAULT, 0, step)
    if shared := _shared(tag, default):
        return (_DEFAULT, 1, -shared)
    return (_OTHER, 0, 0)


@lru_cache(maxsize=4096)
def answers(language: str | None, wanted: str) -> bool:
    """Whether a text tagged ``language`` answers a request for ``wanted``: untagged, the
    range itself, one of its lookup truncations (``en`` for ``en-GB``) or an extension of it
    (``en-GB`` for ``en``); never another language (``en`` for ``cy``)."""
    return language is None or _fit(language.lower(), wanted.lower()) is not None


def filter_language(
    texts: Sequence[Text], preferred: Sequence[str], default: str
) -> tuple[Text, ...]:
    """All of ``texts`` in the best available language (by the fallback order of ``pick``),
    with those without a language tag, which answer any request, in their order."""
    if not texts:
        return ()
    wanted = tuple(preferred)
    ranks = [_rank(text.language, wanted, default) for text in texts]
    best = min(ranks)
    language = texts[ranks.index(best)].language
    return tuple(
        text
        for text, rank in zip(texts, ranks, strict=True)
        if text.language is None or (rank == best and text.language == language)
    )


def pick(texts: Sequence[Text], preferred: Sequence[str], default: str) -> Text | None:
    """The text in the best language; ``None`` when there is none. By RFC 4647, range by range
    of ``preferred``: the range, its lookup truncations (``en-GB``, then ``en``), then tags
    extending it (``en-GB`` for ``en``); then a tag sharing a range's language (``en-US`` for
    ``en-GB``); then ``default`` the same way; then an untagged text (as Skosmos orders them);
    then the first text. Ties go to the earlier text."""
    if len(texts) < 2:
        return texts[0] if texts else None
    wanted = tuple(preferred)
    best, found = (_OTHER + 1, 0, 0), texts[0]
    for text in texts:
        rank = _rank(text.language, wanted, default)
        if rank < best:
            best, found = rank, text
    return found
