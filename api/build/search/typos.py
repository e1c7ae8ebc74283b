"""The typo tier: labels whose words match the query's once each unknown query word is
corrected by one edit (deletion, transposition, substitution or insertion)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from api.build.search.postings import intersect, union
from api.build.search.query import Query

if TYPE_CHECKING:
    from api.build.search.index import SearchIndex

#: Typo tolerance applies to queries of at most this many words, to words at least this
#: long, and tries this many letters (the most frequent in labels) to substitute and insert.
_TYPO_WORDS, _TYPO_MIN, _ALPHABET = 4, 4, 40


def typo(index: SearchIndex, query: Query) -> None:
    """Labels whose words match the query's once each unknown word is corrected by one edit."""
    if not 0 < len(query.words) <= _TYPO_WORDS:
        return
    options = [_corrections(index, word) for word in query.words]
    if all(options) and any(
        len(o) > 1 or o[0] != w for o, w in zip(options, query.words, strict=True)
    ):
        postings = [union(index.label_words.get(word) for word in option) for option in options]
        index.take(query, intersect(sorted(postings, key=len)), "typo")


def _corrections(index: SearchIndex, word: str) -> tuple[str, ...]:
    """``word`` itself if it is a label word, else the label words one edit away."""
    spans = index.label_words.spans
    if word in spans:
        return (word,)
    if len(word) < _TYPO_MIN:
        return ()
    return tuple(sorted(c for c in edits(word, index.alphabet) if c in spans))


def edits(word: str, alphabet: str) -> set[str]:
    """Strings one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    found.update(a + c + b[1:] for a, b in splits if b for c in alphabet)
    found.update(a + c + b for a, b in splits for c in alphabet)
    found.discard(word)
    return found


def alphabet(label_words: Mapping[str, Sequence[int]]) -> str:
    """The most frequent characters of label words: the letters typo candidates are made of."""
    counts = Counter("".join(label_words))
    return "".join(sorted(char for char, _ in counts.most_common(_ALPHABET)))
