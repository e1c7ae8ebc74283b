"""Candidates, scores and ``match``: set only for an unambiguous exact label, whatever its
spelling (case, hyphens, spaces, apostrophes)."""

from __future__ import annotations

import pytest

from api.build.index import Index
from api.protocols.reconciliation.matching import (
    PropertyValue,
    Query,
    candidates,
    compact,
    similarity,
)
from api.runtime.snapshot import Snapshot
from tests.support.pages import snapshot_of
from tests.support.vocabularies import PREFIXES

#: Two concepts share the alternative label "engagement"; one has an apostrophe in its label.
SHARED = (
    PREFIXES
    + """
ex:s a skos:ConceptScheme ; dct:title "S"@en .
ex:a a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "public engagement"@en ;
    skos:altLabel "engagement"@en ; skos:definition "Talking with residents about zebras."@en .
ex:b a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "staff engagement"@en ;
    skos:altLabel "engagement"@en ; skos:broader ex:c .
ex:c a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "people's panel"@en ;
    skos:notation "PP1" .
"""
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Index:
    return snapshot_of(SHARED, tmp_path_factory.mktemp("shared")).index


def best(index: Index, text: str, **fields: object) -> tuple[str, float, bool]:
    found = candidates(index, Query(text, **fields))  # type: ignore[arg-type]
    return found[0].concept.id, found[0].score, found[0].match


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("co-production", "co-production"),
        ("coproduction", "co-production"),
        ("Co Production", "co-production"),
        ("CONSULTATION", "consultation"),
        ("citizen engagement", "community-engagement"),  # an alternative label
    ],
)
def test_an_exact_label_in_any_spelling_is_a_match(
    snapshot: Snapshot, text: str, concept: str
) -> None:
    assert best(snapshot.index, text) == (concept, 100.0, True)


def test_a_longer_phrase_offers_the_concept_without_a_match(snapshot: Snapshot) -> None:
    found = candidates(snapshot.index, Query("consultation exercise"))
    assert "consultation" in [c.concept.id for c in found]
    assert not any(c.match for c in found)
    assert 50 < found[0].score < 100


def test_a_label_two_concepts_share_is_no_match(shared: Index) -> None:
    found = candidates(shared, Query("Engagement"))
    assert {c.concept.id for c in found if c.score == 100} == {"a", "b"}
    assert not any(c.match for c in found)


def test_apostrophes_do_not_matter(shared: Index) -> None:
    assert best(shared, "people\u2019s panel") == ("c", 100.0, True)
    assert best(shared, "peoples panel") == ("c", 100.0, True)


def test_properties_that_disagree_lower_the_score_and_the_match(shared: Index) -> None:
    agree = Query("staff engagement", properties=(PropertyValue("broader", ("c",)),))
    differ = Query("staff engagement", properties=(PropertyValue("broader", ("a",)),))
    assert candidates(shared, agree)[0].match
    lowered = candidates(shared, differ)
    assert lowered[0].score < 100
    assert not any(c.match for c in lowered)
    by_notation = Query("panel", properties=(PropertyValue("notation", ("pp1",)),))
    assert candidates(shared, by_notation)[0].concept.id == "c"


def test_a_definition_alone_counts_half(shared: Index) -> None:
    (found,) = candidates(shared, Query("zebras"))
    assert found.concept.id == "a"
    assert not found.match
    assert found.score == round(50 * similarity("zebras", "publicengagement"), 1)


def test_compact_spelling_and_similarity() -> None:
    assert compact("People\u2019s  Co-Production!") == "peoplescoproduction"
    assert similarity("abc", "abc") == 1.0
    assert similarity("abc", "xyz") == 0.0


def test_candidates_are_best_first_and_within_the_limit(snapshot: Snapshot) -> None:
    found = candidates(snapshot.index, Query("co", limit=3))
    assert 0 < len(found) <= 3
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert candidates(snapshot.index, Query("")) == ()
