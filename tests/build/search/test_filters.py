"""Search and lookup filters of issue 11: languages by RFC 4647 (untagged labels answer any
``lang``), deprecated concepts left out of search but not of lookup, notations as keys."""

from __future__ import annotations

import dataclasses

import pytest

from api.model import Text
from tests.build.search.helpers import concept, hits, index_of

NEIGHBOURS = index_of(
    concept("plain", [Text("Neighbour", "en"), Text("Cymydog", "cy")]),
    concept("british", [Text("Neighbourhood", "en-GB")]),
    concept("untagged", [Text("Neighbourliness")]),
    concept("welsh", [Text("Cymdogaeth", "cy")]),
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en-GB", {"plain", "british", "untagged"}),  # en-GB falls back to en
        ("en", {"plain", "british", "untagged"}),  # en takes en-GB
        ("en-US", {"plain", "untagged"}),  # a sibling is not British English
        ("cy", {"untagged"}),  # no Welsh label starts "neighbour"; never an English one
        ("fr", {"untagged"}),  # an untagged label answers any language
        (None, {"plain", "british", "untagged"}),
    ],
)
def test_search_language_filter_is_rfc_4647(lang: str | None, expected: set[str]) -> None:
    assert {m.concept for m in NEIGHBOURS.search("neighbour", lang=lang)} == expected


def test_lookup_language_filter_falls_back_and_keeps_untagged_labels() -> None:
    assert [m.concept for m in NEIGHBOURS.lookup("neighbour", lang="en-GB")] == ["plain"]
    assert [m.concept for m in NEIGHBOURS.lookup("neighbourhood", lang="en")] == ["british"]
    assert [m.concept for m in NEIGHBOURS.lookup("neighbourliness", lang="cy")] == ["untagged"]
    assert NEIGHBOURS.lookup("neighbour", lang="cy") == ()
    assert NEIGHBOURS.lookup("neighbourliness", lang="cy")[0].label == Text("Neighbourliness")


WITHDRAWN = index_of(
    dataclasses.replace(concept("old", "Fishing boats", definition="Vessels."), deprecated=True),
    concept("new", "Fishing vessels", definition="Vessels for fishing."),
)


def test_search_leaves_deprecated_concepts_out_unless_asked() -> None:
    assert hits(WITHDRAWN.search("fishing")) == [("new", "prefix")]
    assert hits(WITHDRAWN.search("vessels")) == [("new", "word")]
    found = WITHDRAWN.search("fishing", include_deprecated=True)
    assert {m.concept for m in found} == {"old", "new"}
    assert {m.concept for m in WITHDRAWN.search("vessels", include_deprecated=True)} == {
        "old",
        "new",
    }


def test_search_definition_tier_leaves_deprecated_concepts_out() -> None:
    index = index_of(
        dataclasses.replace(concept("old", "Trawlers", definition="Boats."), deprecated=True),
    )
    assert index.search("boats") == ()
    assert hits(index.search("boats", include_deprecated=True)) == [("old", "definition")]


def test_lookup_finds_deprecated_concepts() -> None:
    assert [m.concept for m in WITHDRAWN.lookup("fishing boats")] == ["old"]


CLASSIFICATION = index_of(
    dataclasses.replace(concept("carp", "Carp"), notations=("33.1",)),
    dataclasses.replace(concept("tuna", "Tuna"), notations=("33.01", "T-1"), deprecated=True),
    concept("code", "33.1 and more"),
    concept("label", "T-1"),
)


def test_search_ranks_an_exact_notation_first() -> None:
    found = CLASSIFICATION.search("33.1")
    assert hits(found)[0] == ("carp", "notation")
    assert found[0].field == "notation"
    assert found[0].label == Text("Carp", "en")
    assert found[0].score == 1.0
    assert hits(found)[1] == ("code", "prefix")


def test_search_notation_beats_an_exact_label_and_skips_deprecated() -> None:
    assert hits(CLASSIFICATION.search("t-1")) == [("label", "exact")]
    assert hits(CLASSIFICATION.search("T-1", include_deprecated=True)) == [
        ("tuna", "notation"),
        ("label", "exact"),
    ]


def test_lookup_notation_is_exact_ignoring_case_and_finds_deprecated() -> None:
    assert [m.concept for m in CLASSIFICATION.lookup_notation("33.01")] == ["tuna"]
    assert [m.concept for m in CLASSIFICATION.lookup_notation(" t-1 ")] == ["tuna"]
    assert CLASSIFICATION.lookup_notation("33") == ()
    assert CLASSIFICATION.lookup_notation("33.1", scheme="other") == ()
    # A notation is not a label: a label lookup does not find it.
    assert CLASSIFICATION.lookup("33.01") == ()
