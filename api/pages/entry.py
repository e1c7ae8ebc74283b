"""What the glossary says about one entry, defined or not: the honest entry; pure.

Many entries of a glossary are named without being defined. Rather than a bare "no
definition", the concept page, the card, the pop-up and oEmbed say so in plain words and
then show what the data does say: the entry's statements, its examples, its place in each
ordered collection (a spectrum, a cycle) with its neighbours, the collections it is listed
in, and the related terms that are defined. Everything here is read from the ``Index``
records; nothing is specific to one vocabulary and nothing is written that the data does not
state (the notice's words are the interface's, chosen by :attr:`Entry.kind`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from api.build.index import Index
from api.model import Concept, Text

#: Why an entry has no definition, as far as the data shows it (the notice's wording):
#: ``grouping`` gathers narrower terms; ``in-sequence`` is a member of an ordered collection;
#: ``listed`` a member of an unordered one; ``named`` none of these. ``defined`` has one.
EntryKind = Literal["defined", "grouping", "in-sequence", "listed", "named"]


@dataclass(frozen=True, slots=True)
class Place:
    """An entry's place in an ordered collection: its position and its neighbours' ids."""

    collection: str
    position: int  # from 1
    size: int
    previous: str | None
    next: str | None


@dataclass(frozen=True, slots=True)
class Entry:
    """What the glossary states about one concept, for readers.

    ``statements`` are its own words about the entry other than a definition (the "We ..."
    stance, the roles, notes and scope notes), in that order; ``places`` its ordered
    collections; ``collections`` its unordered ones; ``groups`` the narrower terms it gathers;
    ``defined_related`` the terms it is related to (broader, narrower, parts, related) that
    have a definition of their own."""

    concept: Concept
    kind: EntryKind
    statements: tuple[Text, ...]
    examples: tuple[Text, ...]
    places: tuple[Place, ...]
    collections: tuple[str, ...]
    groups: tuple[str, ...]
    defined_related: tuple[str, ...]

    @property
    def defined(self) -> bool:
        return self.kind == "defined"

    @property
    def listed_in(self) -> str | None:
        """The collection the notice names: the first ordered one, else the first other."""
        if self.places:
            return self.places[0].collection
        return self.collections[0] if self.collections else None

    @property
    def says_more(self) -> bool:
        """Whether the glossary says anything about the entry beyond naming it."""
        return bool(
            self.statements
            or self.examples
            or self.places
            or self.collections
            or self.groups
            or self.defined_related
        )


def entry(index: Index, concept: Concept) -> Entry:
    """The honest entry of ``concept``: whether it is defined and what the data says of it."""
    places = tuple(_places(index, concept))
    ordered = {place.collection for place in places}
    collections = tuple(
        c for c in concept.collections if c in index.collections and c not in ordered
    )
    groups = _known(index, (*concept.narrower, *concept.narrower_partitive))
    return Entry(
        concept=concept,
        kind=_kind(concept, places, collections, groups),
        statements=(*concept.stances, *concept.roles, *concept.notes, *concept.scope_notes),
        examples=concept.examples,
        places=places,
        collections=collections,
        groups=groups,
        defined_related=_defined_related(index, concept),
    )


def _kind(
    concept: Concept,
    places: tuple[Place, ...],
    collections: tuple[str, ...],
    groups: tuple[str, ...],
) -> EntryKind:
    if concept.definitions:
        return "defined"
    if groups:
        return "grouping"
    if places:
        return "in-sequence"
    return "listed" if collections else "named"


def _places(index: Index, concept: Concept) -> Iterable[Place]:
    """The concept's place in each ordered collection it belongs to (withdrawn and unloaded
    members are not counted as neighbours)."""
    for collection_id in concept.collections:
        collection = index.collections.get(collection_id)
        if collection is None or not collection.ordered:
            continue
        members = [m for m in collection.members if m in index.concepts]
        if concept.id not in members:
            continue
        at = members.index(concept.id)
        yield Place(
            collection=collection_id,
            position=at + 1,
            size=len(members),
            previous=members[at - 1] if at > 0 else None,
            next=members[at + 1] if at + 1 < len(members) else None,
        )


def _known(index: Index, ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(i for i in dict.fromkeys(ids) if i in index.concepts)


def _defined_related(index: Index, concept: Concept) -> tuple[str, ...]:
    """Related terms (any direction) that have a definition, the entry itself left out."""
    candidates = _known(
        index,
        (
            *concept.broader,
            *concept.broader_partitive,
            *concept.narrower,
            *concept.narrower_partitive,
            *concept.related,
        ),
    )
    return tuple(
        i
        for i in candidates
        if i != concept.id and index.concepts[i].definitions and not index.concepts[i].deprecated
    )
