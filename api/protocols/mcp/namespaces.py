"""The IRI namespaces of a snapshot's concepts, that ``/mcp``'s resource templates are made
from: here, apart from the SDK, because ``api.workers`` finds them before forking and must
not import the SDK to do so (a supervisor that did would hand its 49 MB to every worker)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from api.build.index import Index

#: The namespaces of the snapshot served last, by its digest (not by the index, which a
#: reference here would keep alive after a reload).
_known: dict[str, tuple[str, ...]] = {}


def concept_namespaces(index: Index) -> tuple[str, ...]:
    """:func:`namespaces` of ``index``'s concepts, found once per snapshot: the walk reads
    every concept (0.16 s at 100,000), and a read writes each one's reference count, so a
    forked worker that walked them would copy every page of them (55 MB at 100,000 concepts;
    ``api.workers`` asks here before forking, and the workers then find the answer)."""
    found = _known.get(index.digest)
    if found is None:
        found = tuple(namespaces(index.concept_iris.items()))
        _known.clear()
        _known[index.digest] = found
    return found


def namespaces(concepts: Iterable[tuple[str, str]], most: int = 20) -> Iterator[str]:
    """The IRI namespaces that concept ids complete (``…/concepts/`` + ``co-production``),
    at most ``most`` of them; concepts outside them are still read by their IRI through the
    ``concept`` tools."""
    seen: dict[str, None] = {}
    for iri, id in concepts:  # (IRI, id) pairs
        if iri.endswith(id) and len(iri) > len(id):
            seen.setdefault(iri[: -len(id)], None)
            if len(seen) > most:
                break
    yield from list(seen)[:most]
