"""What Skosmos's vocabulary-wide methods report, made once per snapshot and vocabulary
(kept in the snapshot's browsing memo, ``api.payloads.listings.Browse.memo``): languages,
counts, label statistics, and the alphabetical index per language. Each walks the
vocabulary's concepts once, in a thread (not to stall the event loop on a large
vocabulary); every later request reads the result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from babel import Locale, UnknownLocaleError
from starlette.concurrency import run_in_threadpool

from api.build.index import Index
from api.build.search import fold
from api.languages import answers
from api.model import Collection, Scheme
from api.payloads.listings import browse
from api.runtime.serving import Serving

T = TypeVar("T")
LABEL_PROPERTIES = ("prefLabel", "altLabel", "hiddenLabel")
#: Skosmos's index letters for labels that start with a digit, or with anything else.
DIGITS, OTHERS = "0-9", "!*"


@dataclass(frozen=True, slots=True)
class Statistics:
    """A vocabulary's counts: concepts (current, deprecated), collections, and labels by
    language and property (``skos:prefLabel`` ...), languages in tag order."""

    concepts: int
    deprecated: int
    collections: int
    labels: tuple[tuple[str, tuple[int, int, int]], ...]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _ in self.labels)


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the alphabetical index: a concept under one of its labels."""

    letter: str
    key: str
    concept: str
    label: str
    alt: bool


def memo(serving: Serving, key: tuple[object, ...], make: Callable[[], T]) -> T:
    made = browse(serving).memo(("skosmos", *key), make)
    return made  # type: ignore[return-value]  # noqa: RET504  one key, one kind of value


def statistics(serving: Serving, scheme: Scheme) -> Statistics:
    return memo(serving, ("statistics", scheme.id), lambda: _statistics(serving.index, scheme))


def _statistics(index: Index, scheme: Scheme) -> Statistics:
    counts: Counter[tuple[str, int]] = Counter()
    concepts = deprecated = 0
    for concept_id in index.concept_ids(scheme=scheme.id):
        concept = index.concepts[concept_id]
        deprecated += concept.deprecated
        concepts += not concept.deprecated
        texts = (concept.pref_labels, concept.alt_labels, concept.hidden_labels)
        for kind, values in enumerate(texts):
            counts.update((t.language, kind) for t in values if t.language)
    collections = len(groups_of(index, scheme))
    languages = sorted({language for language, _ in counts})
    labels = tuple(
        (language, (counts[language, 0], counts[language, 1], counts[language, 2]))
        for language in languages
    )
    return Statistics(concepts, deprecated, collections, labels)


def belongs(index: Index, collection: Collection, scheme: Scheme) -> bool:
    """Whether ``collection`` is a group of ``scheme``: said so, or (saying nothing) holding
    a concept of it."""
    if collection.schemes:
        return scheme.id in collection.schemes
    concepts = index.concepts
    return any(scheme.id in concepts[m].schemes for m in collection.members if m in concepts)


def groups_of(index: Index, scheme: Scheme) -> tuple[Collection, ...]:
    """The collections of ``scheme``, in the index's order (by label)."""
    return tuple(c for c in index.collections.values() if belongs(index, c, scheme))


def groups(serving: Serving, scheme: Scheme) -> tuple[Collection, ...]:
    return memo(serving, ("groups", scheme.id), lambda: groups_of(serving.index, scheme))


def language_name(tag: str, lang: str) -> str:
    """``tag``'s name in ``lang`` by CLDR (babel); the tag itself when CLDR has none."""
    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return tag
    return name or tag


@dataclass(frozen=True, slots=True)
class Alphabet:
    """A vocabulary's alphabetical index in one language: the letters in use (letters in
    order, then ``0-9`` and ``!*``, as Skosmos lists them) and the entries under each."""

    language: str
    letters: tuple[str, ...]
    entries: Mapping[str, tuple[Entry, ...]]


async def alphabet(serving: Serving, scheme: Scheme, lang: str) -> Alphabet:
    """The index of ``scheme`` in ``lang`` if the vocabulary has labels in it, else in its
    default language (so that at most one index per language it has is ever made)."""
    found = await prepared(serving, scheme)
    chosen = lang if lang in found.languages else scheme.default_language
    key = ("index", scheme.id, chosen)
    return await run_in_threadpool(
        memo, serving, key, lambda: _alphabet(serving.index, scheme, chosen)
    )


async def prepared(serving: Serving, scheme: Scheme) -> Statistics:
    """:func:`statistics`, made in a thread the first time (a walk over the vocabulary)."""
    return await run_in_threadpool(statistics, serving, scheme)


async def prepared_groups(serving: Serving, scheme: Scheme) -> tuple[Collection, ...]:
    return await run_in_threadpool(groups, serving, scheme)


def _alphabet(index: Index, scheme: Scheme, lang: str) -> Alphabet:
    """Every current concept under each preferred and alternative label in ``lang``, by
    folded label, grouped by letter."""
    entries = []
    for concept_id in index.concept_ids(scheme=scheme.id):
        concept = index.concepts[concept_id]
        if concept.deprecated:
            continue
        for alt, texts in ((False, concept.pref_labels), (True, concept.alt_labels)):
            for text in texts:
                if text.language is not None and answers(text.language, lang):
                    key = fold(text.value)
                    entries.append(Entry(letter_of(text.value), key, concept_id, text.value, alt))
    entries.sort(key=lambda e: (e.key, e.alt, e.concept))
    by_letter: dict[str, list[Entry]] = {}
    for entry in entries:
        by_letter.setdefault(entry.letter, []).append(entry)
    plain = sorted((u for u in by_letter if u not in (DIGITS, OTHERS)), key=fold)
    letters = (*plain, *(s for s in (DIGITS, OTHERS) if s in by_letter))
    grouped = MappingProxyType({letter: tuple(found) for letter, found in by_letter.items()})
    return Alphabet(lang, letters, grouped)


def letter_of(label: str) -> str:
    """The index letter of ``label``: its first letter in upper case, ``0-9`` or ``!*``."""
    first = label.lstrip()[:1]
    if first.isdigit():
        return DIGITS
    if first.isalpha():
        return first.upper()
    return OTHERS
