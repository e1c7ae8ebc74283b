"""The search index: exact label lookup, and ranked, typo-tolerant search for autocomplete.

Built once by ``build_search`` from the concepts in their stable order (a concept's *rank*).
Every label is an *entry*, numbered in ranking order (label type, label length, concept
rank), so every postings list is sorted best-first and a tier stops once it has enough hits.

Tiers, best first: exact label (pref > alt > hidden), prefix of a label, all the query's
words as whole words of a label, substring of a label (at a word start, then anywhere), a
label whose words match once each unknown query word is corrected by one edit, all the
query's words in a definition. One hit per concept, its best. Nothing scans every label:
prefixes bisect a sorted list, words and typos use postings, substrings scan only the
distinct label words.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from .languages import InvalidLanguageTag, normalise_tag, pick
from .model import Concept, LabelMatch, LabelType, MatchKind, Text

LABEL_TYPES: tuple[LabelType, ...] = ("prefLabel", "altLabel", "hiddenLabel")
_WORD = re.compile(r"\w+")
#: A ``str.translate`` table turning every ASCII character that ``\w`` does not match
#: into a space (a string: immutable, indexed by code point).
_ASCII_SEPARATORS = "".join(c if c.isalnum() or c == "_" else " " for c in map(chr, range(128)))
#: The most candidate entries a tier examines, bounding the latency of a query whose
#: filters reject most candidates; and the most label words a substring may match.
_SCAN, _SUBSTRING_WORDS = 1000, 300
#: Typo tolerance applies to queries of at most this many words, to words at least this
#: long, and tries this many letters (the most frequent in labels) to substitute and insert.
_TYPO_WORDS, _TYPO_MIN, _ALPHABET = 4, 4, 40
#: In vocabularies of at least this many concepts, definition words found in more than
#: this share of definitions are not indexed (they would match nearly everything).
_STOPWORD_MIN, _STOPWORD_SHARE = 1000, 0.2
_SCORES: Mapping[MatchKind, float] = MappingProxyType(
    {"exact": 1.0, "prefix": 0.8, "word": 0.6, "substring": 0.4, "typo": 0.3, "definition": 0.1}
)


def normalise(text: str) -> str:
    """The matching key of a text: case-folded, accents stripped (NFKD), whitespace collapsed."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(folded.split())


def words(key: str) -> list[str]:
    """The words (``\\w+``) of a normalised text; ASCII text takes a faster route."""
    return key.translate(_ASCII_SEPARATORS).split() if key.isascii() else _WORD.findall(key)


def _frozen(items: Iterable[int]) -> memoryview:
    """An immutable, compact sequence of unsigned 32-bit ints."""
    return memoryview(array("I", items).tobytes()).cast("I")


@dataclass(frozen=True, slots=True, eq=False)
class Postings:
    """Word -> ascending item numbers, packed into one read-only buffer."""

    items: memoryview
    spans: Mapping[str, int]

    @classmethod
    def pack(cls, postings: Mapping[str, Sequence[int]]) -> Postings:
        flat, spans = array("I"), {}
        for word, items in postings.items():
            spans[word] = len(flat) << 32 | len(items)
            flat.extend(items)
        return cls(_frozen(flat), MappingProxyType(spans))

    def get(self, word: str) -> Sequence[int]:
        span = self.spans.get(word)
        if span is None:
            return ()
        start = span >> 32
        return self.items[start : start + (span & 0xFFFFFFFF)]


@dataclass(frozen=True, slots=True)
class _Query:
    """A parsed query with its filters and the hits found so far (local to one call)."""

    key: str
    words: tuple[str, ...]
    lang: str | None
    scheme: str | None
    limit: int
    seen: dict[int, LabelMatch]

    @property
    def full(self) -> bool:
        return len(self.seen) >= self.limit


