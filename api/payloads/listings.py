"""Concept lists as people browse them: withdrawn concepts (``owl:deprecated``) left out
unless asked for, in label order or by notation; made once per snapshot and kept with it.

Every surface that lists concepts for browsing (REST lists and top concepts, GraphQL
connections, the HTML home page, A-Z and scheme pages) reads its lists from here, so a
withdrawn concept is left out the same way everywhere. Lookups by id, IRI or label
(``/concepts/{id}``, ``/resolve``, ``/lookup``) still find it.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from starlette.requests import Request

from api.build.index import Index
from api.http import parameters
from api.runtime.lru import LRU
from api.runtime.serving import Serving

Sort = Literal["label", "notation"]
#: The orders a list can be asked for, the first the default.
SORTS: tuple[Sort, ...] = ("label", "notation")
#: The values of the ``deprecated`` query parameter, the first the default.
DEPRECATED: tuple[str, ...] = ("exclude", "include")

_RUNS = re.compile(r"(\d+)")


def notation_key(notation: str) -> tuple[tuple[int, int, int | str], ...]:
    """Natural order of notations, as Skosmos's natural sort (PHP's ``strnatcasecmp``): runs
    of digits compare as numbers ("1.2" < "1.9" < "1.10"), except runs with a leading zero,
    which compare digit by digit as fractions do and come first ("33.01" < "33.02" < "33.1");
    other text compares case-folded, and before it digits."""
    key: list[tuple[int, int, int | str]] = []
    for position, part in enumerate(_RUNS.split(notation)):
        if not part:
            continue
        if position % 2 == 0:
            key.append((1, 0, part.casefold()))
        elif part.startswith("0"):
            key.append((0, 0, part))
        else:
            key.append((0, 1, int(part)))
    return tuple(key)


@dataclass(frozen=True, slots=True)
class Listing:
    """Which concepts a list shows and in what order."""

    include_deprecated: bool = False
    sort: Sort | None = None  # None: the list's own order (by label; a collection's order)


class Browse:
    """The lists of one snapshot: each made on first use, then kept (there are at most a
    few per scheme and collection, so they are not evicted), and what surfaces make of them
    (:meth:`memo`: an A-Z per language). A runtime service: :meth:`start` makes the lists
    every page needs, and ``warm`` (the pages' A-Z in the default language), as a snapshot
    starts, so that the first request after a (re)load does not wait for them."""

    def __init__(self, index: Index, warm: Callable[[Browse], object] | None = None) -> None:
        self.index = index
        self._warm = warm
        self._lists: dict[Hashable, tuple[str, ...]] = {}
        self._lock = threading.Lock()
        self._memos: LRU[Hashable, object] = LRU(64)

    def start(self) -> None:
        """Make what the first pages need before the snapshot is served: about 0.2 s at
        35,000 concepts, so that the first home or A-Z page is as fast as the next."""
        self._prepare()

    def close(self) -> None:
        """Nothing to release: the lists go with the snapshot."""

    def _prepare(self) -> None:
        self.concepts(Listing())
        self.languages  # noqa: B018 - made now, kept
        # Made now, before ``--workers`` forks, so that the workers share it: made in each
        # worker on its first sorted list, it unshared ~50 MB of the inherited read model
        # there at 100,000 concepts (the dict takes a reference to every concept id).
        self.rank  # noqa: B018
        if self._warm is not None:
            self._warm(self)

    def memo(self, key: Hashable, make: Callable[[], object]) -> object:
        """What ``make`` makes of this snapshot's lists, made once per key (at most 64 kept)."""
        return self._memos.get_or_make(key, make)

    @cached_property
    def withdrawn(self) -> frozenset[str]:
        """Ids of the deprecated concepts (usually none: then nothing is ever filtered)."""
        return self.index.deprecated

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages of the preferred labels, most used first (untagged ones not counted)."""
        labels = self.index.pref_labels
        counts = Counter(t.language for c in self.index.concepts for t in labels(c) if t.language)
        return tuple(tag for tag, _ in counts.most_common())

    @cached_property
    def rank(self) -> dict[str, int]:
        """Each concept's position in the index's label order."""
        return {concept_id: rank for rank, concept_id in enumerate(self.index.concepts)}

    def concepts(
        self, listing: Listing, scheme: str | None = None, collection: str | None = None
    ) -> tuple[str, ...]:
        """The concept ids a list of all concepts (or a scheme's, or a collection's) shows."""
        ids = self.index.concept_ids(scheme=scheme, collection=collection)
        return self._made(("concepts", scheme, collection, listing), ids, listing)

    def top_concepts(self, scheme: str, listing: Listing = Listing()) -> tuple[str, ...]:
        """A scheme's top concepts that a list shows (known ones only)."""
        found = self.index.schemes.get(scheme)
        tops = tuple(t for t in found.top_concepts if t in self.index.concepts) if found else ()
        return self._made(("top", scheme, listing), tops, listing)

    def shown(self, ids: Sequence[str], listing: Listing = Listing()) -> tuple[str, ...]:
        """``ids`` (not kept: for short lists such as narrower concepts) as a list shows them."""
        return self._order(self._filter(tuple(ids), listing), listing)

    def _made(self, key: Hashable, ids: tuple[str, ...], listing: Listing) -> tuple[str, ...]:
        if listing.sort is None and (listing.include_deprecated or not self.withdrawn):
            return ids  # nothing to leave out and no order to change: no copy kept
        with self._lock:
            made = self._lists.get(key)
        if made is None:
            made = self.shown(ids, listing)
            with self._lock:
                self._lists[key] = made
        return made

    def _filter(self, ids: tuple[str, ...], listing: Listing) -> tuple[str, ...]:
        if listing.include_deprecated or not self.withdrawn:
            return ids
        return tuple(i for i in ids if i not in self.withdrawn)

    def _order(self, ids: tuple[str, ...], listing: Listing) -> tuple[str, ...]:
        if listing.sort == "label":
            rank = self.rank
            return tuple(sorted(ids, key=lambda i: rank.get(i, len(rank))))
        if listing.sort == "notation":
            concepts, rank = self.index.concepts, self.rank
            return tuple(sorted(ids, key=lambda i: _by_notation(concepts[i].notations, rank[i])))
        return ids


def _by_notation(notations: Sequence[str], rank: int) -> tuple[object, ...]:
    """Concepts with a notation first, by it; the rest after, in label order."""
    if not notations:
        return (1, (), rank)
    return (0, notation_key(notations[0]), rank)


def listing_of(request: Request, *, own_order: bool = False) -> Listing:
    """``?deprecated=exclude|include`` and ``?sort=label|notation``. Lists are in label order
    already; one with an order of its own (``own_order``: a collection's) keeps it unless
    ``sort`` is given."""
    include = parameters.choice(request, "deprecated", DEPRECATED, DEPRECATED[0]) == "include"
    sort = parameters.choice(request, "sort", SORTS, "")
    if sort == "notation":
        return Listing(include, "notation")
    return Listing(include, "label" if sort == "label" and own_order else None)


def browse(serving: Serving) -> Browse:
    """The snapshot's :class:`Browse`: its runtime service when the app registered one
    (``api.app``), else one made on first use and kept with the page caches."""
    try:
        return serving.service(Browse)
    except KeyError:  # a runtime without the service (some tests build their own)
        made = serving.caches.pages.get_or_make(("browse",), lambda: Browse(serving.index))
        assert isinstance(made, Browse)
        return made
