"""The triples of a loaded ``pyoxigraph.Store``, read one predicate at a time for the index.

Only the index build uses this, once: reading each predicate of interest with
``quads_for_pattern`` is far faster than SPARQL and keeps the build linear in the data.
The store keeps no order, so ``first_languages`` reads the start of the files again for
the one thing order decides: which of a vocabulary's languages comes first.
"""

from __future__ import annotations

import codecs
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Final, TypeAlias, TypeGuard

import pyoxigraph as ox

from api.build.files import FORMATS
from api.languages import InvalidLanguageTag, normalise_tag, pick
from api.model import Source, Text
from api.namespaces import DC, DCT, RDF, RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, RDFS, SKOS, SKOSXL

Value: TypeAlias = str | Text
"""A triple's object: a resource (an IRI, or ``_:`` and a blank node id) or a literal."""
Objects: TypeAlias = Mapping[str, Sequence[Value]]
"""Subject -> objects of one predicate."""


class Triples:
    """Subject -> objects of each predicate asked for, read from the store on demand.

    ``get`` keeps what it reads for later calls; ``take`` hands it over and forgets it, so
    that the large predicates (labels, definitions, hierarchy) are held only while used.
    """

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._read: dict[str, Objects] = {}
        self._tags: dict[str, str] = {}
        self._canonical: dict[str, str] = {}

    def share(self, iris: Iterable[str]) -> None:
        """Make later reads reuse these string objects for these IRIs (saves memory)."""
        self._canonical.update((iri, iri) for iri in iris)

    def get(self, predicate: str) -> Objects:
        """Subject -> objects of ``predicate``, for every subject that has one."""
        if predicate not in self._read:
            self._read[predicate] = self.take(predicate)
        return self._read[predicate]

    def take(self, predicate: str) -> Objects:
        """Like ``get``, but not kept for later calls."""
        if predicate in self._read:
            return self._read.pop(predicate)
        return self._objects(predicate)

    def _objects(self, predicate: str) -> Objects:
        """One pass over the predicate's quads: the build's hot loop (about 700,000 quads
        for 100,000 concepts), so conversions are inlined. A subject with one value gets a
        1-tuple (often the final field value); only a repeated subject gets a list."""
        found: dict[str, tuple[Value, ...] | list[Value]] = {}
        canonical, tags = self._canonical, self._tags
        for quad in self._store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            node = quad.subject
            subject = node.value if type(node) is ox.NamedNode else resource(node)
            subject = canonical.get(subject, subject)
            term = quad.object
            value: Value
            if type(term) is ox.Literal:
                tag = term.language
                value = (
                    Text(term.value, tags.get(tag) or self._tag(tag)) if tag else Text(term.value)
                )
            else:
                value = term.value if type(term) is ox.NamedNode else resource(term)
                value = canonical.get(value, value)
            previous = found.get(subject)
            if previous is None:
                found[subject] = (value,)
            elif type(previous) is tuple:
                found[subject] = [*previous, value]
            else:
                previous.append(value)  # type: ignore[union-attr]
        return found

    def _tag(self, tag: str) -> str:
        """The tag in canonical case (pyoxigraph lower-cases tags), worked out once per tag."""
        try:
            found = self._tags[tag] = normalise_tag(tag)
        except InvalidLanguageTag:
            found = self._tags[tag] = tag
        return found

    def values(self, subject: str, *predicates: str) -> list[Value]:
        """Objects of ``subject`` by any of ``predicates``: from what ``get`` read, or else
        read for this subject alone (cheap for the few schemes and collections)."""
        found: list[Value] = []
        for predicate in predicates:
            read = self._read.get(predicate)
            found += read.get(subject, ()) if read is not None else self._about(subject, predicate)
        return found

    def _about(self, subject: str, predicate: str) -> list[Value]:
        term = ox.BlankNode(subject[2:]) if subject.startswith("_:") else ox.NamedNode(subject)
        quads = self._store.quads_for_pattern(term, ox.NamedNode(predicate), None, None)
        return [self._value(quad.object) for quad in quads]

    def _value(self, term: object) -> Value:
        if isinstance(term, ox.Literal):
            tag = term.language
            return (
                Text(term.value, self._tags.get(tag) or self._tag(tag)) if tag else Text(term.value)
            )
        value = resource(term)
        return self._canonical.get(value, value)

    def instances(self, *classes: str) -> set[str]:
        """IRIs typed with one of ``classes``, or a subclass of one declared in the data;
        blank nodes are left out (they have no IRI to serve)."""
        found: set[str] = set()
        for cls in self._subclasses(set(classes)):
            pattern = (None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls), None)
            found.update(resource(quad.subject) for quad in self._store.quads_for_pattern(*pattern))
        return {iri for iri in found if not iri.startswith("_:")}

    def describes(self, iri: str) -> bool:
        """Whether the data states anything about ``iri`` (it is the subject of a triple)."""
        quads = self._store.quads_for_pattern(ox.NamedNode(iri), None, None, None)
        return next(iter(quads), None) is not None

    def _subclasses(self, classes: set[str]) -> set[str]:
        """``classes`` and everything declared ``rdfs:subClassOf`` them, transitively."""
        parents = self.get(RDFS + "subClassOf")
        while more := {c for c, ps in parents.items() if c not in classes and classes & set(ps)}:
            classes |= more
        return classes

    def texts(self, subject: str, *predicates: str) -> tuple[Text, ...]:
        """The literals of ``subject`` by ``predicates`` (see ``literals``)."""
        return self.literals(self.values(subject, *predicates))

    def literals(self, values: Sequence[Value]) -> tuple[Text, ...]:
        """Literal values, and the literal ``rdf:value`` of resource values (a reified note),
        deduplicated and sorted by language then text."""
        if len(values) == 1 and isinstance(values[0], Text):
            return values if isinstance(values, tuple) else (values[0],)
        found: list[Text] = []
        for value in values:
            if isinstance(value, Text):
                found.append(value)
            else:
                found += [v for v in self.get(RDF + "value").get(value, ()) if isinstance(v, Text)]
        return tuple(sorted(dict.fromkeys(found), key=lambda t: (t.language or "", t.value)))

    def name(self, subject: str, predicates: Sequence[str]) -> str | None:
        """``subject``'s literal by the first of ``predicates`` it has (English if it can)."""
        for predicate in predicates:
            found = pick(self.texts(subject, predicate), ("en",), "en")
            if found:
                return found.value
        return None

    def names(self, values: Iterable[Value], predicates: Sequence[str]) -> tuple[str, ...]:
        """Literals as they are, resources by ``name`` (an IRI when nameless), sorted."""
        found = {self._named(value, predicates) for value in values}
        return tuple(sorted(name for name in found if name))

    def _named(self, value: Value, predicates: Sequence[str]) -> str | None:
        if isinstance(value, Text):
            return value.value
        return self.name(value, predicates) or (value if is_iri(value) else None)

    def sources(
        self, values: Iterable[Value], citations: Sequence[str], links: Sequence[str]
    ) -> tuple[Source, ...]:
        """``dct:source`` values: a literal is a citation; a resource is its IRI (or, for a
        blank node, its first link) with its citation or name when the data gives one."""
        found = (self._source(value, citations, links) for value in values)
        return tuple(dict.fromkeys(source for source in found if source.iri or source.citation))

    def _source(self, value: Value, citations: Sequence[str], links: Sequence[str]) -> Source:
        if isinstance(value, Text):
            return Source(citation=value.value)
        iri = value if is_iri(value) else first_iri(self.values(value, *links))
        return Source(iri=iri, citation=self.name(value, citations))

    def walk(self, head: str) -> list[str]:
        """The resources in an ``rdf:List``; stops at a repeated node, so a cyclic list ends."""
        items, seen, node = [], set(), head
        while node != RDF_NIL and node not in seen:
            seen.add(node)
            items += [v for v in self.values(node, RDF_FIRST)[:1] if isinstance(v, str)]
            rest = (*self.values(node, RDF_REST), RDF_NIL)[0]
            node = rest if isinstance(rest, str) else RDF_NIL
        return items


