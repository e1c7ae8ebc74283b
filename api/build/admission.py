"""What is wrong with a vocabulary, found on the built read model in one cheap pass.

Serving never stops for an integrity problem: :func:`problems` lists them (files left out,
relative IRIs resolved, SKOS S13 and S14, prefLabels shared within a scheme, orphans, top
concepts with a broader concept) and the service reports them at start-up, in ``/health``
and at ``/problems``. Only a vocabulary without a single concept is refused, and, with the
``strict`` setting, one with any error or violation (:func:`admit` lists every one).
Where a term is written is found later and once (:meth:`Problems.located`): it reads the
files again.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal

from api.build.files import LoadedVocabulary, Relative, VocabularyError
from api.build.index import Index
from api.build.positions import describe, in_language, literal, locate, where
from api.model import Concept

Severity = Literal["error", "violation", "warning"]
#: Most severe first: the order of reports.
SEVERITIES: Final[tuple[Severity, ...]] = ("error", "violation", "warning")
#: Severities that refuse a vocabulary under the ``strict`` setting.
REFUSING: Final = frozenset({"error", "violation"})

#: The rules, their severity and what they mean (for the docs, ``/problems`` and the page).
RULES: Final[Mapping[str, tuple[Severity, str]]] = {
    "unreadable-file": ("error", "a file that cannot be read was left out"),
    "relative-iri": ("warning", "relative IRIs resolved against a base the file does not state"),
    "S13": ("violation", "a label that is preferred, alternative or hidden at once"),
    "S14": ("violation", "two preferred labels in one language"),
    "ambiguous-pref-label": ("warning", "two concepts of one scheme share a preferred label"),
    "orphan": ("warning", "a concept with no relation, not a top concept, in no collection"),
    "top-concept-broader": ("warning", "a top concept with a broader concept in its scheme"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the loaded vocabulary: which rule, how bad, what, where."""

    rule: str
    severity: Severity
    message: str
    term: str | None = None
    label: str | None = None
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        prefix = "" if self.severity == "violation" else f"{self.severity}: "
        return where(self.file, self.line) + prefix + self.text()

    def text(self) -> str:
        """``<term> "label": rule: message``, without the place."""
        return describe(self.term, self.label, self.rule, self.message)


class Problems:
    """The problems of one snapshot; their places in the files are found once, on demand."""

    def __init__(
        self, found: Sequence[Problem], vocabulary: LoadedVocabulary, index: Index | None = None
    ) -> None:
        self.all: tuple[Problem, ...] = tuple(found)
        self._files, self._bases = vocabulary.files, vocabulary.bases
        self._located: tuple[Problem, ...] | None = None
        self._lock = threading.Lock()
        #: How many problems each vocabulary has: a concept's first scheme (by id), or the
        #: file's name for problems of a file (``/health`` shows it).
        self.by_vocabulary: Counter[str] = Counter(_vocabulary(index, p) for p in self.all)

    def __getstate__(self) -> tuple[Any, ...]:
        # Pickled by the start-up cache (``api.build.cache``): a lock cannot be, and the
        # places are found again on demand.
        return self.all, self._files, self._bases, self.by_vocabulary

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.all, self._files, self._bases, self.by_vocabulary = state
        self._located = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.all)

    def located(self) -> tuple[Problem, ...]:
        """Every problem with its file and line where they can be found (reads the files)."""
        with self._lock:
            if self._located is None:
                self._located = tuple(with_places(self.all, self._files, self._bases))
            return self._located

    def severities(self) -> Counter[Severity]:
        """How many problems of each severity."""
        return Counter(problem.severity for problem in self.all)

    def counts(self) -> Counter[tuple[str, Severity]]:
        """How many problems of each (rule, severity)."""
        return Counter((problem.rule, problem.severity) for problem in self.all)


def _vocabulary(index: Index | None, problem: Problem) -> str:
    if problem.file is not None:
        return problem.file.name
    concept = None if index is None or problem.term is None else index.concept_by_iri(problem.term)
    return concept.schemes[0] if concept is not None and concept.schemes else "(no scheme)"


