"""Concept records packed into one buffer, read back on use: the read model's bulk kept out
of the objects that forked workers would copy.

``--workers N`` forks processes that share the read model's pages until they write them,
and in CPython reading an object writes its reference count. With every concept a tree of
about fifteen objects spread over as many pages, a worker that had read every concept once
had copied nearly all of them: at 100,000 concepts the tree of 4 workers held 1,471 MB
against 472 MB for one process (3.1 times, ``benchmarks.scaling``). Packed, a concept is a
pickle in one ``bytes`` buffer that no read writes; reading it makes new objects in the
reading process, and a few thousand of those are kept (``MEMO``) for the concepts asked for
again (a parent read by each of its children, a busy concept). What stays as objects is
what is read in bulk and must not be decoded for it: each concept's preferred labels (for
lists, neighbours and the A-Z), its id and IRI.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import pickle
from array import array
from collections.abc import Iterator, Mapping, Sequence, ValuesView
from typing import Any, overload

from api.model import Concept, Text

#: Decoded concepts each process keeps (a few MB), first in first out.
MEMO = 1024


def positional_fields(cls: type) -> tuple[str, ...] | None:
    """The fields ``cls(*values)`` takes, if calling it rebuilds an equal object: a slotted
    dataclass whose fields are all positional ``__init__`` arguments, with no
    ``__post_init__``; else ``None`` (pickled the usual way)."""
    if not (dataclasses.is_dataclass(cls) and "__slots__" in vars(cls)):
        return None
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or any(not f.init or f.kw_only for f in fields):
        return None
    return tuple(f.name for f in fields)


class RecordPickler(pickle.Pickler):
    """Pickles frozen slotted dataclasses as a call of their class with their fields, which
    unpickles in a third of the time of dataclasses' own ``__setstate__``."""

    def __init__(self, file: Any, protocol: int = pickle.HIGHEST_PROTOCOL) -> None:
        super().__init__(file, protocol)
        self._fields: dict[type, tuple[str, ...] | None] = {}

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        try:
            names = self._fields[cls]
        except KeyError:
            names = self._fields[cls] = positional_fields(cls)
        if names is None:
            return NotImplemented
        return cls, tuple([getattr(obj, name) for name in names])


class PackedConcepts(Mapping[str, Concept]):
    """The concepts by id, iterating in the index's order; each one decoded when read.

    Stored by rank (the search's label order): ``at(rank)`` is the concept of a rank,
    ``rank(id)`` the rank of an id, ``labels(rank)`` its preferred labels without decoding
    it. Immutable: the memo of decoded concepts is the only state, and it is per process."""

    __slots__ = ("_blob", "_ends", "_labels", "_memo", "_ranks")

    def __init__(
        self,
        ranks: dict[str, int],
        ends: array[int],
        blob: bytes,
        labels: tuple[tuple[Text, ...], ...],
    ) -> None:
        self._ranks = ranks  # id -> rank, in the index's order
        self._ends = ends  # where each rank's pickle ends in ``blob``
        self._blob = blob
        self._labels = labels  # preferred labels by rank
        self._memo: dict[int, Concept] = {}

    @classmethod
    def pack(cls, ranked: Sequence[Concept], order: Sequence[Concept]) -> PackedConcepts:
        """``ranked`` (in rank order) packed, iterating in ``order`` (the same concepts)."""
        buffer = io.BytesIO()
        pickler = RecordPickler(buffer)
        ends = array("Q")
        for concept in ranked:
            pickler.clear_memo()  # each pickle whole on its own
            pickler.dump(concept)
            ends.append(buffer.tell())
        position = {concept.id: rank for rank, concept in enumerate(ranked)}
        ranks = {concept.id: position[concept.id] for concept in order}
        return cls(ranks, ends, buffer.getvalue(), tuple(c.pref_labels for c in ranked))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self._ranks, self._ends, self._blob, self._labels)

    # Compared and hashed by identity, as the index that holds it: a mapping's equality
    # would decode every concept of both.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __getitem__(self, id: str) -> Concept:
        return self.at(self._ranks[id])

    def get(self, id: str, default: Any = None) -> Any:
        rank = self._ranks.get(id)
        return default if rank is None else self.at(rank)

    def __contains__(self, id: object) -> bool:
        return id in self._ranks

    def __iter__(self) -> Iterator[str]:
        return iter(self._ranks)

    def __len__(self) -> int:
        return len(self._ranks)

    def rank(self, id: str) -> int | None:
        """The rank of concept ``id``, or ``None``."""
        return self._ranks.get(id)

    def labels(self, rank: int) -> tuple[Text, ...]:
        """The preferred labels of the concept of ``rank``, without decoding it."""
        return self._labels[rank]

    def at(self, rank: int) -> Concept:
        """The concept of ``rank``, decoded (or remembered from an earlier read)."""
        found = self._memo.get(rank)
        if found is None:
            found = self._decode(rank)
            memo = self._memo
            if len(memo) >= MEMO:
                # First in, first out; another thread may have emptied it meanwhile.
                with contextlib.suppress(KeyError, StopIteration, RuntimeError):
                    del memo[next(iter(memo))]
            memo[rank] = found
        return found

    def _decode(self, rank: int) -> Concept:
        start = self._ends[rank - 1] if rank else 0
        concept: Concept = pickle.loads(self._blob[start : self._ends[rank]])
        return concept

    @property
    def by_rank(self) -> RankedConcepts:
        """The concepts as a sequence in rank order."""
        return RankedConcepts(self)

    def values(self) -> ValuesView[Concept]:
        """Every concept in the index's order, decoded without filling the memo: for the
        few reads of every concept (checks, exports), which would only flush it."""
        return _Scan(self)

    def scan(self) -> Iterator[Concept]:
        for rank in self._ranks.values():
            yield self._decode(rank)


class _Scan(ValuesView[Concept]):
    """:meth:`PackedConcepts.values`."""

    _mapping: PackedConcepts

    def __iter__(self) -> Iterator[Concept]:
        return self._mapping.scan()


class RankedConcepts(Sequence[Concept]):
    """A :class:`PackedConcepts` by rank (what the search index reads)."""

    __slots__ = ("_packed",)

    def __init__(self, packed: PackedConcepts) -> None:
        self._packed = packed

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self._packed,)

    @overload
    def __getitem__(self, rank: int) -> Concept: ...

    @overload
    def __getitem__(self, rank: slice) -> Sequence[Concept]: ...

    def __getitem__(self, rank: int | slice) -> Concept | Sequence[Concept]:
        if isinstance(rank, slice):
            return tuple(self._packed.at(r) for r in range(len(self))[rank])
        if rank < 0:
            rank += len(self)
        if not 0 <= rank < len(self):
            raise IndexError(rank)
        return self._packed.at(rank)

    def __len__(self) -> int:
        return len(self._packed)
