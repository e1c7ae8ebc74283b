"""The immutable read model: ``build_index(store)`` reads the loaded triples once into an
``Index`` of frozen records that every request shares; its methods are pure lookups.

Nothing here is specific to one vocabulary: any number of SKOS schemes load side by side.
The store is read one predicate at a time (``quads_for_pattern``), never with SPARQL.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType
from typing import TypeAlias

import pyoxigraph as ox

from api.build.packed import PackedConcepts
from api.build.records import QUALIFIER, Records, local_name, namespace_key, read_records
from api.build.records.ids import NO_ALIASES, Aliases
from api.build.search import SearchIndex, build_search
from api.build.triples import Triples
from api.languages import pick
from api.model import Collection, Concept, LabelMatch, Scheme, Text

Resource: TypeAlias = Concept | Scheme | Collection
Progress: TypeAlias = Callable[[str], None]

#: How many root-to-concept paths ``Index.hierarchy`` returns at most.
MAX_PATHS = 100


@dataclass(frozen=True, slots=True)
class Paths:
    """Paths from the top of a hierarchy down to a concept, and whether some were left out
    (or cut short of their top) to stay within a cap."""

    paths: tuple[tuple[str, ...], ...]
    cut: bool = False

    @property
    def concept_count(self) -> int:
        """Concepts on the paths, counted once per path (what an answer listing them holds)."""
        return sum(len(path) for path in self.paths)


@dataclass(frozen=True, slots=True, eq=False)
class Index:
    """Every concept, scheme and collection of the loaded vocabularies, by id and by IRI.

    ``concepts`` iterates in ``concept_ids()`` order, ``schemes`` by id, ``collections`` by
    label. ``ambiguous``: each bare concept id that concepts of several vocabularies share ->
    their qualified ids (``<scheme id>~<id>``; see ``api.build.records.ids``);
    ``scheme_aliases`` and ``collection_aliases`` the same for schemes and collections, with
    the hashed form of each one's id. Compared and hashed by identity: one build, one index.
    """

    digest: str
    concepts: PackedConcepts
    schemes: Mapping[str, Scheme]
    collections: Mapping[str, Collection]
    default_language: str
    by_iri: Mapping[str, Scheme | Collection]
    #: Each concept's IRI -> its id (``by_iri`` has the schemes and collections).
    concept_iris: Mapping[str, str]
    scheme_orders: Mapping[str, tuple[str, ...]]
    searcher: SearchIndex
    #: The concept ids in ``concepts``' order, made once: a tuple made per request took a
    #: reference to every id, which unshared ~40 MB of a forked worker's inherited read
    #: model at 100,000 concepts (and took 1 ms).
    concept_order: tuple[str, ...]
    #: Ids of the deprecated concepts (``owl:deprecated``), found as the index is built.
    deprecated: frozenset[str]
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    scheme_aliases: Aliases = NO_ALIASES
    collection_aliases: Aliases = NO_ALIASES

    @property
    def concept_count(self) -> int:
        return len(self.concepts)

    @property
    def scheme_count(self) -> int:
        return len(self.schemes)

    @property
    def collection_count(self) -> int:
        return len(self.collections)

    def concept(self, id: str) -> Concept | None:
        """The concept with this id, or qualified id ``<scheme>~<id>``, or ``None``.

        ``<scheme>`` is the id of one of its schemes, or that scheme's local name (the id it
        has alone, which a clash of scheme names would hash); for a concept in no scheme, its
        namespace's name. A bare id in ``ambiguous``, or a qualified one that still fits
        several concepts, names no one concept: ``None``."""
        found: Concept | None = self.concepts.get(id)
        if found is not None or QUALIFIER not in id:
            return found
        position = id.find(QUALIFIER)
        while position != -1:  # a local name or a scheme id may itself hold a ``~``
            qualifier, bare = id[:position], id[position + 1 :]
            fits = [
                concept
                for candidate in self.ambiguous.get(bare, (bare,))
                if (concept := self.concepts.get(candidate)) is not None
                and self._qualifies(qualifier, concept)
            ]
            if fits:
                return fits[0] if len(fits) == 1 else None
            position = id.find(QUALIFIER, position + 1)
        return None

    def _qualifies(self, qualifier: str, concept: Concept) -> bool:
        if not concept.schemes:
            return qualifier == namespace_key(concept.iri)
        scheme = self.scheme(qualifier)
        return (scheme is not None and scheme.id in concept.schemes) or any(
            local_name(self.schemes[s].iri) == qualifier for s in concept.schemes
        )

    def scheme(self, id: str) -> Scheme | None:
        """The scheme with this id or the hashed form of it (``<local name>-<8 hex>``, which
        names it whatever else is loaded), or ``None``."""
        found = self.schemes.get(id)
        if found is None and (alias := self.scheme_aliases.hashed.get(id)) is not None:
            return self.schemes.get(alias)
        return found

    def collection(self, id: str) -> Collection | None:
        """The collection with this id or the hashed form of it, or ``None``."""
        found = self.collections.get(id)
        if found is None and (alias := self.collection_aliases.hashed.get(id)) is not None:
            return self.collections.get(alias)
        return found

    def resource_by_iri(self, iri: str) -> Resource | None:
        """The concept, scheme or collection with this IRI, or ``None``."""
        return self.concept_by_iri(iri) or self.by_iri.get(iri)

    def concept_by_iri(self, iri: str) -> Concept | None:
        """The concept with this IRI, or ``None``."""
        found = self.concept_iris.get(iri)
        return None if found is None else self.concepts[found]

    def concept_ids(
        self, scheme: str | None = None, collection: str | None = None
    ) -> tuple[str, ...]:
        """Concept ids in a stable order for paging: by scheme, then preferred label, then id;
        a collection's in its member order. Unknown schemes and collections give ``()``."""
        if collection is not None:
            found = self.collections.get(collection)
            members = found.members if found else ()
            if scheme is None:
                return members
            return tuple(m for m in members if scheme in self.concepts[m].schemes)
        if scheme is None:
            return self.concept_order
        return self.scheme_orders.get(scheme, ())

    def language(self, concept: Concept) -> str:
        """The default language of ``concept``: that of its first scheme."""
        if concept.schemes and concept.schemes[0] in self.schemes:
            return self.schemes[concept.schemes[0]].default_language
        return self.default_language

    def label(self, id: str, langs: Sequence[str] = ()) -> Text:
        """The preferred label of concept ``id`` in the best of ``langs`` (falling back to its
        scheme's default language); the id itself when it has none. ``KeyError`` if unknown."""
        rank = self._rank(id)
        found = pick(self.concepts.labels(rank), langs, self.searcher.languages[rank])
        return found or Text(id)

    def pref_labels(self, id: str) -> tuple[Text, ...]:
        """The preferred labels of concept ``id``, read without decoding the concept (see
        ``api.build.packed``). ``KeyError`` if unknown."""
        return self.concepts.labels(self._rank(id))

    def _rank(self, id: str) -> int:
        rank = self.concepts.rank(id)
        if rank is None:
            raise KeyError(id)
        return rank

    def broader_transitive(
        self, id: str, max_depth: int | None = None, limit: int | None = None
    ) -> tuple[str, ...]:
        """Ids of the concepts above ``id``, nearest first (breadth first), each once; at
        most ``limit`` (ask for one more than you show to learn whether there are more)."""
        return self._closure(id, attrgetter("broader"), max_depth, limit)

    def narrower_transitive(
        self, id: str, max_depth: int | None = None, limit: int | None = None
    ) -> tuple[str, ...]:
        """Ids of the concepts below ``id``, nearest first (breadth first), each once; at
        most ``limit``."""
        return self._closure(id, attrgetter("narrower"), max_depth, limit)

    def _closure(
        self,
        start: str,
        step: Callable[[Concept], tuple[str, ...]],
        max_depth: int | None,
        limit: int | None,
    ) -> tuple[str, ...]:
        """Breadth-first walk; the ``seen`` set makes it end on cyclic hierarchies, and it
        stops as soon as it has ``limit`` ids, so a capped answer costs the cap, not the
        size of the subtree (a top concept may have every concept below it)."""
        seen, frontier, depth = {start}, [start] if start in self.concepts else [], 0
        found: list[str] = []
        room = sys.maxsize if limit is None else limit
        while frontier and (max_depth is None or depth < max_depth) and len(found) < room:
            depth += 1
            level: list[str] = []
            for concept_id in frontier:
                fresh = [t for t in step(self.concepts[concept_id]) if t not in seen]
                seen.update(fresh)
                level += fresh
                if len(found) + len(level) >= room:
                    break
            found += level
            frontier = level
        return tuple(found[:room])

    def hierarchy(self, id: str, limit: int = MAX_PATHS, max_concepts: int | None = None) -> Paths:
        """The paths from a root down to ``id`` (root first, ``id`` last): at most ``limit``
        paths and ``max_concepts`` concepts in all, counted once per path they are on.

        A root is a concept with no broader concept outside the path so far, so that a
        broader cycle ends a path instead of looping. A path longer than what is left of
        ``max_concepts`` keeps the concepts nearest ``id``; ``Paths.cut`` then says so.
        """
        room = sys.maxsize if max_concepts is None else max_concepts
        stack: list[tuple[str, ...]] = [(id,)] if id in self.concepts else []
        paths: list[tuple[str, ...]] = []
        while stack and len(paths) < limit and room > 0:
            path = stack.pop()
            parents = [p for p in self.concepts[path[-1]].broader if p not in path]
            if parents and len(path) < room:
                stack.extend((*path, parent) for parent in reversed(parents))
                continue
            kept = path[:room]  # path runs up from ``id``: keep the nearest concepts
            paths.append(kept[::-1])
            room -= len(kept)
            if parents or len(kept) < len(path):  # cut short of its root: room is spent
                return Paths(tuple(paths), cut=True)
        return Paths(tuple(paths), cut=bool(stack))

    def lookup(
        self, label: str, lang: str | None = None, scheme: str | None = None
    ) -> tuple[LabelMatch, ...]:
        """Concepts with a label equal to ``label`` ignoring case, accents and spacing;
        prefLabel matches first, then altLabel, then hiddenLabel."""
        return self.searcher.lookup(label, lang, scheme)

    def lookup_notation(
        self, notation: str, lang: str | None = None, scheme: str | None = None
    ) -> tuple[LabelMatch, ...]:
        """Concepts with this notation, ignoring case and spacing, with their preferred labels."""
        return self.searcher.lookup_notation(notation, lang, scheme)

    def search(
        self,
        query: str,
        lang: str | None = None,
        scheme: str | None = None,
        limit: int = 20,
        *,
        include_deprecated: bool = False,
    ) -> tuple[LabelMatch, ...]:
        """Up to ``limit`` concepts matching ``query``, best first (see ``api.build.search``);
        deprecated concepts only with ``include_deprecated``."""
        return self.searcher.search(
            query, lang, scheme, limit, include_deprecated=include_deprecated
        )


