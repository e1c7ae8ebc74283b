"""What Skosmos's vocabulary-wide methods report, made once per snapshot and vocabulary
(kept in the snapshot's browsing memo, ``api.payloads.listings.Browse.memo``): languages,
counts, label statistics, and the alphabetical index per language. Each walks the
vocabulary's concepts once; every later request reads the result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from babel import Locale, UnknownLocaleError

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


def alphabetical(serving: Serving, scheme: Scheme, lang: str) -> tuple[Entry, ...]:
    """The index of ``scheme`` in ``lang``: every current concept under each preferred and
    alternative label in that language, by folded label."""
    return memo(serving, ("index", scheme.id, lang), lambda: _entries(serving.index, scheme, lang))


def _entries(index: Index, scheme: Scheme, lang: str) -> tuple[Entry, ...]:
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
    return tuple(sorted(entries, key=lambda e: (e.key, e.alt, e.concept)))


def letter_of(label: str) -> str:
    """The index letter of ``label``: its first letter in upper case, ``0-9`` or ``!*``."""
    first = label.lstrip()[:1]
    if first.isdigit():
        return DIGITS
    if first.isalpha():
        return first.upper()
    return OTHERS


def letters(entries: tuple[Entry, ...]) -> list[str]:
    """The index letters in use: letters in order, then ``0-9`` and ``!*`` (as Skosmos)."""
    used = dict.fromkeys(e.letter for e in entries)
    plain = sorted((u for u in used if u not in (DIGITS, OTHERS)), key=fold)
    return plain + [s for s in (DIGITS, OTHERS) if s in used]
