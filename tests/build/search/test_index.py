"""The search index as a whole: exact lookup, one hit per concept, filters and limits."""

from __future__ import annotations

from api.model import Text
from tests.build.search.helpers import concept, hits, index_of

TERMS = index_of(
    concept("pref", "term"),
    concept("alt", "alpha", alt=["Term"]),
    concept("hidden", "beta", hidden=["TERM"]),
)


def test_lookup_orders_pref_then_alt_then_hidden() -> None:
    found = TERMS.lookup("term")
    assert [(m.concept, m.label_type) for m in found] == [
        ("pref", "prefLabel"),
        ("alt", "altLabel"),
        ("hidden", "hiddenLabel"),
    ]
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_lookup_is_exact_not_prefix() -> None:
    assert TERMS.lookup("ter") == ()
    assert TERMS.lookup("terms") == ()


def test_lookup_ignores_case_accents_and_spacing() -> None:
    index = index_of(concept("eggs", [Text("Ŵyau", "cy"), Text("eggs", "en")]))
    assert [m.concept for m in index.lookup("wyau")] == ["eggs"]
    assert [m.concept for m in index.lookup("  WYAU ")] == ["eggs"]
    assert index.lookup("wyau")[0].label == Text("Ŵyau", "cy")


def test_search_exact_tier_keeps_label_type_order() -> None:
    assert hits(TERMS.search("TERM")) == [
        ("pref", "exact"),
        ("alt", "exact"),
        ("hidden", "exact"),
    ]


def test_search_gives_one_hit_per_concept_its_best() -> None:
    index = index_of(concept("c", "consultation", alt=["consultation process", "consult"]))
    assert hits(index.search("consultation")) == [("c", "exact")]
    (found,) = index.search("consul")
    assert (found.match, found.label_type) == ("prefix", "prefLabel")


WELSH = index_of(
    concept("ymgysylltu", [Text("Ymgysylltu", "cy"), Text("engagement", "en-GB")], scheme="s2"),
    concept("engagement-plan", "engagement plan"),
)


def test_search_language_filter() -> None:
    assert hits(WELSH.search("ymg", lang="cy")) == [("ymgysylltu", "prefix")]
    assert WELSH.search("ymg", lang="en") == ()
    assert [m.concept for m in WELSH.search("engagement", lang="en")] == [
        "ymgysylltu",  # "en" covers "en-GB"
        "engagement-plan",
    ]
    assert WELSH.lookup("engagement", lang="EN-gb")[0].label == Text("engagement", "en-GB")


def test_search_scheme_filter() -> None:
    assert [m.concept for m in WELSH.search("engagement", scheme="s2")] == ["ymgysylltu"]
    assert [m.concept for m in WELSH.search("engagement", scheme="s1")] == ["engagement-plan"]
    assert WELSH.search("engagement", scheme="nope") == ()


def test_search_limit_and_empty_queries() -> None:
    index = index_of(*(concept(f"c{i}", f"common term {i}") for i in range(30)))
    assert len(index.search("common")) == 20
    assert len(index.search("common", limit=5)) == 5
    assert index.search("common", limit=0) == ()
    assert index.search("   ") == ()
    assert index.search("!!!") == ()


def test_search_is_accent_insensitive() -> None:
    assert [m.concept for m in WELSH.search("ŶMG")] == ["ymgysylltu"]
