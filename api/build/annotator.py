"""Finding concept labels in free text: whole words, case-insensitive, leftmost-longest.

:func:`build_annotator` makes the annotator of a snapshot from its search index, which
already holds every label's folded key and word postings: labels are read as token
sequences only when a text holds their first word, and kept for later texts (a first
``/annotate`` costs the words it holds, not every label). :func:`annotate` splits a text into
tokens and looks each position up, longest candidate first. Tokens are cut from the
*original* string and folded one by one, so the offsets are code-point offsets into the text
the client sent, whatever case folding does to lengths ("İ" folds to two code points, "ß" to
"ss"). Nothing here knows about HTTP.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from api.build.search import SearchIndex
from api.build.search.normalisation import fold as search_fold
from api.build.search.normalisation import words
from api.build.search.ranking import LABEL_TYPES
from api.languages import answers
from api.model import LabelType, Text

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
    """What the annotator needs of the read model: its search index (labels, their keys and
    word postings, each concept's default language)."""

    @property
    def searcher(self) -> SearchIndex: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """One label of one concept that a token sequence spells; ``default`` when the label
    answers its vocabulary's default language (or has no tag)."""

    concept: str
    label: Text
    label_type: LabelType
    schemes: tuple[str, ...]
    default: bool = True
    deprecated: bool = False


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
class Starting:
    """The labels whose first token has one key: by their token keys, and the longest."""

    labels: Mapping[tuple[str, ...], tuple[Candidate, ...]]
    longest: int


_NONE = Starting(MappingProxyType({}), 0)


@dataclass(frozen=True, slots=True, eq=False)
class Annotator:
    """The labels of a search index by first token key: those starting with a punctuation
    mark or symbol (few) read at build, those starting with a word read from the word's
    postings the first time a text holds it, then kept (``read``: at most one entry per label
    word, so a snapshot's annotator stays bounded by its vocabulary)."""

    source: SearchIndex
    leading: Mapping[str, Starting]
    read: dict[str, Starting] = field(default_factory=dict)

    def starting(self, key: str) -> Starting:
        """The labels whose first token's key is ``key``."""
        found = self.read.get(key)
        if found is not None:
            return found
        first = words(key)
        if not first:
            return self.leading.get(key, _NONE)
        entries = self.source.label_words.get(first[0])
        if not entries:
            return _NONE
        found = _starting(self.source, key, first[0], entries)
        if len(self.read) < len(self.source.label_words.spans):
            self.read[key] = found  # a race stores an equal value twice: harmless
        return found


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


def _candidate(source: SearchIndex, entry: int) -> Candidate:
    """The label of search entry ``entry`` as an annotation candidate."""
    rank = source.entry_concept[entry]
    concept, label = source.concepts[rank], source.entry_text[entry]
    return Candidate(
        concept.id, label, LABEL_TYPES[source.entry_type[entry]], concept.schemes,
        answers(label.language, source.languages[rank]), concept.deprecated,
    )  # fmt: skip


def _group(source: SearchIndex, entries: Iterable[int]) -> dict[str, Starting]:
    """The labels of ``entries`` by the key of their first token."""
    grouped: dict[str, dict[tuple[str, ...], list[Candidate]]] = {}
    for entry in entries:
        key = keys(source.entry_text[entry].value)
        if key:
            grouped.setdefault(key[0], {}).setdefault(key, []).append(_candidate(source, entry))
    return {
        first: Starting(
            MappingProxyType({key: _ranked(found) for key, found in labels.items()}),
            max(map(len, labels)),
        )
        for first, labels in grouped.items()
    }


def _starting(source: SearchIndex, key: str, word: str, entries: Iterable[int]) -> Starting:
    """The labels among ``entries`` (those holding ``word``, the first word of ``key``) whose
    first token's key is ``key``; a label key not starting with ``word`` is skipped unread."""
    keyed = source.entry_key
    return _group(source, (e for e in entries if keyed[e].startswith(word))).get(key, _NONE)


def build_annotator(index: ConceptSource) -> Annotator:
    """The annotator of ``index``; run once per snapshot. Reads only the labels whose key
    starts with something other than a word (a word's labels are read when a text asks)."""
    source = index.searcher
    leading = (e for e, key in enumerate(source.entry_key) if key and not _is_word(key[0]))
    return Annotator(source, MappingProxyType(_group(source, leading)))


def _ranked(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    return tuple(sorted(candidates, key=lambda c: (_RANK[c.label_type], c.concept)))


@dataclass(frozen=True, slots=True)
class Filters:
    """Which candidates an annotation keeps: labels answering ``lang`` by RFC 4647 (with no
    ``lang``, those answering their vocabulary's default language), untagged labels always;
    concepts of ``scheme``; deprecated concepts only when ``deprecated``. Matching is within a
    language, so folding never makes a word of one language a label of another ("the" in
    English text is not the French "Thé")."""

    lang: str | None = None
    scheme: str | None = None
    deprecated: bool = False

    def keep(self, candidate: Candidate) -> bool:
        if candidate.deprecated and not self.deprecated:
            return False
        if self.scheme is not None and self.scheme not in candidate.schemes:
            return False
        if self.lang is None:
            return candidate.default
        return answers(candidate.label.language, self.lang)


def _best(candidates: tuple[Candidate, ...], filters: Filters) -> Candidate | None:
    for candidate in candidates:
        if filters.keep(candidate):
            return candidate
    return None


def _match_at(
    annotator: Annotator,
    found: tuple[Token, ...],
    position: int,
    filters: Filters,
) -> tuple[int, Candidate] | None:
    """The longest label starting at token ``position``: (its length in tokens, candidate)."""
    starting = annotator.starting(found[position].key)
    for length in range(min(starting.longest, len(found) - position), 0, -1):
        key = tuple(token.key for token in found[position : position + length])
        candidates = starting.labels.get(key)
        best = None if candidates is None else _best(candidates, filters)
        if best is not None:
            return length, best
    return None


def annotate(
    annotator: Annotator,
    text: str,
    lang: str | None = None,
    scheme: str | None = None,
    limit: int | None = None,
    *,
    include_deprecated: bool = False,
) -> tuple[Occurrence, ...]:
    """Every non-overlapping occurrence of a label in ``text``, in text order (the first
    ``limit`` of them when given).

    At each word the longest label wins ("community engagement" over "engagement"), then
    the scan resumes after it (leftmost-longest). Labels are matched in ``lang`` by RFC 4647
    lookup, else in their vocabulary's default language, untagged labels in any; ``scheme``
    keeps concepts of that scheme (by id); deprecated concepts only with
    ``include_deprecated`` (see ``Filters``).
    """
    filters = Filters(lang, scheme, include_deprecated)
    found = tokens(text)
    occurrences: list[Occurrence] = []
    position = 0
    while position < len(found) and (limit is None or len(occurrences) < limit):
        match = _match_at(annotator, found, position, filters)
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
