"""Small vocabularies for the rule tests: a scheme ``ex:s`` and concepts in it."""

from __future__ import annotations

from pyoxigraph import RdfFormat, Store

from api.checking.rules import Violation, check_integrity

EX = "https://example.org/t/"
PREFIXES = f"""\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix iso-thes: <http://purl.org/iso25964/skos-thes#> .
@prefix ex: <{EX}> .
ex:s a skos:ConceptScheme .
"""


def problems(turtle: str) -> tuple[Violation, ...]:
    store = Store()
    store.load(PREFIXES + turtle, RdfFormat.TURTLE)
    return check_integrity(store)


def found(turtle: str) -> set[tuple[str, str]]:
    """(local name, rule) of every problem."""
    return {(problem.term.removeprefix(EX), problem.rule) for problem in problems(turtle)}


def concepts(*names: str) -> str:
    return "".join(f"ex:{name} a skos:Concept ; skos:inScheme ex:s .\n" for name in names)
