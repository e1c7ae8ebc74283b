"""Label rules: S13, S14 and well-formed labels."""

from __future__ import annotations

import pytest

from tests.checking.integrity.helpers import concepts, found, problems


def test_s13_alt_and_hidden_labels_are_disjoint_too() -> None:
    turtle = concepts("a") + 'ex:a skos:prefLabel "a"@en ; skos:altLabel "b"@en ; '
    turtle += 'skos:hiddenLabel "b"@en , "a"@cy .\n'
    assert found(turtle) == {("a", "S13")}


def test_s13_compares_language_tags() -> None:
    turtle = concepts("a") + 'ex:a skos:prefLabel "a"@en ; skos:altLabel "a"@cy .\n'
    assert found(turtle) == set()


def test_s14_one_pref_label_per_language_but_many_languages() -> None:
    ok = concepts("a") + 'ex:a skos:prefLabel "a"@en , "a"@cy , "b"@fr .\n'
    assert found(ok) == set()
    (problem,) = problems(concepts("b") + 'ex:b skos:prefLabel "x"@cy , "y"@cy .\n')
    assert (problem.rule, problem.message) == (
        "S14",
        '2 skos:prefLabel in one language: "x"@cy, "y"@cy',
    )


def test_labels_must_be_literals() -> None:
    turtle = concepts("a") + 'ex:a skos:prefLabel "a"@en ; skos:altLabel ex:b .\n'
    assert found(turtle) == {("a", "label-literal")}


@pytest.mark.parametrize("label", ['" lead"@en', '"trail "@en', '"tab\\there"@en', '"a\\nb"@en'])
def test_stray_white_space_in_labels_is_reported(label: str) -> None:
    turtle = concepts("a") + f'ex:a skos:prefLabel "a"@en ; skos:altLabel {label} .\n'
    assert found(turtle) == {("a", "label-spaces")}


def test_label_messages_stay_on_one_line() -> None:
    (problem,) = problems(concepts("a") + 'ex:a skos:prefLabel "a\\nb"@en .\n')
    assert problem.message == r'skos:prefLabel "a\nb" has stray spaces, tabs or newlines'
    assert problem.label == "a\nb"
