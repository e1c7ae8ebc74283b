"""The typo tier: one edit per unknown word."""

from __future__ import annotations

from tests.build.search.helpers import concept, hits, index_of


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
