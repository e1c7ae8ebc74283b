"""Ids whose local name ends like a format suffix (issue 11): ``Econ.Theory`` is a concept's
id, not the concept ``Econ`` as ``.Theory``; a real suffix after it still chooses a format."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.data.surfaces import load, serve

pytestmark = pytest.mark.anyio

VOCABULARY = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/v/Classes.Main> a skos:ConceptScheme ;
    skos:prefLabel "Classes"@en ; skos:hasTopConcept <http://example.org/v/Econ.Theory> .
<http://example.org/v/Econ.Theory> a skos:Concept ; skos:prefLabel "Economic theory"@en ;
    skos:inScheme <http://example.org/v/Classes.Main> ;
    skos:topConceptOf <http://example.org/v/Classes.Main> .
<http://example.org/v/Econ> a skos:Concept ; skos:prefLabel "Economics"@en ;
    skos:inScheme <http://example.org/v/Classes.Main> .
"""


async def test_an_id_ending_in_letters_after_a_dot_names_its_resource(tmp_path: Path) -> None:
    file = tmp_path / "dotted.ttl"
    file.write_text(VOCABULARY, encoding="utf-8")
    async with serve(load(file)) as client:
        concept = await client.get("/concepts/Econ.Theory")
        turtle = await client.get("/concepts/Econ.Theory.ttl")
        scheme = await client.get("/schemes/Classes.Main")
        other = await client.get("/concepts/Econ.json")
        unknown = await client.get("/concepts/Econ.Nothing")
    assert concept.status_code == 200, concept.text
    assert concept.json()["id"] == "Econ.Theory"
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "Economic theory" in turtle.text
    assert scheme.json()["id"] == "Classes.Main"
    assert other.json()["id"] == "Econ"  # a real suffix still chooses the format
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
