"""Skosmos's search patterns over the service's search index: ``query`` is matched against
whole labels, case-insensitively, ``*`` standing for any characters; without ``*`` it is an
exact label (the REST API adds no wildcard itself; clients send ``term*`` to autocomplete).

The index is asked for the pattern's most telling piece (its start, or its longest piece
when it starts with ``*``) and its hits are kept when their label fits the whole pattern:
the index's prefix, word and substring tiers find every concept with a label a pattern can
fit, in their order (best first), so nothing scans the vocabulary; a hit whose label does
not fit stands for the concept's label that does, if any. A piece inside a label (after a
leading ``*``) is found from three characters on, as the index finds substrings.
Labels are compared folded as the index folds them (case and accents), so ``*Cafe*`` also
finds "café". Hits come in the index's order (exact, prefix, word, substring), not
Skosmos's alphabetical one: stable under ``offset``, and the order autocomplete wants.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from api.build.index import Index
from api.build.search import fold, normalise
from api.languages import answers
from api.model import Concept, LabelMatch, LabelType, Text

LABEL_TYPES: tuple[LabelType, ...] = ("prefLabel", "altLabel", "hiddenLabel")
_FIELDS = {"prefLabel": "pref_labels", "altLabel": "alt_labels", "hiddenLabel": "hidden_labels"}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed ``query``: its pieces between ``*``s, folded as labels are, and the text to
    ask the index for; ``exact`` when it has no wildcard."""

    pieces: tuple[str, ...]
    probe: str

    @classmethod
    def parse(cls, query: str) -> Pattern | None:
        """The pattern of ``query``, trimmed and NFC-normalised; ``None`` when it is empty
        or only ``*`` (which matches nothing, as in Skosmos)."""
        term = unicodedata.normalize("NFC", query.strip())
        pieces = tuple(_SPACES.sub(" ", fold(piece)) for piece in term.split("*"))
        if not any(piece.strip() for piece in pieces):
            return None
        probe = pieces[0] if pieces[0].strip() else max(pieces, key=lambda p: len(p.strip()))
        return cls(pieces, normalise(probe))

    @property
    def exact(self) -> bool:
        return len(self.pieces) == 1

    def fits(self, text: str) -> bool:
        """Whether the whole of ``text`` (folded) fits: the first piece starts it, the last
        ends it, the others come between in order. Leftmost matching of each piece is
        enough, as ``*`` is the only wildcard (no regular expression is compiled)."""
        key = normalise(text)
        first, last = self.pieces[0], self.pieces[-1]
        if self.exact:
            return key == first
        end = len(key) - len(last)
        if end < len(first) or not key.startswith(first) or not key.endswith(last):
            return False
        at = len(first)
        for piece in self.pieces[1:-1]:
            found = key.find(piece, at, end)
            if found < 0:
                return False
            at = found + len(piece)
        return True


Keep = Callable[[Concept], bool]


def find(
    index: Index,
    pattern: Pattern,
    lang: str | None,
    scheme: str | None,
    keep: Keep,
    wanted: int,
    ceiling: int,
) -> list[LabelMatch]:
    """Up to ``wanted`` hits, one per concept, whose label fits ``pattern`` and whose
    concept ``keep`` admits. The index is asked for ``wanted`` hits, then four times as many
    while filtering leaves too few, up to ``ceiling``: the cost stays bounded whatever the
    pattern, at the price of missing fits ranked below ``ceiling`` hits."""
    if pattern.exact:
        found = index.lookup(pattern.probe, lang, scheme)
        return _kept(index, found, pattern, lang, keep)[:wanted]
    limit = min(max(wanted, 1), ceiling)
    while True:
        found = index.search(pattern.probe, lang, scheme, limit)
        kept = _kept(index, found, pattern, lang, keep)
        if len(kept) >= wanted or len(found) < limit or limit >= ceiling:
            return kept[:wanted]
        limit = min(limit * 4, ceiling)


def _kept(
    index: Index, found: tuple[LabelMatch, ...], pattern: Pattern, lang: str | None, keep: Keep
) -> list[LabelMatch]:
    kept = []
    for match in found:
        concept = index.concepts[match.concept]
        if keep(concept):
            fitting = _fitting(concept, match, pattern, lang)
            if fitting is not None:
                kept.append(fitting)
    return kept


def _fitting(
    concept: Concept, match: LabelMatch, pattern: Pattern, lang: str | None
) -> LabelMatch | None:
    """``match`` if its label fits ``pattern``, else the hit for another label of the same
    concept that does (the index keeps each concept's best label for the query, which need
    not fit: ``co-planning`` is found for ``co*tion`` by its preferred label, and fits by
    an alternative one); ``None`` when no label of ``lang`` fits."""
    if pattern.fits(match.label.value):
        return match
    for label_type in LABEL_TYPES:
        for text in getattr(concept, _FIELDS[label_type]):
            if (lang is None or answers(text.language, lang)) and pattern.fits(text.value):
                return replace(match, label=text, label_type=label_type, field=label_type)
    return None


def listed(index: Index, ids: tuple[str, ...], keep: Keep) -> list[LabelMatch]:
    """Hits for concepts listed without a query (``parent`` or ``group`` alone): each by
    its preferred label in its vocabulary's default language."""
    hits = []
    for concept_id in ids:
        concept = index.concepts.get(concept_id)
        if concept is not None and keep(concept):
            text = index.label(concept_id)
            hits.append(_hit(concept_id, text))
    return hits


def _hit(concept_id: str, text: Text) -> LabelMatch:
    return LabelMatch(
        concept=concept_id, label=text, label_type="prefLabel", field="prefLabel", score=1.0
    )
