"""Spellings that differ only in separators find the same label (issue 13): hyphen, space or
nothing ("co-production", "co production", "coproduction"), apostrophes and plural
possessives ("citizens' assembly", "citizen's assembly", "citizens assembly"), curly and
straight quotes; a little below the exact spelling, and above a prefix or a word hit."""

from __future__ import annotations

import pytest

from api.build.search.normalisation import joined, joins
from tests.build.search.helpers import concept, hits, index_of

GLOSSARY = index_of(
    concept("co-production", "co-production"),
    concept("co-design", "codesign"),
    concept("citizens-assembly", "citizens' assembly"),
    concept("abcd", "asset-based community development"),
    concept("coal", "coal"),
    concept("design", "design"),
    concept("aboard", "aboard"),
    concept("board", "a board game"),
)


@pytest.mark.parametrize(
    ("key", "expected", "at"),
    [
        ("co-production", "coproduction", {2}),
        ("co production", "coproduction", {2}),
        ("citizens' assembly", "citizensassembly", {8}),
        ("citizen\u2019s assembly", "citizensassembly", {7, 8}),
        ('"citizens assembly"', "citizensassembly", {0, 8, 16}),
        ("'s-hertogenbosch", "'shertogenbosch", {2}),  # a leading apostrophe is a letter's
        ("\u2019s-hertogenbosch", "'shertogenbosch", {2}),
        ("c++ & c#", "c++&c#", {3, 4}),  # other punctuation is kept
        ("wyau\u2011dwr", "wyaudwr", {4}),
        ("", "", set()),
    ],
)
def test_joined_drops_separators_and_says_where(key: str, expected: str, at: set[int]) -> None:
    assert joined(key) == expected
    assert joins(key) == at


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("coproduction", "co-production"),
        ("co production", "co-production"),
        ("Co\u2011Production", "co-production"),
        ("co-design", "co-design"),
        ("co design", "co-design"),
        ("citizens assembly", "citizens-assembly"),
        ("citizen's assembly", "citizens-assembly"),
        ("citizen\u2019s assembly", "citizens-assembly"),
        ("\u201ccitizens\u2019 assembly\u201d", "citizens-assembly"),
        ('"citizens assembly"', "citizens-assembly"),
        ("asset based community development", "abcd"),
        ("assetbased community development", "abcd"),
    ],
)
def test_a_spelling_that_differs_in_separators_finds_the_label_first(
    query: str, concept: str
) -> None:
    found = GLOSSARY.search(query)
    assert hits(found)[0] == (concept, "exact")
    assert found[0].score == 0.95  # below the exact spelling, above any prefix or word hit


def test_the_exact_spelling_still_scores_as_exact() -> None:
    (match,) = GLOSSARY.search("co-production")
    assert (match.score, match.match) == (1.0, "exact")
    assert GLOSSARY.search("codesign")[0].score == 1.0


def test_a_prefix_without_separators_serves_autocomplete() -> None:
    found = GLOSSARY.search("coprod")
    assert hits(found) == [("co-production", "prefix")]
    assert found[0].score == 0.75
    assert hits(GLOSSARY.search("citizensass")) == [("citizens-assembly", "prefix")]
    assert hits(GLOSSARY.search("asset based comm")) == [("abcd", "prefix")]


def test_an_exact_label_ranks_above_one_joined() -> None:
    found = GLOSSARY.search("aboard")
    assert hits(found)[0] == ("aboard", "exact")
    assert hits(GLOSSARY.search("a board game")) == [("board", "exact")]


def test_letters_are_never_dropped() -> None:
    """Joining drops no letter; only English plural folding does, word by word (see
    ``test_plural.py``): "citizen assembly" is the singular of "citizens' assembly", but
    "coproductions" is no spelling of "co-production", whose words are two."""
    assert joined("citizen's") == "citizens"
    assert hits(GLOSSARY.search("coproductions")) == []
    found = GLOSSARY.search("citizen assembly")
    assert hits(found) == [("citizens-assembly", "exact")]
    assert found[0].score == 0.9  # the plural tier, below the joined one


def test_lookup_stays_exact() -> None:
    """``lookup`` (what reconciliation and Skosmos use to resolve a label) is unchanged."""
    assert GLOSSARY.lookup("coproduction") == ()
    assert [m.concept for m in GLOSSARY.lookup("CO-PRODUCTION")] == ["co-production"]