def with_places(
    problems: Sequence[Problem], files: Sequence[Path], bases: Mapping[Path, str]
) -> Iterator[Problem]:
    """``problems`` with the file and line of their term where those are not known yet."""
    terms = {p.term for p in problems if p.term is not None and p.file is None}
    places = locate(files, terms, bases) if terms else {}
    fallback = (files[0], None) if len(files) == 1 else (None, None)
    for problem in problems:
        if problem.file is not None or problem.term is None:
            yield problem
        else:
            file, line = places.get(problem.term, fallback)
            yield replace(problem, file=file, line=line)


def problems(index: Index, vocabulary: LoadedVocabulary) -> tuple[Problem, ...]:
    """Everything wrong with the loaded vocabulary that is cheap to see, most severe first."""
    found = list(problems_of_files(vocabulary))
    found += _concepts(index)
    return tuple(sorted(found, key=lambda p: (SEVERITIES.index(p.severity), p.rule, p.term or "")))


def problems_of_files(vocabulary: LoadedVocabulary) -> Iterator[Problem]:
    """Files left out because they cannot be read; files whose relative IRIs we resolved."""
    yield from map(_unreadable, vocabulary.refused)
    yield from map(_relative, vocabulary.relative)


def admit(index: Index, vocabulary: LoadedVocabulary, *, strict: bool = False) -> Problems:
    """The vocabulary's problems; raise :class:`VocabularyError` if it has no concept, or,
    when ``strict``, if it has any error or violation (listing every one)."""
    if index.concept_count == 0:
        raise VocabularyError(
            "no-concepts",
            "no skos:Concept found; is this a SKOS vocabulary?",
            file=vocabulary.files[0] if vocabulary.files else None,
            details=[str(_unreadable(error)) for error in vocabulary.refused],
        )
    found = Problems(problems(index, vocabulary), vocabulary, index)
    refusing = [p for p in found.located() if p.severity in REFUSING] if strict else []
    if refusing:
        count = f"{len(refusing)} problem{'s' if len(refusing) > 1 else ''}"
        message = f"{count} (the strict setting refuses errors and violations)"
        raise VocabularyError("strict", message, details=[str(p) for p in refusing])
    return found


def summary(found: Problems, examples: int = 3) -> Iterator[str]:
    """Lines for the start-up log: counts per rule, then the first few of each rule."""
    if not found.all:
        yield "no problems found"
        return
    counts = found.counts()
    listed = ", ".join(f"{rule} {n:,}" for (rule, _), n in sorted(counts.items()))
    yield f"{len(found):,} problem(s) (see /problems): {listed}"
    shown: Counter[str] = Counter()
    for problem in found.all:
        shown[problem.rule] += 1
        if shown[problem.rule] <= examples:
            yield f"  {problem}"


# --- The rules ---------------------------------------------------------------------------


def _unreadable(error: VocabularyError) -> Problem:
    text = describe(error.term, error.label, error.rule, error.message)
    message = f"left out: {text}"
    return Problem("unreadable-file", "error", message, file=error.file, line=error.line)


def _relative(found: Relative) -> Problem:
    example = "" if found.iri is None else f" (first: <{found.iri}>)"
    # The file's own URI would tell strangers where it is on the server's disk.
    base = "the file's location" if found.base.startswith("file:") else f"<{found.base}>"
    message = (
        f"relative IRIs{example} resolved against {base}: the file states no base "
        "(@base, xml:base or @base in the context); set the base_iri setting or --base"
    )
    return Problem("relative-iri", "warning", message, file=found.file, line=found.line)


def _about(index: Index, concept: Concept, rule: str, message: str) -> Problem:
    severity = RULES[rule][0]
    return Problem(rule, severity, message, concept.iri, _label(index, concept))


def _label(index: Index, concept: Concept) -> str | None:
    """The concept's preferred label in its vocabulary's default language, for reports."""
    language = index.language(concept)
    labels = sorted(concept.pref_labels, key=lambda t: (t.language != language, t.language or ""))
    return labels[0].value if labels else None


