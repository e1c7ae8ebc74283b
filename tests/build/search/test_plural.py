"""English plural folding in search (issue 13): Harman's S-stemmer on every word of an
English label and an English (or untagged) query, a tier below exact and joined hits, so
"citizens' assembly", "citizens assembly" and "citizen's assemblies" find "citizens
assemblies", and singular and plural find each other both ways. Labels in other languages
are not folded; lookup stays exact."""

from __future__ import annotations

import pytest

from api.build.search.normalisation import is_english, plural_key, singular
from api.model import Text
from tests.build.search.helpers import concept, hits, index_of

GLOSSARY = index_of(
    concept("citizens-assemblies", "citizens assemblies"),
    concept("participatory-budget", "participatory budget"),
    concept("community-organisations", "community organisations"),
    concept("policy", "policies"),
    concept("bus", "bus"),
    concept("class", "class"),
    concept("news", "news"),
    concept("new-towns", "new town"),
    concept("maison", [Text("maisons", "fr")]),
    concept("untagged", [Text("workshops")]),
    concept("british", [Text("neighbourhoods", "en-GB")]),
)


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("assemblies", "assembly"),  # "ies" -> "y"
        ("monies", "mony"),
        ("zombies", "zomby"),  # the rule is a rule: consistent, not always a word
        ("goodbyes", "goodbye"),  # "es" -> "e"
        ("classes", "classe"),  # so "classes" is not "class": conservative
        ("citizens", "citizen"),  # "s" -> ""
        ("news", "new"),  # no exception list: see the tier's rank below
        ("bus", "bus"),  # "us" stays
        ("census", "census"),
        ("class", "class"),  # "ss" stays
        ("gas", "gas"),  # three letters or fewer stay
        ("its", "its"),
        ("1990s", "1990s"),  # only words of letters
        ("assembly", "assembly"),
    ],
)
def test_harmans_rule_word_by_word(word: str, folded: str) -> None:
    assert singular(word) == folded


@pytest.mark.parametrize(
    "key",
    ["citizens' assembly", "citizens assembly", "citizen's assemblies",
     "citizen\u2019s assemblies", "citizens-assemblies", "citizen assembly"],
)  # fmt: skip
def test_plural_keys_fold_possessives_plurals_and_hyphens(key: str) -> None:
    assert plural_key(key) == "citizen assembly"


def test_other_punctuation_and_elisions_stay() -> None:
    assert plural_key("d'une") == "d'une"  # not "dune"
    assert plural_key("c++ libraries") == "c++ library"


@pytest.mark.parametrize(
    "query",
    ["citizens' assembly", "citizens assembly", "citizen's assemblies", "Citizen\u2019s Assembly",
     "citizen assembly", "citizens assemblies"],
)  # fmt: skip
def test_the_citizens_assembly_of_issue_13(query: str) -> None:
    found = GLOSSARY.search(query)
    assert hits(found)[0] == ("citizens-assemblies", "exact")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("participatory budgets", "participatory-budget"),  # plural finds singular
        ("community organisation", "community-organisations"),  # singular finds plural
        ("policy", "policy"),  # "ies" both ways
        ("new towns", "new-towns"),
        ("neighbourhood", "british"),  # en-GB is English
    ],
)
def test_singular_and_plural_find_each_other(query: str, expected: str) -> None:
    found = GLOSSARY.search(query)
    assert hits(found)[0] == (expected, "exact")
    assert found[0].score == 0.9  # below exact (1.0) and joined (0.95), above prefix (0.8)


def test_the_exact_spelling_still_ranks_first() -> None:
    found = GLOSSARY.search("news")
    assert (found[0].concept, found[0].score) == ("news", 1.0)
    found = GLOSSARY.search("new")  # "news" folds to "new": a plural hit, below exact ones
    assert ("news", "exact") in hits(found)
    assert next(m.score for m in found if m.concept == "news") == 0.9


def test_words_the_rule_keeps_find_nothing_new() -> None:
    assert hits(GLOSSARY.search("buses")) == []  # "buses" -> "buse", not "bus"
    assert "class" not in [c for c, _ in hits(GLOSSARY.search("classes"))]


def test_labels_in_other_languages_and_untagged_ones_are_not_folded() -> None:
    assert hits(GLOSSARY.search("maison", lang="fr")) == [("maison", "prefix")]
    assert hits(GLOSSARY.search("maison")) == [("maison", "prefix")]
    assert hits(GLOSSARY.search("workshop")) == [("untagged", "prefix")]
    assert "maison" not in [c for c, _ in hits(GLOSSARY.search("maisons x"))]


def test_a_query_tagged_english_is_folded() -> None:
    assert hits(GLOSSARY.search("policy", lang="en")) == [("policy", "exact")]
    assert hits(GLOSSARY.search("policy", lang="en-US")) == [("policy", "exact")]


def test_lookup_stays_exact() -> None:
    assert GLOSSARY.lookup("citizens assembly") == ()
    assert [m.concept for m in GLOSSARY.lookup("Citizens Assemblies")] == ["citizens-assemblies"]


def test_english_is_en_and_its_subtags() -> None:
    assert [is_english(t) for t in ("en", "EN", "en-GB", "en-x-y")] == [True] * 4
    assert [is_english(t) for t in (None, "", "eng", "enm", "fr", "de-en")] == [False] * 6