def build_index(
    store: ox.Store,
    *,
    digest: str,
    progress: Progress | None = None,
    default_language: str = "",
    files: Sequence[Path] = (),
) -> Index:
    """Read every scheme, concept and collection in ``store`` into an ``Index``.

    Runs once at start-up; ``digest`` identifies the loaded files (the ``ETag``).
    ``default_language`` (the setting), when set, is every scheme's default language;
    ``files``, the files ``store`` was loaded from, break ties between languages by which
    the files use first (see ``api.build.records.languages``).
    """
    say = progress or _silent
    with _no_cyclic_gc():
        say("index: reading concepts, schemes and collections")
        records = read_records(
            Triples(store),
            default_language=default_language,
            files=files,
        )
        say(f"index: indexing {len(records.concepts)} concepts for search")
        index = _assemble(digest, records)
    _return_free_memory()
    say(f"index: {index.concept_count} concepts in {index.scheme_count} schemes")
    return index


def _return_free_memory() -> None:
    """Hand the build's freed heap back to the operating system (glibc keeps it otherwise:
    about 30 MB resident at 100,000 concepts). A no-op where ``malloc_trim`` is missing."""
    if sys.platform.startswith("linux"):
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc only, not musl
        if trim is not None:
            trim(0)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) while building. The build allocates
    millions of acyclic objects, which would trigger full collections over everything built
    so far: about half the build time at 100,000 concepts. Reference counting still frees
    the build's garbage as it goes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _silent(message: str) -> None:
    """The default progress reporter: says nothing."""


