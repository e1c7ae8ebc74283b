"""The search index: exact label lookup, and ranked, typo-tolerant search for autocomplete.
``build_search`` builds it once from the concepts in their stable order (a concept's
*rank*); every label is an *entry*, numbered in ranking order (label type, label length,
concept rank), so every postings list is sorted best-first and a tier stops once it has
enough hits. The tiers, best first: exact notation, exact label (pref > alt > hidden),
exact label once query and label lose their separators (``joined``: "coproduction" and "co
production" are "co-production", "citizen's assembly" is "citizens' assembly"; 0.05 below
exact), an English label equal to an English or untagged query once both fold their
plurals (Harman's S-stemmer on each word: "citizens assembly" is "citizens assemblies";
0.1 below exact), prefix of a label, prefix without separators, all the query's words as whole words
of a label, substring of a label (at a word start, then anywhere), a label whose words
match once each unknown query word is corrected by one edit, all the query's words in a
definition; one hit per concept, its best. Deprecated concepts are left out of search
unless asked for, never out of lookup. A ``lang`` filter keeps the labels that answer it by
RFC 4647 (``api.languages.answers``: ``en`` for ``en-GB`` and the reverse, an untagged
label for any). Nothing scans every label: prefixes bisect a sorted list, words and typos
use postings, substrings scan only the distinct label words, joined keys bisect their own
sorted list. Modules, lowest first: ``normalisation`` (folding, keys, words and joined
keys), ``postings`` (sorted number lists), ``ranking`` (the query, scores and the tables
the tiers read), ``tiers`` and ``index`` (``SearchIndex`` and its build). May import
``api.model``, ``api.languages``, ``api.namespaces`` and other ``api.build`` modules; never
Starlette, ``api.runtime``, ``api.http`` or a surface.
"""

from __future__ import annotations

from api.build.search.index import SearchIndex, build_search
from api.build.search.normalisation import fold, normalise, words

__all__ = ["SearchIndex", "build_search", "fold", "normalise", "words"]
