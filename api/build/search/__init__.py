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

Modules: ``normalisation`` (matching keys and words), ``postings`` (sorted number lists),
``query`` (one query and how hits score), ``index`` (``SearchIndex``), the tiers
(``tiers`` for whole labels, ``substrings``, ``typos``, ``definitions``) and ``build``.
"""

from __future__ import annotations

from api.build.search.build import build_search
from api.build.search.index import SearchIndex
from api.build.search.normalisation import normalise, words

__all__ = ["SearchIndex", "build_search", "normalise", "words"]
