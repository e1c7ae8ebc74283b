"""The ranking tiers in order: exact, prefix, whole words, then substrings."""

from __future__ import annotations

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
