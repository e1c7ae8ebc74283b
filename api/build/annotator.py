"""Finding concept labels in free text: whole words, case-insensitive, leftmost-longest.

:func:`build_annotator` indexes every label of every concept once per snapshot, as token
sequences; :func:`annotate` splits a text into tokens and looks each position up, longest
candidate first. Tokens are cut from the *original* string and folded one by one, so the
offsets are code-point offsets into the text the client sent, whatever case folding does to
lengths ("İ" folds to two code points, "ß" to "ss"). Nothing here knows about HTTP.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from api.build.search.normalisation import fold as search_fold
from api.model import Concept, LabelType, Text

#: Preference among candidates for the same words: a preferred label before the others.
_RANK: Mapping[LabelType, int] = MappingProxyType({"prefLabel": 0, "altLabel": 1, "hiddenLabel": 2})
# Characters that join their neighbours into one written unit but are not letters: U+200D
# and U+200C (zero width joiner and non-joiner: emoji sequences, Persian and Indic words) and
# U+034F (combining grapheme joiner). The character after one stays in the same token.
_JOINERS = frozenset("\u200d\u200c\u034f")
# A run of word characters, or any other single character but white space; marks and
# joiners are then glued to what precedes them (``_spans``).
_PIECE = re.compile(r"\w+|\S")
# Dashes and apostrophes typed in many forms; one form each so "co" U+2011 "production"
# matches "co-production" and "people" U+2019 "s" matches "people's".
_EQUIVALENT = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2019": "'", "\u02bc": "'"})


class ConceptSource(Protocol):
    """What the annotator needs of the read model: the concepts by id."""

    @property
    def concepts(self) -> Mapping[str, Concept]: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """One label of one concept that a token sequence spells."""

    concept: str
    label: Text
    label_type: LabelType
    schemes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A label found in a text: ``text[start:end]`` (code points) is exactly ``text``."""

    start: int
    end: int
    text: str
    concept: str
    label: Text
    label_type: LabelType


@dataclass(frozen=True, slots=True)
class Token:
    """A word or a punctuation mark of a text, with its code-point span and folded key."""

    start: int
    end: int
    key: str


@dataclass(frozen=True, slots=True)
class Annotator:
    """Every label as a tuple of token keys, and the longest label (in tokens) per first key."""

    labels: Mapping[tuple[str, ...], tuple[Candidate, ...]]
    longest: Mapping[str, int]

    @property
    def label_count(self) -> int:
        return sum(len(candidates) for candidates in self.labels.values())


def fold(value: str) -> str:
    """The matching key of a token: the search's :func:`~api.build.search.normalisation.fold`
    (case-folded, compatibility-decomposed, without accents, as ``/lookup`` matches, so
    "DŴR", "dŵr", "dw" + U+0302 and "dwr" agree) once dashes and apostrophes are made one
    form each (``_EQUIVALENT``)."""
    return search_fold(value if value.isascii() else value.translate(_EQUIVALENT))


def _attaches(char: str) -> bool:
    """Combining marks and joiners belong to the character before them."""
    return char in _JOINERS or unicodedata.category(char)[0] == "M"


def _is_word(char: str) -> bool:
    return char == "_" or char.isalnum()  # what the regular expression ``\w`` matches


def _spans(text: str) -> list[list[int]]:
    """Code-point ``[start, end]`` of the tokens: runs of word characters (letters, digits,
    "_") with their combining marks, or one other character (punctuation, a symbol, an
    emoji) with its marks and whatever a joiner glues to it; white space separates."""
    spans: list[list[int]] = []
    word = glue = False  # the last token is a word; the next piece joins it
    for match in _PIECE.finditer(text):
        start, end = match.span()
        adjacent = bool(spans) and spans[-1][1] == start
        is_word = _is_word(text[start])
        if not is_word and end - start == 1 and _attaches(text[start]):
            if adjacent:  # a mark or joiner extends the token before it
                spans[-1][1] = end
                glue = text[start] in _JOINERS
            continue
        if adjacent and (glue or (word and is_word)):  # "dw" + U+0302 + "r" is one word
            spans[-1][1], glue = end, False
            continue
        spans.append([start, end])
        word, glue = is_word, False
    return spans


def tokens(text: str) -> tuple[Token, ...]:
    """The tokens of ``text`` in order, each with its folded key."""
    return tuple(Token(start, end, fold(text[start:end])) for start, end in _spans(text))


def keys(text: str) -> tuple[str, ...]:
    """The folded keys of the tokens of ``text`` (a label's entry in the annotator)."""
    if text.isascii():  # no marks or joiners to glue: the pieces are the tokens
        return tuple(sys.intern(piece) for piece in _PIECE.findall(fold(text)))
    return tuple(sys.intern(fold(text[start:end])) for start, end in _spans(text))