def _assemble(digest: str, records: Records) -> Index:
    """The frozen ``Index`` over ``records`` (whose concepts are by preferred label, then id)."""
    ranked, schemes, collections = records.concepts, records.schemes, records.collections
    by_id = {scheme.id: scheme for scheme in schemes}
    index_language = records.default_language
    languages = [
        by_id[c.schemes[0]].default_language if c.schemes else index_language for c in ranked
    ]
    order = sorted(ranked, key=lambda c: (0, c.schemes[0]) if c.schemes else (1, ""))
    by_iri: dict[str, Scheme | Collection] = {s.iri: s for s in schemes}
    by_iri.update((c.iri, c) for c in collections)
    packed = PackedConcepts.pack(ranked, order)
    return Index(
        digest=digest,
        concepts=packed,
        concept_order=tuple(c.id for c in order),
        deprecated=frozenset(c.id for c in ranked if c.deprecated),
        concept_iris=MappingProxyType({c.iri: c.id for c in order}),
        schemes=MappingProxyType(by_id),
        collections=MappingProxyType({c.id: c for c in collections}),
        default_language=index_language,
        by_iri=MappingProxyType(by_iri),
        scheme_orders=MappingProxyType(_scheme_orders(ranked, by_id)),
        searcher=build_search(ranked, languages, kept=packed.by_rank),
        ambiguous=MappingProxyType(dict(records.ambiguous)),
        scheme_aliases=Aliases.of({s.iri: s.id for s in schemes}),
        collection_aliases=Aliases.of({c.iri: c.id for c in collections}),
    )


def _scheme_orders(
    ranked: Sequence[Concept], schemes: Mapping[str, Scheme]
) -> dict[str, tuple[str, ...]]:
    orders: dict[str, list[str]] = {scheme: [] for scheme in schemes}
    for concept in ranked:
        for scheme in concept.schemes:
            orders[scheme].append(concept.id)
    return {scheme: tuple(ids) for scheme, ids in orders.items()}
