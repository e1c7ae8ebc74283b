"""Small vocabularies for the rule tests: a scheme ``ex:s`` and concepts in it."""

from __future__ import annotations

from pyoxigraph import RdfFormat, Store

from api.checking.rules import WARNINGS, Violation, check_integrity

EX = "https://example.org/t/"
PREFIXES = f"""\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix iso-thes: <http://purl.org/iso25964/skos-thes#> .
@prefix ex: <{EX}> .
ex:s a skos:ConceptScheme .
"""


def problems(turtle: str, *, quality: bool = False) -> tuple[Violation, ...]:
    """The problems of ``turtle``; the quality warnings (orphans, shared prefLabels, top
    concepts with a broader) only if ``quality``: most small test vocabularies are orphans."""
    store = Store()
    store.load(PREFIXES + turtle, RdfFormat.TURTLE)
    found = check_integrity(store)
    return found if quality else tuple(p for p in found if p.rule not in WARNINGS)


def found(turtle: str, *, quality: bool = False) -> set[tuple[str, str]]:
    """(local name, rule) of every problem."""
    return {
        (problem.term.removeprefix(EX), problem.rule)
        for problem in problems(turtle, quality=quality)
    }


def concepts(*names: str) -> str:
    return "".join(f"ex:{name} a skos:Concept ; skos:inScheme ex:s .\n" for name in names)
