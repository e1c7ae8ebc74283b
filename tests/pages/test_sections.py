"""``api.pages.sections`` on a vocabulary of its own: nothing there knows the glossary."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.build.index import Index
from api.model import Text
from api.pages import sections
from tests.support.pages import snapshot_of

PAINT = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix iso-thes: <http://purl.org/iso25964/skos-thes#> .
@prefix gloss: <https://w3id.org/engagement-glossary/def/> .
@prefix : <https://example.org/paint/> .
:s a skos:ConceptScheme ; skos:prefLabel "Paint"@en .
:paint a skos:Concept ; skos:inScheme :s ; skos:prefLabel "paint"@en ;
    skos:related :red, :blue, :yellow, :brush ;
    skos:narrower :primer, :gloss ; iso-thes:narrowerPartitive :gloss, :primer .
:red a skos:Concept ; skos:inScheme :s ; skos:prefLabel "red"@en .
:blue a skos:Concept ; skos:inScheme :s ; skos:prefLabel "blue"@en .
:yellow a skos:Concept ; skos:inScheme :s ; skos:prefLabel "yellow"@en .
:brush a skos:Concept ; skos:inScheme :s ; skos:prefLabel "brush"@en .
:primer a skos:Concept ; skos:inScheme :s ; skos:prefLabel "primer"@en .
:gloss a skos:Concept ; skos:inScheme :s ; skos:prefLabel "gloss"@en .
:primaries a skos:OrderedCollection ; skos:prefLabel "primary colours"@en ;
    skos:memberList ( :red :yellow :blue ) .
:coats a skos:OrderedCollection ; skos:prefLabel "coats"@en ; skos:memberList ( :primer :gloss ) .
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    return snapshot_of(PAINT, tmp_path_factory.mktemp("paint")).index


def reference(index: Index, text: str) -> sections.Reference | None:
    return sections.reference_in(index, index.concepts["paint"], Text(text, "en"))


def test_a_counted_list_links_the_collection_of_that_size_and_word(index: Index) -> None:
    found = reference(index, "made of the three colours below")
    assert found == sections.Reference("made of the ", "three colours", " below", "primaries")
    assert reference(index, "made of the 3 colours") is not None
    assert reference(index, "made of the 4 colours") is None  # not that many
    assert reference(index, "made of the 3 brushes") is None  # not that word


def test_narrower_and_parts_that_agree_are_one_group_in_the_collection_s_order(
    index: Index,
) -> None:
    groups = sections.relation_groups(index, index.concepts["paint"])
    down = [g for g in groups if g.kind == "kinds-and-parts"]
    assert down == [sections.Group("kinds-and-parts", ("primer", "gloss"), "coats")]


def test_related_terms_are_split_by_collection_and_listed_once(index: Index) -> None:
    groups = sections.relation_groups(index, index.concepts["paint"])
    related = [(g.collection, g.members) for g in groups if g.kind == "related"]
    assert related == [("primaries", ("red", "yellow", "blue")), (None, ("brush",))]
    shown = sections.relation_groups(index, index.concepts["paint"], {"red", "yellow", "blue"})
    assert [(g.kind, g.members) for g in shown if g.kind == "related"] == [("related", ("brush",))]


def test_a_place_names_the_neighbours(index: Index) -> None:
    (place,) = sections.places(index, index.concepts["yellow"])
    assert (place.collection, place.position, place.previous, place.following) == (
        "primaries", 1, "red", "blue",
    )  # fmt: skip


def test_nothing_is_found_in_a_vocabulary_without_collections(tmp_path: Path) -> None:
    bare = PAINT.split(":primaries")[0]
    index = snapshot_of(bare, tmp_path).index
    assert reference(index, "made of the three colours") is None
    assert sections.places(index, index.concepts["red"]) == ()
