"""Collecting facts (classes through rdfs:subClassOf, blank nodes by id) and the graph walks
the rules are built on."""

from __future__ import annotations

from api.checking.facts import strongly_connected
from tests.checking.helpers import found, problems


def test_instances_of_subclasses_of_concept_are_concepts() -> None:
    turtle = "ex:Term rdfs:subClassOf ex:Word . ex:Word rdfs:subClassOf skos:Concept .\n"
    turtle += "ex:a a ex:Term ; skos:inScheme ex:s ; skos:broader ex:b .\n"
    turtle += "ex:b a skos:Concept ; skos:inScheme ex:s ; skos:narrower ex:a .\n"
    turtle += "ex:c a ex:Word .\n"
    assert found(turtle) == {("c", "in-scheme")}


def test_blank_nodes_are_named_by_their_id() -> None:
    (problem,) = problems('[] a skos:Concept ; skos:prefLabel "anonymous"@en .\n')
    assert problem.term.startswith("_:")
    assert (problem.label, problem.rule) == ("anonymous", "in-scheme")


def test_strongly_connected_components_of_a_small_graph() -> None:
    graph = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}, "e": {"a"}}
    components = set(strongly_connected(graph))
    assert components == {
        frozenset({"a", "b"}),
        frozenset({"c", "d"}),
        frozenset({"e"}),
    }
