"""The tiers, best first: exact notation, exact label, exact label once query and label
lose their separators (``joined``: hyphens, spaces, apostrophes, quotes), an English label
once query and label fold their plurals (``plural_key``), prefix of a label,
prefix without separators, every query word a label word, substring of a label, a label once
each unknown query word is corrected by one edit, and every query word in a definition. Each
records its hits on the query and reads only the ``SearchData`` tables."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence

from api.build.search.normalisation import normalise, words
from api.build.search.postings import SCAN, intersect, prefix_span, union
from api.build.search.ranking import SCORES, Query, SearchData, in_language
from api.languages import pick
from api.model import LabelMatch, MatchKind, Text

#: The most label words a substring may match.
_SUBSTRING_WORDS = 300
#: What a hit costs when the query matches a label only once both lose their separators.
_JOINED_PENALTY = 0.05
#: What a hit costs when the query matches an English label only once both fold their
#: plurals (``plural_key``): below an exact or joined hit, above a prefix one.
_PLURAL_PENALTY = 0.1
#: Typo tolerance applies to queries of at most this many words, and to words at least
#: this long.
_TYPO_WORDS, _TYPO_MIN = 4, 4

# --- Notations and whole labels -------------------------------------------------------


def notation(index: SearchData, query: Query) -> None:
    """Concepts with a notation equal to the query (ignoring case and spacing): for a
    classification the notation is the main way in, so these rank first."""
    for rank in index.notations.get(query.key, ()):
        if rank not in query.seen and index.admitted(query, rank):
            query.seen[rank] = _by_concept(index, query, rank, "notation")


def exact(index: SearchData, query: Query) -> None:
    """Labels equal to the query (every one: ``lookup`` wants them all)."""
    start = bisect_left(index.sorted_keys, query.key)
    stop = bisect_right(index.sorted_keys, query.key, lo=start)
    for entry in sorted(index.sorted_entries[start:stop]):
        index.hit(query, entry, "exact")


def joined_exact(index: SearchData, query: Query) -> None:
    """Labels equal to the query once both lose their separators ("coproduction" and
    "co production" find "co-production"; "citizen's assembly" finds "citizens' assembly"),
    a little below an exact hit."""
    if query.joined:
        found = index.joined_equal(query.joined)
        index.take(query, sorted(found[:SCAN]), "exact", _JOINED_PENALTY)


def plural_exact(index: SearchData, query: Query) -> None:
    """English labels equal to an English (or untagged) query once both fold their plurals
    and possessives ("citizens assembly" and "citizen's assemblies" find "citizens
    assemblies"), below an exact or joined hit."""
    if query.plural:
        found = index.plural_equal(query.plural)
        index.take(query, sorted(found[:SCAN]), "exact", _PLURAL_PENALTY)


def prefix(index: SearchData, query: Query) -> None:
    """Labels starting with the query."""
    start, stop = prefix_span(index.sorted_keys, query.key, SCAN)
    index.take(query, index.sorted_entries[start:stop], "prefix")


def joined_prefix(index: SearchData, query: Query) -> None:
    """Labels starting with the query once both lose their separators ("coprod" finds
    "co-production"), a little below a prefix hit."""
    if query.joined:
        start, stop = index.joined_span(query.joined)
        index.take(
            query, index.joined_entries[start : min(stop, start + SCAN)], "prefix", _JOINED_PENALTY
        )


def word(index: SearchData, query: Query) -> None:
    """Labels with every query word as a whole word."""
    postings = sorted(map(index.label_words.get, query.words), key=len)
    if postings and postings[0]:
        index.take(query, intersect(postings), "word")


# --- Substrings -----------------------------------------------------------------------
# Candidates come from the distinct label words, never from every label: the words are
# sorted (for those starting with a fragment) and joined into one string (for those with
# a fragment inside them).


def substring(index: SearchData, query: Query) -> None:
    """Labels containing the query, at a word start before anywhere else. Candidates
    come from label words: for one query word, those starting with it and then those
    containing it; for two, see ``_pair``; for more, the rarest middle (whole) word."""
    if len(query.key) < 3 or not query.words:
        return
    first = query.words[0]
    if len(query.words) == 1:
        index.take(query, _containing(index, query, _starting(index, first)), "substring")
        index.take(query, _containing(index, query, _inside(index, first)), "substring", 0.05)
    elif len(query.words) == 2:
        pair = _pair(index, first, query.words[1])
        _substrings(index, query, _containing(index, query, pair))
    else:
        middle = min(query.words[1:-1], key=lambda word: len(index.label_words.get(word)))
        _substrings(index, query, _containing(index, query, [middle]))


def _substrings(index: SearchData, query: Query, entries: Iterable[int]) -> None:
    """Record substring hits, those at a word start scoring higher."""
    for entry in query.budget(entries):
        key = index.entry_key[entry]
        at = key.find(query.key)
        index.hit(query, entry, "substring", 0.0 if at == 0 or not key[at - 1].isalnum() else 0.05)


def _pair(index: SearchData, first: str, last: str) -> Sequence[str]:
    """The fewer-postings choice of: label words starting with ``last``, or ending with
    ``first`` (a two-word substring starts inside one word and ends inside the next)."""
    starting = _starting(index, last)
    if index.label_words.size(starting) <= SCAN:
        return starting
    ending = _inside(index, first + "\n")
    return min(starting, ending, key=index.label_words.size)


def _starting(index: SearchData, prefix: str) -> Sequence[str]:
    """Label words starting with ``prefix``."""
    start, stop = prefix_span(index.sorted_words, prefix, _SUBSTRING_WORDS)
    return index.sorted_words[start:stop]


def _inside(index: SearchData, fragment: str) -> list[str]:
    """Label words with ``fragment`` inside them, not at their start (a fragment ending
    in a newline finds the words it ends)."""
    found: list[str] = []
    starts, joined = index.word_offsets, index.joined_words
    position = joined.find(fragment)
    while position >= 0 and len(found) < _SUBSTRING_WORDS:
        number = bisect_right(starts, position) - 1
        if position > starts[number] or fragment.endswith("\n"):
            found.append(index.sorted_words[number])
        position = joined.find(fragment, starts[number + 1])
    return found


def _containing(index: SearchData, query: Query, label_words: Sequence[str]) -> Iterator[int]:
    """Entries with one of ``label_words`` whose key contains the whole query, in order.
    Only the first words' postings, up to a budget, are read: a query that vague gets
    some substring hits, not all."""
    postings, budget = [], SCAN * 3
    for word in label_words:
        postings.append(index.label_words.get(word))
        budget -= len(postings[-1])
        if budget < 0:
            break
    return (e for e in union(postings) if query.key in index.entry_key[e])


# --- Typos ----------------------------------------------------------------------------


def typo(index: SearchData, query: Query) -> None:
    """Labels whose words match the query's once each unknown word is corrected by one edit
    (deletion, transposition, substitution or insertion)."""
    if not 0 < len(query.words) <= _TYPO_WORDS:
        return
    options = [_corrections(index, word) for word in query.words]
    if all(options) and any(
        len(o) > 1 or o[0] != w for o, w in zip(options, query.words, strict=True)
    ):
        postings = [union(index.label_words.get(word) for word in option) for option in options]
        index.take(query, intersect(sorted(postings, key=len)), "typo")


def _corrections(index: SearchData, word: str) -> tuple[str, ...]:
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


# --- Definitions ----------------------------------------------------------------------


def definition(index: SearchData, query: Query) -> None:
    """Concepts whose definition contains every query word (stopwords aside)."""
    wanted = [w for w in query.words if w not in index.stopwords]
    postings = sorted((index.definition_words.get(w) for w in wanted), key=len)
    if not postings or not postings[0]:
        return
    for rank in query.budget(intersect(postings)):
        _definition_hit(index, query, rank, wanted)


def _definition_hit(index: SearchData, query: Query, rank: int, wanted: list[str]) -> None:
    if rank in query.seen or not index.admitted(query, rank):
        return
    concept = index.concepts[rank]
    if query.lang and not any(_defines(text, query.lang, wanted) for text in concept.definitions):
        return
    query.seen[rank] = _by_concept(index, query, rank, "definition")


def _by_concept(index: SearchData, query: Query, rank: int, kind: MatchKind) -> LabelMatch:
    """A hit on a concept's ``kind`` (not on a label), shown with its preferred label."""
    concept = index.concepts[rank]
    label = pick(concept.pref_labels, (query.lang,) if query.lang else (), index.languages[rank])
    return LabelMatch(
        concept=concept.id,
        label=label or Text(concept.id),
        label_type="prefLabel",
        field=kind,
        score=SCORES[kind],
        match=kind,
    )


def _defines(text: Text, lang: str, wanted: list[str]) -> bool:
    """Whether ``text`` is in language ``lang`` and has all the ``wanted`` words."""
    return in_language(text.language, lang) and set(wanted) <= set(words(normalise(text.value)))