def _label_entries(concept: Concept) -> Iterator[tuple[tuple[str, ...], Candidate]]:
    kinds: tuple[tuple[LabelType, tuple[Text, ...]], ...] = (
        ("prefLabel", concept.pref_labels),
        ("altLabel", concept.alt_labels),
        ("hiddenLabel", concept.hidden_labels),
    )
    for label_type, labels in kinds:
        for label in labels:
            key = keys(label.value)
            if key:
                yield key, Candidate(concept.id, label, label_type, concept.schemes)


def build_annotator(index: ConceptSource) -> Annotator:
    """Index every label of every concept; run once per snapshot."""
    grouped: dict[tuple[str, ...], list[Candidate]] = {}
    longest: dict[str, int] = {}
    for concept in index.concepts.values():
        for key, candidate in _label_entries(concept):
            grouped.setdefault(key, []).append(candidate)
            longest[key[0]] = max(longest.get(key[0], 0), len(key))
    labels = {key: _ranked(found) for key, found in grouped.items()}
    return Annotator(labels=MappingProxyType(labels), longest=MappingProxyType(longest))


def _ranked(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    return tuple(sorted(candidates, key=lambda c: (_RANK[c.label_type], c.concept)))


def _language_fits(label: Text, lang: str | None) -> bool:
    """An untagged label fits any language; otherwise tags match on the primary subtag
    when either side has no region ("en" fits "en-GB"), exactly otherwise."""
    if lang is None or label.language is None:
        return True
    have, want = label.language.lower(), lang.lower()
    return have == want or have.split("-")[0] == want or want.split("-")[0] == have


def _best(
    candidates: tuple[Candidate, ...], lang: str | None, scheme: str | None
) -> Candidate | None:
    for candidate in candidates:
        if scheme is not None and scheme not in candidate.schemes:
            continue
        if _language_fits(candidate.label, lang):
            return candidate
    return None


def _match_at(
    annotator: Annotator,
    found: tuple[Token, ...],
    position: int,
    lang: str | None,
    scheme: str | None,
) -> tuple[int, Candidate] | None:
    """The longest label starting at token ``position``: (its length in tokens, candidate)."""
    longest = annotator.longest.get(found[position].key, 0)
    for length in range(min(longest, len(found) - position), 0, -1):
        key = tuple(token.key for token in found[position : position + length])
        candidates = annotator.labels.get(key)
        best = None if candidates is None else _best(candidates, lang, scheme)
        if best is not None:
            return length, best
    return None


def annotate(
    annotator: Annotator,
    text: str,
    lang: str | None = None,
    scheme: str | None = None,
    limit: int | None = None,
) -> tuple[Occurrence, ...]:
    """Every non-overlapping occurrence of a label in ``text``, in text order (the first
    ``limit`` of them when given).

    At each word the longest label wins ("community engagement" over "engagement"), then
    the scan resumes after it (leftmost-longest). ``lang`` keeps labels in that language (and
    untagged ones); ``scheme`` keeps concepts of that scheme (by id).
    """
    found = tokens(text)
    occurrences: list[Occurrence] = []
    position = 0
    while position < len(found) and (limit is None or len(occurrences) < limit):
        match = _match_at(annotator, found, position, lang, scheme)
        if match is None:
            position += 1
            continue
        length, candidate = match
        start, end = found[position].start, found[position + length - 1].end
        occurrences.append(
            Occurrence(start, end, text[start:end], candidate.concept, candidate.label,
                       candidate.label_type)
        )  # fmt: skip
        position += length
    return tuple(occurrences)


def to_html(text: str, occurrences: Iterable[Occurrence], href: Callable[[str], str]) -> str:
    """``text`` HTML-escaped, each occurrence wrapped in ``<glossary-term term="id">`` around
    a plain link to ``href(concept id)`` (what readers without JavaScript follow).

    Every character of ``text`` goes through :func:`html.escape`, so no markup in the input
    reaches the output; the only tags are the ones written here.
    """
    parts: list[str] = []
    position = 0
    for occurrence in occurrences:
        term = html.escape(occurrence.concept)
        link = html.escape(href(occurrence.concept))
        parts.append(html.escape(text[position : occurrence.start]))
        parts.append(
            f'<glossary-term term="{term}"><a href="{link}">'
            f"{html.escape(occurrence.text)}</a></glossary-term>"
        )
        position = occurrence.end
    parts.append(html.escape(text[position:]))
    return "".join(parts)
