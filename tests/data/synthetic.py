"""A generated vocabulary that passes every check, of any size, for scale tests.

Each concept has a type, scheme, English prefLabel and altLabel, a definition, and its
broader link (every concept but the root) stated together with the parent's narrower link:
about 7 triples and 570 bytes of Turtle a concept (100,000 concepts: 700,000 triples, 57 MB).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

HEADER = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/synthetic/> .

ex:scheme a skos:ConceptScheme ;
    skos:prefLabel "Synthetic vocabulary"@en ;
    dct:title "Synthetic vocabulary"@en ;
    skos:definition "A generated vocabulary for scale tests."@en ;
    dct:created "2024-01-01"^^xsd:date ;
    dct:creator <https://example.org/people/generator> ;
    dct:publisher <https://example.org/organisation> ;
    owl:versionInfo "1" ;
    skos:hasTopConcept ex:c0 .

"""
PADDING = (
    "This definition is padding written to give the file a realistic size for timing the "
    "loader, in words that read like a definition of a term in a glossary of engagement. "
) * 2
FANOUT = 10


def concept(number: int, total: int) -> str:
    """The Turtle block of concept ``number`` in a tree of ``total`` concepts."""
    lines = [
        f"ex:c{number} a skos:Concept ;",
        "    skos:inScheme ex:scheme ;",
        f'    skos:prefLabel "concept {number}"@en ;',
        f'    skos:altLabel "term {number}"@en ;',
        f'    skos:definition "Concept number {number}. {PADDING.strip()}"@en',
    ]
    parent = f"ex:c{(number - 1) // FANOUT}"
    lines.append(f"    skos:broader {parent}" if number else "    skos:topConceptOf ex:scheme")
    children = range(FANOUT * number + 1, min(FANOUT * number + FANOUT + 1, total))
    if children:
        lines.append("    skos:narrower " + ", ".join(f"ex:c{child}" for child in children))
    return " ;\n".join(lines) + " .\n\n"


def chunks(total: int) -> Iterator[str]:
    """The vocabulary's Turtle, piece by piece."""
    yield HEADER
    for number in range(total):
        yield concept(number, total)


def write(path: Path, total: int) -> Path:
    """Write a ``total``-concept vocabulary to ``path``."""
    with path.open("w", encoding="utf-8") as file:
        file.writelines(chunks(total))
    return path
