"""What a vocabulary must satisfy before it is served, checked on the built read model.

``glossary check`` reports every problem; serving refuses only what would make answers
wrong or ambiguous (which preferred label is *the* label?), and does it in one cheap pass
so that start-up stays fast. The first such problem is raised with its file, line and term.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from api.build.files import LoadedVocabulary, VocabularyError
from api.build.index import Index
from api.build.positions import locate
from api.model import Concept


def admit(index: Index, vocabulary: LoadedVocabulary) -> None:
    """Raise :class:`VocabularyError` for the first unservable problem, else return."""
    if index.concept_count == 0:
        raise VocabularyError(
            "no-concepts",
            "no skos:Concept found; is this a SKOS vocabulary?",
            file=vocabulary.files[0] if vocabulary.files else None,
        )
    for concept in index.concepts.values():
        for rule, message in label_clashes(concept):
            file, line = locate(vocabulary.files, [concept.iri]).get(concept.iri, (None, None))
            label = concept.pref_labels[0].value if concept.pref_labels else None
            raise VocabularyError(
                rule, message, file=file, line=line, term=concept.iri, label=label
            )


def label_clashes(concept: Concept) -> Iterator[tuple[str, str]]:
    """SKOS integrity conditions S14 (one prefLabel per language) and S13 (disjoint labels)."""
    languages = Counter(text.language for text in concept.pref_labels)
    for language, count in languages.items():
        if count > 1:
            yield "S14", f"{count} skos:prefLabel values in language '{language}'"
    kinds = {
        "prefLabel": concept.pref_labels,
        "altLabel": concept.alt_labels,
        "hiddenLabel": concept.hidden_labels,
    }
    seen: dict[tuple[str, str | None], str] = {}
    for kind, texts in kinds.items():
        for text in texts:
            other = seen.setdefault((text.value, text.language), kind)
            if other != kind:
                yield "S13", f"'{text.value}' is both a skos:{other} and a skos:{kind}"
