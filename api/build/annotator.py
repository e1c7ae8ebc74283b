"""Finding concept labels in free text: whole words, case-insensitive, leftmost-longest,
forgiving of how compounds and possessives are written.

:func:`build_annotator` makes the annotator of a snapshot from its search index, which
already holds every label's folded key and its entries in the order of their *joined* keys
(``api.build.search.normalisation.joined``: separators dropped). :func:`annotate` splits a
text into tokens and, at each one, extends a joined run of tokens while some label's joined
key starts with it (a bisection over that order), then takes the longest run that spells a
label. So "co-production", "co production" and "coproduction" find the label
"co-production", and "citizens assembly" or "citizen's assembly" find "citizens' assembly";
but a space in the text must fall where the label has a separator, so "a board" is never the
label "aboard" (nor "the rapist" "therapist"). In English text an English label is also
found in the other number (``_plural_match``, on the index's plural-folded keys): "citizen's
assembly" finds "citizens assemblies". Tokens are cut from the *original* string and
folded one by one, so the offsets are code-point offsets into the text the client sent,
whatever case folding does to lengths ("İ" folds to two code points, "ß" to "ss"). Nothing
here knows about HTTP.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Protocol

from api.build.search import SearchIndex
from api.build.search.normalisation import fold as search_fold
from api.build.search.normalisation import (
    is_english,
    joined,
    joins,
    plural_key,
    spelt_as_words,
    without_separators,
)
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
#: The most separators (hyphens, apostrophes, quotes) a label's run of tokens steps over in a row.
_MOST_SEPARATORS = 2
#: The most tokens an English plural-folded run of tokens spans (a label of many words
#: with its punctuation); it stops earlier once no label's folded key starts with it.
_MOST_PLURAL_TOKENS = 40


class ConceptSource(Protocol):
    """What the annotator needs of the read model: its search index (labels, their keys and
    joined order, each concept's default language)."""

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
    """A word or a punctuation mark of a text, with its code-point span and folded key;
    ``spaced`` when white space separates it from a word before it and it is a word too."""

    start: int
    end: int
    key: str
    spaced: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Annotator:
    """The labels of a search index, found by their joined keys. ``read`` keeps, for a
    first token's key, the span of the joined order whose keys start with it (two numbers;
    at most one per label word, and never for a key no label starts with), so a word met
    again costs a dictionary look-up."""

    source: SearchIndex
    read: dict[str, tuple[int, int]] = field(default_factory=dict)
    folds: dict[str, bool] = field(default_factory=dict)

    def may_fold(self, key: str) -> bool:
        """Whether some English label's plural-folded key starts with the word ``key``,
        folded or not (remembered, as ``read`` is, for as many words as labels have)."""
        found = self.folds.get(key)
        if found is None:
            written = spelt_as_words(key)
            plural = plural_key(written)
            found = self.source.plural_starts(plural) or self.source.plural_starts(written)
            if len(self.folds) < len(self.source.label_words.spans):
                self.folds[key] = found  # a race stores an equal value twice: harmless
        return found

    def starting(self, key: str) -> tuple[int, int]:
        """The span of ``source.joined_keys`` starting with ``key``."""
        found = self.read.get(key)
        if found is not None:
            return found
        found = self.source.joined_span(key)
        if found[0] < found[1] and len(self.read) < len(self.source.label_words.spans):
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
    found: list[Token] = []
    before = -1  # the end of the previous token when it is a word
    for start, end in _spans(text):
        is_word = _is_word(text[start])
        spaced = is_word and 0 <= before < start
        found.append(Token(start, end, fold(text[start:end]), spaced))
        before = end if is_word else -1
    return tuple(found)


def keys(text: str) -> tuple[str, ...]:
    """The folded keys of the tokens of ``text``."""
    if text.isascii():  # no marks or joiners to glue: the pieces are the tokens
        return tuple(_PIECE.findall(fold(text)))
    return tuple(fold(text[start:end]) for start, end in _spans(text))


def _candidate(source: SearchIndex, entry: int) -> Candidate:
    """The label of search entry ``entry`` as an annotation candidate."""
    rank = source.entry_concept[entry]
    label = source.entry_text[entry]
    return Candidate(
        source.ids[rank], label, LABEL_TYPES[source.entry_type[entry]], source.schemes[rank],
        answers(label.language, source.languages[rank]), bool(source.deprecated[rank]),
    )  # fmt: skip


def build_annotator(index: ConceptSource) -> Annotator:
    """The annotator of ``index``; run once per snapshot, reading nothing yet (the search
    index's joined order is all it needs)."""
    return Annotator(index.searcher)


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

    @property
    def english(self) -> bool:
        """Whether the text may be English, so English plurals are folded: ``lang`` is
        English, or absent (then only labels in their vocabulary's default language count,
        so English labels only where English is that language)."""
        return self.lang is None or is_english(self.lang)

    def keep(self, candidate: Candidate) -> bool:
        if candidate.deprecated and not self.deprecated:
            return False
        if self.scheme is not None and self.scheme not in candidate.schemes:
            return False
        if self.lang is None:
            return candidate.default
        return answers(candidate.label.language, self.lang)


@dataclass(frozen=True, slots=True)
class Run:
    """Tokens ``first..last`` of a text read as one joined key, with the places in it where
    a label must have a separator: ``spaces``, where the text has a space between two words;
    ``apostrophes``, where it has an apostrophe inside a word (the label's may be a letter
    either side: "citizen's" is "citizens'"), except before a last letter inside a label
    ("citizen's assembly" may be "citizens assembly"), so "d'une" is not "dune"."""

    last: int
    key: str
    spaces: frozenset[int]
    apostrophes: frozenset[int]

    def fits(self, label_key: str) -> bool:
        """Whether a label with this joined key and ``label_key`` may be spelt this way."""
        if not (self.spaces or self.apostrophes):
            return True
        at = joins(label_key)
        return self.spaces <= at and all(
            p in at or p - 1 in at or p + 1 in at for p in self.apostrophes
        )


def _runs(annotator: Annotator, found: tuple[Token, ...], position: int) -> list[Run]:
    """The runs from token ``position`` that spell some label's joined key, shortest first:
    the run grows a token at a time while some joined key starts with it. Separators
    (hyphens, apostrophes, quotes) add nothing, a run never ends on one, and at most
    ``_MOST_SEPARATORS`` follow each other (a text of dashes costs no more than words). A
    run never ends on the letter after an apostrophe: "user's" is the user, not "users"."""
    source = annotator.source
    key = joined(found[position].key)
    if not key:
        return []
    lo, hi = annotator.starting(key)
    runs: list[Run] = []
    spaces: set[int] = set()
    apostrophes: set[int] = set()
    skipped, possessive = 0, False
    for last in range(position, len(found)):
        token = found[last]
        if last > position:
            piece = without_separators(token.key)
            if not piece:
                skipped += 1
                if skipped > _MOST_SEPARATORS:
                    break
                possessive = token.key == "'" and _before_last_letter(found, last)
                if token.key == "'" and not possessive:
                    apostrophes.add(len(key))
                continue
            skipped = 0
            if token.spaced:
                spaces.add(len(key))
            key += piece
            lo, hi = source.joined_span(key, lo, hi)
            if lo == hi:
                break
        elif lo == hi:
            break
        if source.joined_keys[lo] == key and not possessive:
            runs.append(Run(last, key, frozenset(spaces), frozenset(apostrophes)))
        possessive = False
    return runs


def _before_last_letter(found: tuple[Token, ...], position: int) -> bool:
    """Whether token ``position`` (an apostrophe) is followed by a word of one letter
    ("'s", "'t"): the English possessive, and contractions like it."""
    following = found[position + 1] if position + 1 < len(found) else None
    return (
        following is not None
        and following.start == found[position].end
        and len(following.key) == 1
        and _is_word(following.key)
    )


def _match_at(
    annotator: Annotator, text: str, found: tuple[Token, ...], position: int, filters: Filters
) -> tuple[int, Candidate] | None:
    """The longest label starting at token ``position``: (its last token, candidate), an
    English label matched only once plurals are folded (``_plural_match``) when it spans
    more tokens than any other."""
    match = _joined_match(annotator, found, position, filters)
    if filters.english and annotator.source.plural_keys:
        folded = _plural_match(annotator, text, found, position, filters)
        if folded is not None and (match is None or folded[0] > match[0]):
            return folded
    return match


def _joined_match(
    annotator: Annotator, found: tuple[Token, ...], position: int, filters: Filters
) -> tuple[int, Candidate] | None:
    """The longest label spelt, separators aside, by the tokens from ``position``. Among
    labels spelt by the same tokens, one spelt exactly as the text comes first, then a
    preferred label before the others."""
    for run in reversed(_runs(annotator, found, position)):
        spelt = tuple(token.key for token in found[position : run.last + 1])
        best: tuple[tuple[bool, int, str], Candidate] | None = None
        for entry in annotator.source.joined_equal(run.key):
            candidate = _candidate(annotator.source, entry)
            key = annotator.source.entry_key[entry]
            if not filters.keep(candidate) or not run.fits(key):
                continue
            order = (keys(candidate.label.value) != spelt, _RANK[candidate.label_type],
                     candidate.concept)  # fmt: skip
            if best is None or order < best[0]:
                best = order, candidate
        if best is not None:
            return run.last, best[1]
    return None


def _plural_match(
    annotator: Annotator, text: str, found: tuple[Token, ...], position: int, filters: Filters
) -> tuple[int, Candidate] | None:
    """The longest English label whose plural-folded key (``plural_key``) is that of the
    tokens from ``position`` ("citizens assembly" for "citizens assemblies"): words stay
    words, so a space in the text is a space or hyphen in the label. The run grows while
    some label's folded key starts with it, folded or not (its last word may yet grow:
    "citizen" before "'s"); it starts and ends on a word, never on the letter after an
    apostrophe ("the user's view" is the user's, as in ``_runs``). A single word is folded
    only from a plural in the text to the label ("bonds" finds "Bond"), never from a
    singular to a plural label: in running text that singular is mostly another word
    ("economic" is not "Economics", "well" not "Wells", "single" not "Singles")."""
    source, start = annotator.source, found[position].start
    if not _is_word(text[start]) or not annotator.may_fold(found[position].key):
        return None
    best: tuple[int, Candidate] | None = None
    skipped = 0  # punctuation tokens in a row: at most ``_MOST_SEPARATORS``, as in ``_runs``
    for last in range(position, min(len(found), position + _MOST_PLURAL_TOKENS)):
        if not _is_word(text[found[last].start]):  # punctuation: judged with the next word
            skipped += 1
            if skipped > _MOST_SEPARATORS:
                break
            continue
        skipped = 0
        written = spelt_as_words(fold(text[start : found[last].end]))
        key = plural_key(written)
        if not (source.plural_starts(key) or source.plural_starts(written)):
            break
        if (last > position and found[last - 1].key == "'" and len(found[last].key) == 1) or (
            key == written and " " not in key
        ):
            continue
        chosen = min(
            (
                (_RANK[c.label_type], c.concept, c)
                for c in map(partial(_candidate, source), source.plural_equal(key))
                if filters.keep(c)
            ),
            default=None,
            key=lambda ranked: ranked[:2],
        )
        if chosen is not None:
            best = last, chosen[2]
    return best


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

    At each token the longest label wins ("community engagement" over "engagement"), then
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
        match = _match_at(annotator, text, found, position, filters)
        if match is None:
            position += 1
            continue
        last, candidate = match
        start, end = found[position].start, found[last].end
        occurrences.append(
            Occurrence(start, end, text[start:end], candidate.concept, candidate.label,
                       candidate.label_type)
        )  # fmt: skip
        position = last + 1
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
