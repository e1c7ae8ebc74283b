"""Label rules: well-formed labels, S13 (label properties disjoint), S14 (one prefLabel per
language)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

from api.checking.integrity.facts import Facts, Finding, LabelValue
from api.checking.integrity.terms import LABELS, PREF_LABEL, curie


def label_form(facts: Facts) -> Iterator[Finding]:
    """Labels are non-empty, language-tagged and without stray white space."""
    yield from facts.label_errors
    for subject, values in facts.labels.items():
        for prop, value, language in values:
            yield from _label_problems(subject, curie(prop), value, language)


def _label_problems(subject: str, prop: str, value: str, language: str | None) -> Iterator[Finding]:
    if not value.strip():
        yield subject, "label-empty", f"{prop} is empty"
    elif " ".join(value.split()) != value:
        yield subject, "label-spaces", f"{prop} {quote(value)} has stray spaces, tabs or newlines"
    if language is None:
        yield subject, "label-language", f"{prop} {quote(value)} has no language tag"


def s13_disjoint_labels(facts: Facts) -> Iterator[Finding]:
    """S13: prefLabel, altLabel and hiddenLabel are pairwise disjoint."""
    for subject, values in facts.labels.items():
        seen: dict[tuple[str, str | None], str] = {}
        for prop, value, language in sorted(values, key=_label_order):
            first = seen.setdefault((value, language), prop)
            if first != prop:
                text = _literal(value, language)
                yield subject, "S13", f"{text} is both {curie(first)} and {curie(prop)}"


def s14_one_pref_label(facts: Facts) -> Iterator[Finding]:
    """S14: at most one skos:prefLabel per language tag."""
    for subject, values in facts.labels.items():
        by_language: defaultdict[str | None, list[str]] = defaultdict(list)
        for prop, value, language in values:
            if prop == PREF_LABEL:
                by_language[language].append(value)
        for language, texts in by_language.items():
            if len(texts) > 1:
                listed = ", ".join(_literal(text, language) for text in sorted(texts))
                yield subject, "S14", f"{len(texts)} skos:prefLabel in one language: {listed}"


def _label_order(label: LabelValue) -> tuple[int, str, str]:
    prop, value, language = label
    return LABELS.index(prop), value, language or ""


def _literal(value: str, language: str | None) -> str:
    return f"{quote(value)}@{language}" if language else quote(value)


def quote(text: str) -> str:
    """``text`` in double quotes, with quotes, backslashes and line breaks escaped (as JSON)."""
    return json.dumps(text, ensure_ascii=False)
