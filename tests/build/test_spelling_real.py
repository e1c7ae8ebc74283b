"""Forgiving spellings on real vocabularies (issue 13): UNESCO (en/fr/es/ru) and STW (de/en)
served together. Their hyphenated labels are found written with a space or solid, and
nothing gets noisier: exact labels still rank first, and annotating the vocabularies' own
definitions and scope notes adds only a handful of separator variants (16 of about 5,000
occurrences when written, each reviewed: "decision-making" for "decision making",
"catch up" for "catch-up", "worker's" for "workers'"), never a French elision ("d'une" is not
"Dune"). English plural folding (Harman's S-stemmer) finds 215 by folding (4,961
occurrences before, 5,152 after), singular and plural of English labels ("developing
country" for "Developing countries", "bonds" for "Bond"), and never a one-word singular
for a plural label ("economic" is not "Economics")."""

from __future__ import annotations

import random
import re

import pytest

from api.build.annotator import annotate, build_annotator, keys
from api.build.files import load
from api.build.index import Index, build_index
from api.build.search.normalisation import is_english, joined, normalise, plural_key
from tests.support import ROOT

REAL = ROOT.parent / "shared" / "vocabularies"
HYPHENATED = re.compile(r"^[^\W\d_]{3,}-[^\W\d_]{3,}$")


@pytest.fixture(scope="module")
def both() -> Index:
    vocabulary = load([REAL / "unesco" / "unesco-thesaurus.ttl", REAL / "stw" / "stw-skos.ttl"])
    return build_index(vocabulary.store, digest=vocabulary.digest, files=vocabulary.files)


@pytest.mark.slow
def test_exact_labels_still_rank_first(both: Index) -> None:
    labels = [
        (c.id, t.value) for c in both.concepts.values() if not c.deprecated for t in c.pref_labels
    ]
    for concept, label in random.Random(5).sample(labels, 400):
        first = both.search(label, limit=5)[0]
        assert first.score == 1.0
        assert first.match in ("exact", "notation"), (concept, label)


@pytest.mark.slow
def test_hyphenated_labels_are_found_spaced_and_solid(both: Index) -> None:
    hyphenated = [
        (c.id, t.value)
        for c in both.concepts.values()
        for t in c.pref_labels + c.alt_labels
        if HYPHENATED.match(t.value) and not c.deprecated
    ]
    assert len(hyphenated) > 100
    missed = []
    for concept, label in hyphenated:
        for spelling in (label.replace("-", " "), label.replace("-", "")):
            if concept not in [m.concept for m in both.search(spelling, limit=5)]:
                missed.append(spelling)
    assert missed == []


@pytest.mark.slow
def test_annotating_the_vocabularies_own_text_gets_no_noisier(both: Index) -> None:
    annotator = build_annotator(both)
    forgiven, folded, total = [], [], 0
    for concept in both.concepts.values():
        for note in concept.definitions + concept.scope_notes:
            for o in annotate(annotator, note.value, lang=note.language or None):
                total += 1
                assert note.value[o.start : o.end] == o.text
                if joined(normalise(o.text)) != joined(normalise(o.label.value)):
                    folded.append((o.text.lower(), o.label.value))
                    assert is_english(o.label.language)
                    assert is_english(note.language)
                elif keys(o.text) != keys(o.label.value):
                    forgiven.append((o.text, o.label.value))
    assert total > 4000
    assert len(forgiven) <= 20, forgiven
    assert not [text for text, _ in forgiven if re.search(r"\w'\w\w", text)]
    assert 150 <= len(folded) <= 250, len(folded)  # 215 when written, of 5,152
    assert ("developing country", "Developing countries") in folded
    false_friends = {"economic", "well", "new", "single", "aid", "these", "human", "genetic"}
    assert not [text for text, _ in folded if text in false_friends]


@pytest.mark.slow
def test_english_labels_are_found_in_the_other_number(both: Index) -> None:
    """Multi-word English labels with a plural last word, searched in the singular."""
    plural = sorted(
        (c.id, t.value)
        for c in both.concepts.values()
        for t in c.pref_labels
        if is_english(t.language) and " " in t.value and not c.deprecated
        and plural_key(normalise(t.value)) != normalise(t.value).replace("-", " ")
    )  # fmt: skip
    assert len(plural) > 300
    missed = []
    for concept, label in random.Random(7).sample(plural, 200):
        singular = plural_key(normalise(label))
        if concept not in [m.concept for m in both.search(singular, limit=5)]:
            missed.append(singular)
    assert missed == []