@dataclass(frozen=True, slots=True, eq=False)
class SearchIndex:
    """Label and definition indexes over concepts in rank order; see the module docstring."""

    concepts: tuple[Concept, ...]
    languages: tuple[str, ...]
    entry_concept: Sequence[int]
    entry_type: bytes
    entry_text: tuple[Text, ...]
    entry_key: tuple[str, ...]
    sorted_keys: tuple[str, ...]
    sorted_entries: Sequence[int]
    label_words: Postings
    sorted_words: tuple[str, ...]
    joined_words: str
    word_offsets: Sequence[int]
    definition_words: Postings
    stopwords: frozenset[str]
    alphabet: str

    def lookup(
        self, label: str, lang: str | None = None, scheme: str | None = None
    ) -> tuple[LabelMatch, ...]:
        """Concepts with a label equal to ``label`` ignoring case, accents and spacing;
        prefLabel matches before altLabel before hiddenLabel."""
        query = self._query(label, lang, scheme, len(self.concepts) or 1)
        self._exact(query)
        return _ranked(query)

    def search(
        self, text: str, lang: str | None = None, scheme: str | None = None, limit: int = 20
    ) -> tuple[LabelMatch, ...]:
        """Up to ``limit`` concepts matching ``text``, best first, one hit per concept."""
        query = self._query(text, lang, scheme, limit)
        tiers = (self._exact, self._prefix, self._word, self._substring, self._typo)
        for tier in (*tiers, self._definition) if query.key and limit > 0 else ():
            tier(query)
            if query.full:
                break
        return _ranked(query)

    def _query(self, text: str, lang: str | None, scheme: str | None, limit: int) -> _Query:
        key = normalise(text)
        return _Query(key, tuple(words(key)), _tag(lang), scheme, limit, {})

    def _passes(self, query: _Query, entry: int) -> bool:
        """Whether ``entry`` passes the query's scheme and language filters."""
        schemes = self.concepts[self.entry_concept[entry]].schemes
        if query.scheme is not None and query.scheme not in schemes:
            return False
        return query.lang is None or _in_language(self.entry_text[entry].language, query.lang)

    def _hit(self, query: _Query, entry: int, kind: MatchKind, penalty: float = 0.0) -> None:
        """Record ``entry`` as its concept's hit unless the concept has a better one already
        (from an earlier tier, or a better label type in this one) or the filters reject it."""
        rank, label_type = self.entry_concept[entry], self.entry_type[entry]
        score = round(_SCORES[kind] - 0.02 * label_type - penalty, 3)
        previous = query.seen.get(rank)
        if (previous is None or previous.score < score) and self._passes(query, entry):
            query.seen[rank] = LabelMatch(
                concept=self.concepts[rank].id,
                label=self.entry_text[entry],
                label_type=LABEL_TYPES[label_type],
                field=LABEL_TYPES[label_type],
                score=score,
                match=kind,
            )

    def _take(
        self, query: _Query, entries: Iterable[int], kind: MatchKind, penalty: float = 0.0
    ) -> None:
        """Record hits from ``entries`` until the query is full or the scan budget is spent."""
        for entry in islice(entries, _SCAN):
            if query.full:
                return
            self._hit(query, entry, kind, penalty)

    def _exact(self, query: _Query) -> None:
        start = bisect_left(self.sorted_keys, query.key)
        stop = bisect_right(self.sorted_keys, query.key, lo=start)
        for entry in sorted(self.sorted_entries[start:stop]):
            self._hit(query, entry, "exact")

    def _prefix(self, query: _Query) -> None:
        start = bisect_left(self.sorted_keys, query.key)
        stop = bisect_left(self.sorted_keys, query.key + "\U0010ffff", lo=start)
        self._take(query, self.sorted_entries[start : min(stop, start + _SCAN)], "prefix")

    def _word(self, query: _Query) -> None:
        postings = sorted((self.label_words.get(word) for word in query.words), key=len)
        if postings and postings[0]:
            self._take(query, _intersect(postings), "word")

    def _substring(self, query: _Query) -> None:
        """Labels containing the query, at a word start before anywhere else. Candidates
        come from label words: for one query word, those starting with it and then those
        containing it; for two, see ``_pair``; for more, the rarest middle (whole) word."""
        if len(query.key) < 3 or not query.words:
            return
        first = query.words[0]
        if len(query.words) == 1:
            self._take(query, self._containing(query, self._starting(first)), "substring")
            self._take(query, self._containing(query, self._inside(first)), "substring", 0.05)
        elif len(query.words) == 2:
            self._substrings(query, self._containing(query, self._pair(first, query.words[1])))
        else:
            middle = min(query.words[1:-1], key=lambda word: len(self.label_words.get(word)))
            self._substrings(query, self._containing(query, [middle]))

    def _substrings(self, query: _Query, entries: Iterable[int]) -> None:
        """Record substring hits, those at a word start scoring higher."""
        for entry in islice(entries, _SCAN):
            if query.full:
                return
            key = self.entry_key[entry]
            at = key.find(query.key)
            self._hit(
                query, entry, "substring", 0.0 if at == 0 or not key[at - 1].isalnum() else 0.05
            )

    def _pair(self, first: str, last: str) -> Sequence[str]:
        """The fewer-postings choice of: label words starting with ``last``, or ending with
        ``first`` (a two-word substring starts inside one word and ends inside the next)."""
        starting = self._starting(last)
        if self._size(starting) <= _SCAN:
            return starting
        ending = self._inside(first + "\n")
        return min(starting, ending, key=self._size)

    def _size(self, label_words: Sequence[str]) -> int:
        return sum(self.label_words.spans[word] & 0xFFFFFFFF for word in label_words)

    def _starting(self, prefix: str) -> Sequence[str]:
        """Label words starting with ``prefix``."""
        start = bisect_left(self.sorted_words, prefix)
        stop = bisect_left(self.sorted_words, prefix + "\U0010ffff", lo=start)
        return self.sorted_words[start : min(stop, start + _SUBSTRING_WORDS)]

    def _inside(self, fragment: str) -> list[str]:
        """Label words with ``fragment`` inside them, not at their start (a fragment ending
        in a newline finds the words it ends)."""
        found: list[str] = []
        position = self.joined_words.find(fragment)
        while position >= 0 and len(found) < _SUBSTRING_WORDS:
            index = bisect_right(self.word_offsets, position) - 1
            if position > self.word_offsets[index] or fragment.endswith("\n"):
                found.append(self.sorted_words[index])
            position = self.joined_words.find(fragment, self.word_offsets[index + 1])
        return found

    def _containing(self, query: _Query, label_words: Sequence[str]) -> Iterator[int]:
        """Entries with one of ``label_words`` whose key contains the whole query, in order.
        Only the first words' postings, up to a budget, are read: a query that vague gets
        some substring hits, not all."""
        postings, budget = [], _SCAN * 3
        for word in label_words:
            postings.append(self.label_words.get(word))
            budget -= len(postings[-1])
            if budget < 0:
                break
        return (e for e in sorted(set().union(*postings)) if query.key in self.entry_key[e])

    def _typo(self, query: _Query) -> None:
        """Labels whose words match the query's once each unknown word is corrected by one edit."""
        if not 0 < len(query.words) <= _TYPO_WORDS:
            return
        options = [self._corrections(word) for word in query.words]
        if all(options) and any(
            len(o) > 1 or o[0] != w for o, w in zip(options, query.words, strict=True)
        ):
            postings = [_union(self.label_words.get(word) for word in option) for option in options]
            self._take(query, _intersect(sorted(postings, key=len)), "typo")

    def _corrections(self, word: str) -> tuple[str, ...]:
        """``word`` itself if it is a label word, else the label words one edit away."""
        if word in self.label_words.spans:
            return (word,)
        if len(word) < _TYPO_MIN:
            return ()
        spans = self.label_words.spans
        return tuple(sorted(c for c in _edits(word, self.alphabet) if c in spans))

    def _definition(self, query: _Query) -> None:
        """Concepts whose definition contains every query word (stopwords aside)."""
        wanted = [w for w in query.words if w not in self.stopwords]
        postings = sorted((self.definition_words.get(w) for w in wanted), key=len)
        if not postings or not postings[0]:
            return
        for rank in islice(_intersect(postings), _SCAN):
            if query.full:
                return
            self._definition_hit(query, rank, wanted)

    def _definition_hit(self, query: _Query, rank: int, wanted: list[str]) -> None:
        concept = self.concepts[rank]
        if rank in query.seen or (query.scheme and query.scheme not in concept.schemes):
            return
        if query.lang and not any(
            _defines(text, query.lang, wanted) for text in concept.definitions
        ):
            return
        label = pick(concept.pref_labels, (query.lang,) if query.lang else (), self.languages[rank])
        query.seen[rank] = LabelMatch(
            concept=concept.id,
            label=label or Text(concept.id),
            label_type="prefLabel",
            field="definition",
            score=_SCORES["definition"],
            match="definition",
        )


