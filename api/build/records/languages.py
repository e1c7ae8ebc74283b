"""The default language of each scheme and of the whole index: the language labels are shown
in when a request names none.

A scheme's default language is the ``default_language`` setting when it is set; else the
scheme's ``dct:language`` / ``dc:language`` (when it states several, the one most used by
its concepts' preferred labels); else the language most used by its concepts' preferred
labels; else the index's. The index's follows the same rule over all schemes and concepts
(ties: as for the scheme with most concepts), and is ``en`` when no label has a language.
Ties are never broken alphabetically first: the language the scheme's title is first given
in wins, then the language the files' labels use first (see ``_Ties``); only data read
without its files (tests) and tied on everything else is decided by tag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from api.build.records.reading import Reading
from api.build.triples import TITLES, FileOrder, first_languages, lexical
from api.languages import tag_of
from api.namespaces import DC, DCT

#: When no label has a language and nothing is set or stated.
FALLBACK = "en"
_STATED = (DCT + "language", DC + "language")


def read_languages(reading: Reading, setting: str, files: Sequence[Path]) -> None:
    """Set ``reading.languages`` (scheme id -> its default language) and
    ``reading.index_language``: ``setting`` when set; ``files`` break ties."""
    if setting:
        reading.index_language = setting
        reading.languages = dict.fromkeys(reading.scheme_ids.values(), setting)
        return
    order = first_languages(files, reading.scheme_iris) if files else FileOrder()
    counts = {iri: Counter[str]() for iri in reading.scheme_iris}
    every: Counter[str] = Counter()
    labels = reading.fields["pref_labels"]
    ids = {scheme_id: iri for iri, scheme_id in reading.scheme_ids.items()}
    for concept in reading.concepts:
        languages = [text.language for text in labels.get(concept, ()) if text.language]
        every.update(languages)
        for scheme in reading.schemes_of.get(concept, ()):
            counts[ids[scheme]].update(languages)
    stated = {iri: _stated(reading, iri) for iri in reading.scheme_iris}
    everywhere = list(dict.fromkeys(tag for tags in stated.values() for tag in tags))
    largest = max(counts, key=lambda iri: (counts[iri].total(), iri), default="")
    ties = _Ties(order.labels, order.titles.get(largest, ()), _titles(reading, largest))
    reading.index_language = _choose(everywhere, every, ties) or FALLBACK
    reading.languages = {}
    for iri in reading.scheme_iris:
        ties = _Ties(order.labels, order.titles.get(iri, ()), _titles(reading, iri))
        found = _choose(stated[iri], counts[iri], ties)
        reading.languages[reading.scheme_ids[iri]] = found or reading.index_language


def _stated(reading: Reading, iri: str) -> list[str]:
    """The language tags a scheme states (ISO 639 IRIs read as tags), each once."""
    values = reading.triples.values(iri, *_STATED)
    return list(dict.fromkeys(tag for value in values if (tag := tag_of(lexical(value)))))


def _titles(reading: Reading, iri: str) -> set[str]:
    """The languages of a scheme's own titles, in lower case."""
    if not iri:
        return set()
    texts = reading.triples.texts(iri, *TITLES)
    return {text.language.lower() for text in texts if text.language}


def _choose(stated: list[str], counts: Counter[str], ties: _Ties) -> str | None:
    """The stated language most used by ``counts``; else the language most used; ties
    broken by ``ties``. ``None`` when there is nothing to go by."""
    if stated:
        return min(stated, key=lambda tag: ties.key(tag, _uses(counts, tag)))
    return min(counts, key=lambda tag: ties.key(tag, counts[tag]), default=None)


def _uses(counts: Counter[str], tag: str) -> int:
    """Labels in ``tag`` or in a more specific tag (``en-GB`` counts for ``en``)."""
    prefix = tag.lower() + "-"
    return sum(n for lang, n in counts.items() if lang == tag or lang.lower().startswith(prefix))


class _Ties:
    """What decides between equally used languages, in this order: the language the
    scheme's title is first given in, in the files (its best title property: ``dct:title``,
    ``skos:prefLabel``, ``dc:title``, ``rdfs:label``); the language the files' labels use
    first; a language the scheme has a title in (when read without its files); the tag."""

    def __init__(self, labels: Sequence[str], titles: Sequence[str], titled: set[str]) -> None:
        self.labels = {tag.lower(): position for position, tag in enumerate(labels)}
        self.titles = {tag.lower(): position for position, tag in enumerate(titles)}
        self.titled = titled

    def key(self, tag: str, count: int) -> tuple[int, int, int, bool, str]:
        """Sort key, best first."""
        lower = tag.lower()
        last = len(self.labels) + len(self.titles)
        return (
            -count,
            self.titles.get(lower, last),
            self.labels.get(lower, last),
            lower not in self.titled,
            tag,
        )
