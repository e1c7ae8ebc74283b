"""Structural rules: inverses, scheme membership, dangling references, S9 and S37."""

from __future__ import annotations

from tests.checking.integrity.helpers import EX, concepts, found, problems


def test_inverse_stated_both_ways_for_narrower_and_top_concepts() -> None:
    turtle = concepts("a", "b", "t") + "ex:a skos:narrower ex:b .\n"
    turtle += "ex:t skos:topConceptOf ex:s .\n"
    turtle += "ex:s skos:hasTopConcept ex:a .\n"
    assert found(turtle) == {
        ("a", "inverse-stated"),  # narrower without broader
        ("t", "inverse-stated"),  # topConceptOf without hasTopConcept
        ("s", "inverse-stated"),  # hasTopConcept without topConceptOf
    }


def test_top_concept_of_places_a_concept_in_its_scheme() -> None:
    turtle = "ex:a a skos:Concept ; skos:topConceptOf ex:s . ex:s skos:hasTopConcept ex:a .\n"
    turtle += "ex:b a skos:Concept .\n"
    assert found(turtle) == {("b", "in-scheme")}


def test_dangling_references_name_the_class_expected() -> None:
    turtle = concepts("a") + "ex:c a skos:Collection ; skos:member ex:a , ex:nothing .\n"
    turtle += "ex:a skos:related ex:s ; skos:inScheme ex:elsewhere .\n"
    messages = {p.message for p in problems(turtle) if p.rule == "dangling"}
    assert messages == {
        f"skos:member <{EX}nothing> is not a skos:Collection or skos:Concept or "
        "skos:OrderedCollection here",
        f"skos:related <{EX}s> is not a skos:Concept here",
        f"skos:inScheme <{EX}elsewhere> is not a skos:ConceptScheme here",
    }


def test_mappings_may_point_outside_the_loaded_data() -> None:
    turtle = concepts("a") + "ex:a skos:exactMatch <https://other.example/x> ; "
    turtle += "skos:broadMatch <https://other.example/y> .\n"
    assert found(turtle) == set()


def test_s9_and_s37_disjoint_classes() -> None:
    turtle = "ex:both a skos:Concept , skos:ConceptScheme ; skos:inScheme ex:s .\n"
    turtle += "ex:group a skos:Collection , skos:Concept ; skos:inScheme ex:s .\n"
    assert found(turtle) == {("both", "S9"), ("group", "S37")}
