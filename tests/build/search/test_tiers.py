"""The ranking tiers in order: exact, prefix, whole words, substrings (fragments of labels,
across words too), typos (one edit per unknown word), then definitions (and the stopwords
they leave out)."""

from __future__ import annotations

from api.model import Text
from tests.build.search.helpers import concept, hits, index_of

SIGNS = index_of(
    concept("sign-language", "sign language"),
    concept("road-sign", "road sign"),
    concept("co-signatory", "co-signatory"),
    concept("design", "design"),
    concept("unrelated", "weather"),
)


def test_search_tiers_prefix_then_word_then_word_start_then_substring() -> None:
    found = SIGNS.search("sign")
    assert hits(found) == [
        ("sign-language", "prefix"),
        ("road-sign", "word"),
        ("co-signatory", "substring"),
        ("design", "substring"),
    ]
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert scores[2] > scores[3]  # a match at a word start beats one inside a word


def test_search_prefix_serves_autocomplete_with_punctuation() -> None:
    index = index_of(concept("co-production", "co-production"), concept("coal", "coal"))
    assert hits(index.search("co-p")) == [("co-production", "prefix")]


def test_search_exact_beats_prefix_of_a_longer_label() -> None:
    index = index_of(concept("long", "consultation fatigue"), concept("short", "consultation"))
    assert hits(index.search("consultation")) == [("short", "exact"), ("long", "prefix")]


def test_search_substring_across_words() -> None:
    index = index_of(
        concept("ce", "community engagement"),
        concept("plan", "a community engagement plan"),
        concept("other", "city"),
    )
    assert hits(index.search("ity engag")) == [("ce", "substring"), ("plan", "substring")]
    assert hits(index.search("ity engagement pl")) == [("plan", "substring")]
    (word_start,) = index.search("community engagement p")
    (inside,) = index.search("ommunity engagement p")
    assert word_start.score > inside.score


def test_search_finds_typos() -> None:
    index = index_of(
        concept("consultation", "consultation"),
        concept("ce", "community engagement"),
        concept("other", "constellation"),
    )
    assert hits(index.search("consultaton")) == [("consultation", "typo")]
    assert hits(index.search("consulattion")) == [("consultation", "typo")]  # transposition
    assert hits(index.search("comunity engagment")) == [("ce", "typo")]


def test_search_typo_needs_a_long_enough_word() -> None:
    index = index_of(concept("cat", "cat"))
    assert index.search("cst") == ()


def test_search_definition_words_come_last() -> None:
    index = index_of(
        concept("designs", "designs"),
        concept("defined", "plans", definition="Drawings and desings of every kind."),
    )
    assert hits(index.search("desings")) == [("designs", "typo"), ("defined", "definition")]


def test_search_definition_hit_reports_the_preferred_label() -> None:
    index = index_of(concept("c", "consultation", definition="Asking people for their views."))
    (found,) = index.search("their views")
    assert (found.field, found.match, found.label) == (
        "definition",
        "definition",
        Text("consultation", "en"),
    )
    assert index.search("views of people") == ()  # every word must be in the definition


def test_very_common_definition_words_are_not_indexed_in_large_vocabularies() -> None:
    index = index_of(
        *(
            concept(f"c{i}", f"term {i}", definition=f"the usual thing number{i}")
            for i in range(1000)
        )
    )
    assert "the" in index.stopwords
    assert index.search("the") == ()
    assert [m.concept for m in index.search("the number7")] == ["c7"]