#: How many triples of each file ``first_languages`` reads at most: milliseconds, and
#: far more than it takes a vocabulary to use each of its languages once.
LANGUAGE_SCAN_TRIPLES: Final = 20_000
#: The properties whose literals are labels, for ``first_languages``.
_LABELS: Final = frozenset(
    (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", SKOSXL + "literalForm"),
) | frozenset((RDFS + "label", DCT + "title", DC + "title"))
#: The properties that title a scheme, best first.
TITLES: Final = (DCT + "title", SKOS + "prefLabel", DC + "title", RDFS + "label")


@dataclass(frozen=True, slots=True)
class FileOrder:
    """Languages in the order the files first use them: of any label (``labels``), and of
    each asked-for subject's titles (``titles``: the best title property's first)."""

    labels: tuple[str, ...] = ()
    titles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def first_languages(
    files: Sequence[Path], subjects: Collection[str] = (), max_triples: int = LANGUAGE_SCAN_TRIPLES
) -> FileOrder:
    """The order in which ``files`` (their first ``max_triples`` triples each, streamed)
    use languages in labels, and in the titles of ``subjects``. A file that cannot be read
    again adds what was read before the problem: the load itself reports problems."""
    seen: dict[str, None] = {}
    titled: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    rank = {predicate: position for position, predicate in enumerate(TITLES)}
    for file in files:
        try:
            for triple in _first_triples(file, max_triples):
                term, predicate = triple.object, triple.predicate.value
                if predicate in _LABELS and type(term) is ox.Literal and term.language:
                    tag = _canonical_tag(term.language)
                    seen.setdefault(tag)
                    subject = resource(triple.subject)
                    if predicate in rank and subject in subjects:
                        titled[subject].append((rank[predicate], tag))
        except (OSError, SyntaxError, ValueError):
            continue
    titles = {
        subject: tuple(dict.fromkeys(tag for _, tag in sorted(found, key=itemgetter(0))))
        for subject, found in titled.items()
    }
    return FileOrder(tuple(seen), titles)


def _first_triples(file: Path, max_triples: int) -> Iterator[ox.Triple]:
    """The first ``max_triples`` triples of ``file``, parsed as they are read."""
    with file.open("rb") as stream:
        if stream.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
            stream.seek(0)
        parsed = ox.parse(stream, FORMATS.get(file.suffix.lower()), lenient=True)
        for _, triple in zip(range(max_triples), parsed, strict=False):
            yield triple


def _canonical_tag(tag: str) -> str:
    try:
        return normalise_tag(tag)
    except InvalidLanguageTag:
        return tag


def resource(term: object) -> str:
    """A subject or object resource as a string: its IRI, or ``_:`` and its blank node id."""
    if type(term) is ox.NamedNode:
        return term.value
    return "_:" + term.value if isinstance(term, ox.BlankNode) else str(term)


def is_iri(value: Value) -> TypeGuard[str]:
    """Whether ``value`` is an IRI (not a literal or a blank node)."""
    return isinstance(value, str) and not value.startswith("_:")


def first_iri(values: Iterable[Value]) -> str | None:
    """The least IRI among ``values``."""
    return min((value for value in values if is_iri(value)), default=None)


def first_value(values: Iterable[Value]) -> str | None:
    """The least of ``values`` as strings (a literal's lexical form, a resource's IRI)."""
    return min((lexical(value) for value in values), default=None)


def lexical(value: Value) -> str:
    """A literal's lexical form, or a resource's IRI."""
    return value.value if isinstance(value, Text) else value
