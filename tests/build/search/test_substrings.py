"""The substring tier: fragments of labels, across words too."""

from __future__ import annotations

from tests.build.search.helpers import concept, hits, index_of


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
