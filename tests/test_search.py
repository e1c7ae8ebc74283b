"""The search index: normalisation, exact lookup and the ranking tiers of search."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from api.model import Concept, LabelMatch, Text
from api.search import SearchIndex, build_search, normalise


def concept(
    id: str,
    pref: str | Sequence[Text],
    *,
    alt: Sequence[str] = (),
    hidden: Sequence[str] = (),
    definition: str | None = None,
    scheme: str = "s1",
) -> Concept:
    pref_labels = (Text(pref, "en"),) if isinstance(pref, str) else tuple(pref)
    return Concept(
        id=id,
        iri=f"http://example.org/{id}",
        schemes=(scheme,),
        pref_labels=pref_labels,
        alt_labels=tuple(Text(label, "en") for label in alt),
        hidden_labels=tuple(Text(label, "en") for label in hidden),
        definitions=(Text(definition, "en"),) if definition else (),
    )


def index_of(*concepts: Concept) -> SearchIndex:
    """A search index over ``concepts``, ranked as the index ranks them (by label)."""
    ranked = sorted(concepts, key=lambda c: (normalise(c.pref_labels[0].value), c.id))
    return build_search(ranked, ["en"] * len(ranked))


def hits(matches: Sequence[LabelMatch]) -> list[tuple[str, str]]:
    return [(match.concept, match.match) for match in matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ŵyau", "wyau"),
        ("  Community\t\nEngagement  ", "community engagement"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("ﬁeld", "field"),  # NFKD folds the ligature
        ("Café", "cafe"),
    ],
)
def test_normalise_folds_case_accents_and_spacing(text: str, expected: str) -> None:
    assert normalise(text) == expected


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


def test_search_exact_beats_prefix_of_a_longer_label() -> None:
    index = index_of(concept("long", "consultation fatigue"), concept("short", "consultation"))
    assert hits(index.search("consultation")) == [("short", "exact"), ("long", "prefix")]


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
