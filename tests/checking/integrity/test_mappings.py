"""Mapping rules: S46."""

from __future__ import annotations

import pytest

from tests.checking.integrity.helpers import concepts, found


def test_s46_exact_match_is_transitive() -> None:
    turtle = concepts("a")
    turtle += "ex:a skos:exactMatch ex:x . ex:x skos:exactMatch ex:y .\n"
    turtle += "ex:a skos:narrowMatch ex:y .\n"
    turtle += "ex:a skos:closeMatch ex:y .\n"  # closeMatch is allowed
    assert found(turtle) == {("a", "S46")}


@pytest.mark.parametrize("relation", ["relatedMatch", "broadMatch"])
def test_s46_exact_match_against_each_mapping(relation: str) -> None:
    turtle = concepts("a") + f"ex:a skos:exactMatch ex:x ; skos:{relation} ex:x .\n"
    assert found(turtle) == {("a", "S46")}


def test_s46_exact_match_against_a_hierarchical_link() -> None:
    turtle = concepts("a", "b") + "ex:a skos:exactMatch ex:b ; skos:broader ex:b .\n"
    turtle += "ex:b skos:narrower ex:a .\n"
    assert found(turtle) == {("a", "S46")}