def _ranked(query: _Query) -> tuple[LabelMatch, ...]:
    """The hits best first (a stable sort, so ties keep the tier's own order)."""
    return tuple(sorted(query.seen.values(), key=lambda match: -match.score)[: query.limit])


def _defines(text: Text, lang: str, wanted: list[str]) -> bool:
    """Whether ``text`` is in language ``lang`` and has all the ``wanted`` words."""
    return _in_language(text.language, lang) and set(wanted) <= set(words(normalise(text.value)))


def _tag(lang: str | None) -> str | None:
    """``lang`` in canonical case when it is a well-formed tag (else as given, matching nothing)."""
    if lang is None:
        return None
    try:
        return normalise_tag(lang)
    except InvalidLanguageTag:
        return lang


def _in_language(language: str | None, wanted: str) -> bool:
    """Whether a text tagged ``language`` is in ``wanted`` (``en`` covers ``en-GB``)."""
    return language is not None and (language == wanted or language.startswith(wanted + "-"))


def _intersect(postings: Sequence[Sequence[int]]) -> Iterator[int]:
    """Items of the first (shortest) sorted sequence found in all the others, in order:
    by bisection for the first items (a query often needs only those), then by set
    intersection (C speed) for the rest of a long first sequence."""
    first, *others = postings
    for item in first[:_SCAN]:
        if all(_contains(other, item) for other in others):
            yield item
    if len(first) > _SCAN:
        yield from sorted(set(first[_SCAN:]).intersection(*others))