def _own(concept: Concept) -> Iterator[tuple[str, str]]:
    """The rules about one concept alone: S14, S13, orphans, top concepts with a broader."""
    yield from label_clashes(concept)
    if _is_orphan(concept) and not concept.deprecated:  # withdrawn concepts lose their links
        yield "orphan", _ORPHAN


def label_clashes(concept: Concept) -> Iterator[tuple[str, str]]:
    """SKOS integrity conditions S14 (one prefLabel per language) and S13 (disjoint labels)."""
    tags = [text.language for text in concept.pref_labels]
    if len(set(tags)) < len(tags):  # rare: look closer only then (start-up reads them all)
        yield from _s14(concept)
    if concept.alt_labels or concept.hidden_labels:
        yield from _s13(concept)


def _s14(concept: Concept) -> Iterator[tuple[str, str]]:
    languages: defaultdict[str | None, list[str]] = defaultdict(list)
    for text in concept.pref_labels:
        languages[text.language].append(text.value)
    for language, values in languages.items():
        if len(values) > 1:
            listed = ", ".join(literal(value, language) for value in sorted(values))
            yield "S14", f"{len(values)} skos:prefLabel {in_language(language)}: {listed}"


def _s13(concept: Concept) -> Iterator[tuple[str, str]]:
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
                shown = literal(text.value, text.language)
                yield "S13", f"{shown} is both skos:{other} and skos:{kind}"


_ORPHAN: Final = (
    "no broader, narrower, related or mapping link; not a top concept; in no collection"
)
#: What ties a concept to others (qSKOS's "orphan concept": none of these, either way).
_LINKS: Final = (
    "broader",
    "narrower",
    "broader_partitive",
    "narrower_partitive",
    "related",
    "top_concept_of",
    "collections",
    "exact_match",
    "close_match",
    "broad_match",
    "narrow_match",
    "related_match",
)


def _is_orphan(concept: Concept) -> bool:
    return not any(getattr(concept, link) for link in _LINKS)


def _concepts(index: Index) -> Iterator[Problem]:
    """Every concept read once (each read decodes it: ``api.build.packed``): the rules about
    one concept alone, and across concepts: shared prefLabels in a scheme; top concepts with
    a broader. Labels are kept with concept ids, not concepts, so that the check does not
    hold a decoded copy of every concept at once."""
    first: dict[tuple[str, str | None, str], str] = {}
    shared: defaultdict[tuple[str, str | None, str], list[str]] = defaultdict(list)
    for concept in index.concepts.values():
        yield from (_about(index, concept, *finding) for finding in _own(concept))
        # A withdrawn concept often keeps the label of the one that replaces it.
        for scheme in () if concept.deprecated else concept.schemes:
            for text in concept.pref_labels:
                key = (scheme, text.language, text.value)
                owner = first.setdefault(key, concept.id)
                if owner != concept.id:
                    shared[key].append(concept.id)
        if concept.top_concept_of:
            yield from _top_with_broader(index, concept)
    for key, others in shared.items():
        scheme, language, value = key
        sharing = [index.concepts[id] for id in (first[key], *others)]
        yield _ambiguous(index, scheme, literal(value, language), sharing)


def _ambiguous(index: Index, scheme: str, label: str, sharing: Iterable[Concept]) -> Problem:
    first, *others = sorted(sharing, key=lambda concept: concept.iri)
    listed = ", ".join(f"<{other.iri}>" for other in others)
    where_ = index.schemes[scheme].iri if scheme in index.schemes else scheme
    message = f"skos:prefLabel {label} is also that of {listed} in the scheme <{where_}>"
    return _about(index, first, "ambiguous-pref-label", message)


def _top_with_broader(index: Index, concept: Concept) -> Iterator[Problem]:
    for scheme in concept.top_concept_of:
        for parent in concept.broader:
            above = index.concepts.get(parent)
            if above is not None and scheme in above.schemes:
                iri = index.schemes[scheme].iri if scheme in index.schemes else scheme
                message = f"a top concept of <{iri}> with a broader concept <{above.iri}> in it"
                yield _about(index, concept, "top-concept-broader", message)
