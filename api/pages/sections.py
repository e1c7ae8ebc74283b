"""What a concept page shows readers beyond its record's fields, computed from the read model.

Pure functions over the ``Index``, vocabulary-neutral: a distinction stated from both sides
is one pair; narrower and partitive relations that hold the same concepts are one list;
related terms are grouped by the collections they share (ordered ones first, in their
order); a note that points at "the following 5 values" links the collection of five that
it names; the ordered collections a concept belongs to give its place among their members.
"""

from __future__ import annotations

import re
from collections.abc import Collection as Collection_
from collections.abc import Sequence
from dataclasses import dataclass

from api.build.index import Index
from api.build.search.normalisation import fold
from api.model import Collection, Concept, Distinction, Text

#: Number words a note may count a list's members with.
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
#: "5 values", "five ways of working": a count and the word after it.
_COUNTED = re.compile(r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s+([^\W\d_]+)", re.I)


# Distinctions --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Difference:
    """The distinctions between a concept and one ``other``: what the concept is not
    (``outgoing``) and what the other is not (``incoming``), each with its reasons."""

    other: str
    outgoing: tuple[Distinction, ...]
    incoming: tuple[Distinction, ...]


def differences(index: Index, concept: Concept) -> tuple[Difference, ...]:
    """The concept's distinctions, one entry per other concept (in the order first met),
    so a pair stated from both sides is shown once, naming both."""
    pairs: dict[str, tuple[list[Distinction], list[Distinction]]] = {}
    for distinction in concept.distinctions:
        if distinction.other in index.concepts:
            sides = pairs.setdefault(distinction.other, ([], []))
            sides[distinction.direction == "incoming"].append(distinction)
    return tuple(Difference(o, tuple(out), tuple(inc)) for o, (out, inc) in pairs.items())


# Related terms, grouped ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """A list of related terms under one heading: a relation (``kind``: ``broader``,
    ``narrower``, ``parts``, ``kinds-and-parts``, ``part-of``, ``related``) or, with
    ``collection`` set, the members of that collection among them, in its order."""

    kind: str
    members: tuple[str, ...]
    collection: str | None = None


def _unique(ids: Sequence[str], index: Index, seen: set[str]) -> list[str]:
    found = [i for i in dict.fromkeys(ids) if i in index.concepts and i not in seen]
    seen.update(found)
    return found


def relation_groups(
    index: Index, concept: Concept, shown: Collection_[str] = frozenset()
) -> tuple[Group, ...]:
    """The concept's relations for readers: ways up, then ways down (narrower and parts as
    one list when they hold the same concepts), then related terms; every list split by the
    collections that hold at least two of its members, each concept listed once (and none
    of those the page ``shown`` elsewhere already)."""
    seen = {concept.id, *shown}
    groups: list[Group] = []
    up = _unique(concept.broader, index, seen)
    part_of = _unique(concept.broader_partitive, index, seen)
    narrower, parts = concept.narrower, concept.narrower_partitive
    same_down = bool(narrower) and set(narrower) == set(parts)
    downs = (
        [("kinds-and-parts", narrower)] if same_down else [("narrower", narrower), ("parts", parts)]
    )
    for kind, ids in (("broader", up), ("part-of", part_of)):
        groups.extend(_split(index, kind, ids))
    for kind, down in downs:
        groups.extend(_split(index, kind, _unique(down, index, seen)))
    groups.extend(_split(index, "related", _unique(concept.related, index, seen)))
    return tuple(group for group in groups if group.members)


def _split(index: Index, kind: str, ids: Sequence[str]) -> list[Group]:
    """``ids`` as groups: each collection (ordered ones first, then the largest share) that
    holds two or more of them takes its members, in its own order; the rest stay ``kind``."""
    left = list(ids)
    groups: list[Group] = []
    for collection in _collections_of(index, left):
        members = [m for m in collection.members if m in left]
        if len(members) >= 2:
            shown = members if collection.ordered else _by_label(index, members)
            groups.append(Group(kind, tuple(shown), collection.id))
            left = [i for i in left if i not in members]
    return [*groups, Group(kind, tuple(_by_label(index, left)))]


def _by_label(index: Index, ids: Sequence[str]) -> list[str]:
    return sorted(ids, key=lambda i: fold(index.label(i).value))


def _collections_of(index: Index, ids: Sequence[str]) -> list[Collection]:
    wanted = set(ids)
    counts: dict[str, int] = {}
    for concept_id in ids:
        for collection_id in index.concepts[concept_id].collections:
            counts[collection_id] = counts.get(collection_id, 0) + 1
    found = [index.collections[c] for c in counts if c in index.collections and counts[c] >= 2]
    found.sort(key=lambda c: (not c.ordered, -len(wanted.intersection(c.members)), c.id))
    return found


# Places in ordered collections ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """Where a concept stands in an ordered collection it belongs to (a spectrum, a cycle)."""

    collection: str
    members: tuple[str, ...]
    position: int

    @property
    def previous(self) -> str | None:
        return self.members[self.position - 1] if self.position > 0 else None

    @property
    def following(self) -> str | None:
        at = self.position + 1
        return self.members[at] if at < len(self.members) else None


def places(index: Index, concept: Concept) -> tuple[Place, ...]:
    """The ordered collections the concept is a member of, with its position in each."""
    found = []
    for collection_id in concept.collections:
        collection = index.collections.get(collection_id)
        if collection is None or not collection.ordered:
            continue
        members = tuple(m for m in collection.members if m in index.concepts)
        if concept.id in members:
            found.append(Place(collection_id, members, members.index(concept.id)))
    return tuple(found)


# References to collections in notes ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    """A note cut around the words that count a collection's members ("5 values")."""

    before: str
    words: str
    after: str
    collection: str


def _singular(word: str) -> str:
    folded = fold(word)
    return folded[:-1] if folded.endswith("s") and len(folded) > 3 else folded


def reference_in(index: Index, concept: Concept, text: Text) -> Reference | None:
    """The collection a note about ``concept`` counts ("the following 5 values"): one of
    the collections holding concepts it relates to, with as many members as counted and a
    label with the counted word; ``None`` when none fits or several do."""
    linked = {*concept.related, *concept.narrower, *concept.narrower_partitive}
    candidates = [
        c
        for c in index.collections.values()
        if c.members and set(c.members) <= linked and c.id not in concept.collections
    ]
    for found in _COUNTED.finditer(text.value):
        count_word, noun = found.group(1), _singular(found.group(2))
        count = NUMBER_WORDS.get(count_word.lower()) or int(count_word)
        named = [
            c
            for c in candidates
            if len(c.members) == count
            and any(_singular(w) == noun for label in c.labels for w in label.value.split())
        ]
        if len(named) == 1:
            start, end = found.span()
            value = text.value
            return Reference(value[:start], value[start:end], value[end:], named[0].id)
    return None
