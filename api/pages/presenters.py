"""What the HTML pages show beyond a single record, computed from the read model; pure.

The spectrum on the home page, the A-Z, and schema.org JSON-LD (``DefinedTerm``,
``DefinedTermSet``). Nothing here knows about HTTP or templates, and nothing is specific to
the shipped glossary: the spectrum is found in whatever ordered collections a vocabulary has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from api.build.index import Index
from api.build.search.normalisation import fold
from api.model import Concept, Text

SCHEMA_ORG = "https://schema.org"
#: The A-Z heading of labels that do not start with a letter.
OTHER = "#"


@dataclass(frozen=True, slots=True)
class Band:
    """Consecutive members of an ordered collection that share a broader ``concept``."""

    concept: str | None
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Spectrum:
    """An ordered collection shown left to right, its members banded by broader concept."""

    collection: str
    bands: tuple[Band, ...]

    @property
    def grouped(self) -> bool:
        return any(band.concept is not None for band in self.bands)


def bands(index: Index, members: Sequence[str]) -> tuple[Band, ...]:
    """Cut ``members`` into runs whose members share at least one broader concept."""
    runs: list[tuple[frozenset[str], tuple[str, ...]]] = []
    for member in members:
        parents = frozenset(index.concepts[member].broader)
        if runs and runs[-1][0] & parents:
            runs[-1] = (runs[-1][0] & parents, (*runs[-1][1], member))
        else:
            runs.append((parents, (member,)))
    return tuple(Band(min(shared) if shared else None, run) for shared, run in runs)


def _is_banded(found: Sequence[Band]) -> bool:
    """Bands make a spectrum when there are several, each under its own broader concept,
    and at least one groups more than one member."""
    concepts = [band.concept for band in found]
    return (
        len(found) >= 2
        and None not in concepts
        and len(set(concepts)) == len(concepts)
        and any(len(band.members) > 1 for band in found)
    )


def find_spectrum(index: Index) -> Spectrum | None:
    """The ordered collection that best reads as a spectrum: banded ones first (most bands,
    then most members), else the longest; ``None`` when there is no ordered collection."""
    best: tuple[tuple[bool, int, int], Spectrum] | None = None
    for collection in index.collections.values():
        members = tuple(m for m in collection.members if m in index.concepts)
        if not collection.ordered or len(members) < 2:
            continue
        found = bands(index, members)
        banded = _is_banded(found)
        shown = found if banded else (Band(None, members),)
        score = (banded, len(found) if banded else 0, len(members))
        if best is None or score > best[0]:
            best = (score, Spectrum(collection.id, shown))
    return None if best is None else best[1]


# A-Z -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Letter:
    """One heading of the A-Z and the concepts whose label starts with it, in label order."""

    heading: str
    concepts: tuple[str, ...]

    @property
    def slug(self) -> str:
        """The heading as a URL path segment (``a``, ``ŵ``; ``other`` for ``#``)."""
        return "other" if self.heading == OTHER else self.heading.lower()


def sort_key(label: str) -> str:
    """Case- and accent-insensitive order (the search's folding): "Ŵyl" sorts with "Wyl"."""
    return fold(label)


def initial(label: str) -> str:
    """The A-Z heading of a label: its first letter without accents, upper case."""
    stripped = label.lstrip()
    key = sort_key(stripped[0]) if stripped else ""
    return key[0].upper() if key and key[0].isalpha() else OTHER


def a_to_z(ids: Iterable[str], label_of: Callable[[str], Text]) -> tuple[Letter, ...]:
    """``ids`` grouped by the initial of their label, headings in order, ``#`` last."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for concept_id in ids:
        label = label_of(concept_id).value
        groups.setdefault(initial(label), []).append((sort_key(label), concept_id))
    headings = sorted(groups, key=lambda h: (h == OTHER, h))
    return tuple(Letter(h, tuple(i for _, i in sorted(groups[h]))) for h in headings)


# Languages -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InLanguage:
    """A concept's labels in one language (``None``: the labels without a language tag)."""

    language: str | None
    preferred: tuple[Text, ...]
    alternative: tuple[Text, ...]


def by_language(concept: Concept, shown: str | None) -> tuple[InLanguage, ...]:
    """The concept's preferred and alternative labels grouped by language, the language
    ``shown`` (the heading's) left out; tagged languages in order of tag, untagged last."""
    groups: dict[str | None, tuple[list[Text], list[Text]]] = {}
    for kind, texts in ((0, concept.pref_labels), (1, concept.alt_labels)):
        for text in texts:
            if shown is None or text.language != shown:
                groups.setdefault(text.language, ([], []))[kind].append(text)
    order = sorted(groups, key=lambda tag: (tag is None, tag or ""))
    return tuple(InLanguage(tag, tuple(groups[tag][0]), tuple(groups[tag][1])) for tag in order)


# schema.org JSON-LD ---------------------------------------------------------------------


def literal(text: Text | None) -> Any:
    """A JSON-LD value: a plain string, or ``@value`` with ``@language`` when tagged."""
    if text is None or text.language is None:
        return None if text is None else text.value
    return {"@value": text.value, "@language": text.language}


def _compact(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if value not in (None, [], "")}


def defined_term(
    iri: str,
    url: str,
    name: Text,
    *,
    description: Text | None = None,
    alternate_names: Sequence[Text] = (),
    code: str | None = None,
    term_set: str | None = None,
) -> dict[str, Any]:
    """A schema.org ``DefinedTerm`` node for a concept (identified by its IRI)."""
    return _compact(
        {
            "@type": "DefinedTerm",
            "@id": iri,
            "url": url,
            "name": literal(name),
            "description": literal(description),
            "alternateName": [literal(text) for text in alternate_names],
            "termCode": code,
            "inDefinedTermSet": term_set,
        }
    )


def defined_term_set(
    iri: str,
    url: str,
    name: Text | None,
    *,
    description: Text | None = None,
    terms: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """A schema.org ``DefinedTermSet`` node for a scheme or collection."""
    return _compact(
        {
            "@type": "DefinedTermSet",
            "@id": iri,
            "url": url,
            "name": literal(name),
            "description": literal(description),
            "hasDefinedTerm": list(terms),
        }
    )


def document(node: dict[str, Any]) -> dict[str, Any]:
    """A node as a JSON-LD document with the schema.org context."""
    return {"@context": SCHEMA_ORG, **node}