def _contains(items: Sequence[int], item: int) -> bool:
    index = bisect_left(items, item)
    return index < len(items) and items[index] == item


def _union(postings: Iterable[Sequence[int]]) -> list[int]:
    return sorted(set().union(*postings))


def _edits(word: str, alphabet: str) -> set[str]:
    """Strings one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    edits.update(a + c + b[1:] for a, b in splits if b for c in alphabet)
    edits.update(a + c + b for a, b in splits for c in alphabet)
    edits.discard(word)
    return edits


def build_search(concepts: Sequence[Concept], languages: Sequence[str]) -> SearchIndex:
    """The search index of ``concepts`` (in rank order) with their default languages."""
    labels = sorted(_labels(concepts), key=itemgetter(0, 1, 2))
    columns: list[tuple[Any, ...]] = list(zip(*labels, strict=True)) or [()] * 5
    entry_key: tuple[str, ...] = columns[3]
    ordered = sorted(range(len(labels)), key=entry_key.__getitem__)
    label_words = _postings(enumerate(map(words, entry_key)))
    sorted_words = tuple(sorted(label_words))
    definition_words = _postings(_definition_words(concepts))
    stopwords = _stopwords(definition_words, len(concepts))
    return SearchIndex(
        concepts=tuple(concepts),
        languages=tuple(languages),
        entry_concept=_frozen(columns[2]),
        entry_type=bytes(columns[0]),
        entry_text=columns[4],
        entry_key=entry_key,
        sorted_keys=tuple(entry_key[entry] for entry in ordered),
        sorted_entries=_frozen(ordered),
        label_words=Postings.pack(label_words),
        sorted_words=sorted_words,
        joined_words="\n".join(sorted_words) + "\n",
        word_offsets=_frozen(_offsets(sorted_words)),
        definition_words=Postings.pack(
            {w: p for w, p in definition_words.items() if w not in stopwords}
        ),
        stopwords=stopwords,
        alphabet=_alphabet(label_words),
    )


def _labels(concepts: Sequence[Concept]) -> Iterator[tuple[int, int, int, str, Text]]:
    """(label type, key length, concept rank, key, text) for every label; a concept's
    labels with the same key and language count once."""
    for rank, concept in enumerate(concepts):
        if not (concept.alt_labels or concept.hidden_labels or len(concept.pref_labels) > 1):
            for text in concept.pref_labels:
                key = _key(text.value)
                yield 0, len(key), rank, key, text
            continue
        done: set[tuple[str, str | None]] = set()
        for kind, texts in enumerate(
            (concept.pref_labels, concept.alt_labels, concept.hidden_labels)
        ):
            for text in texts:
                key = _key(text.value)
                if key and (key, text.language) not in done:
                    done.add((key, text.language))
                    yield kind, len(key), rank, key, text


def _key(label: str) -> str:
    """``normalise(label)``, sharing the label's string when they are equal (saves memory)."""
    key = normalise(label)
    return label if key == label else key


def _offsets(keys: Sequence[str]) -> list[int]:
    """Start of each key in ``"\\n".join(keys)``, plus one past the end."""
    offsets = [0]
    for key in keys:
        offsets.append(offsets[-1] + len(key) + 1)
    return offsets


def _postings(items: Iterable[tuple[int, list[str]]]) -> dict[str, list[int]]:
    """Word -> ascending numbers of the items containing it."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number, item_words in items:
        for word in set(item_words):
            postings[word].append(number)
    return postings


def _definition_words(concepts: Sequence[Concept]) -> Iterator[tuple[int, list[str]]]:
    for rank, concept in enumerate(concepts):
        if len(concept.definitions) == 1:
            yield rank, words(_fold(concept.definitions[0].value))
        elif concept.definitions:
            yield rank, words(_fold(" ".join(text.value for text in concept.definitions)))


def _fold(text: str) -> str:
    """``normalise`` without collapsing whitespace, which tokenising makes moot."""
    folded = text.casefold()
    return folded if folded.isascii() else normalise(folded)


def _stopwords(postings: Mapping[str, Sequence[int]], count: int) -> frozenset[str]:
    if count < _STOPWORD_MIN:
        return frozenset()
    return frozenset(w for w, items in postings.items() if len(items) > _STOPWORD_SHARE * count)


def _alphabet(label_words: Mapping[str, Sequence[int]]) -> str:
    """The most frequent characters of label words: the letters typo candidates are made of."""
    counts = Counter("".join(label_words))
    return "".join(sorted(char for char, _ in counts.most_common(_ALPHABET)))
