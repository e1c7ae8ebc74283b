"""The rule table as a whole: clean vocabularies pass, each bad file breaks exactly its
rule, and a problem names its term, label, rule and message."""

from __future__ import annotations

import pytest

from api.build.files import load
from api.checking.integrity import Problem, check_integrity
from tests.checking.integrity.helpers import EX, concepts, problems
from tests.support import DATA


def test_the_good_vocabularies_have_no_problems() -> None:
    assert check_integrity(load([DATA / "good"]).store) == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cycle.ttl", {("a", "broader-cycle")}),
        ("two-pref-labels.ttl", {("twice", "S14")}),
        ("dangling.ttl", {("orphan", "dangling")}),
        ("s13.ttl", {("same", "S13")}),
        ("s27.ttl", {("child", "S27")}),
        ("s46.ttl", {("mapped", "S46")}),
        ("inverse.ttl", {("one-way", "inverse-stated")}),
        ("not-in-scheme.ttl", {("loose", "in-scheme")}),
        (
            "labels.ttl",
            {("labels", "label-empty"), ("labels", "label-language"), ("labels", "label-spaces")},
        ),
    ],
)
def test_each_bad_file_breaks_exactly_its_rule(name: str, expected: set[tuple[str, str]]) -> None:
    store = load([DATA / "bad" / name]).store
    got = {
        (p.term.removeprefix("https://example.org/bad/"), p.rule) for p in check_integrity(store)
    }
    assert got == expected


def test_a_problem_carries_the_english_pref_label_and_a_message() -> None:
    (problem,) = problems(
        concepts("a")
        + 'ex:a skos:prefLabel "un"@fr , "one"@en , "x"@en-GB ; skos:altLabel "one"@en .\n'
    )
    assert problem == Problem(
        f"{EX}a", "one", "S13", '"one"@en is both skos:prefLabel and skos:altLabel'
    )
