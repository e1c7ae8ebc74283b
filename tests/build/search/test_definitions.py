"""The definition tier, last, and the stopwords it leaves out."""

from __future__ import annotations

from api.model import Text
from tests.build.search.helpers import concept, hits, index_of


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
