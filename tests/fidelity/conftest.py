"""The vocabulary under test: every ``vocab/*.ttl`` file parsed into one rdflib graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

VOCAB = Path(__file__).resolve().parents[2] / "vocab"


@pytest.fixture(scope="session")
def glossary_graph() -> Graph:
    """The shipped vocabulary; an empty ``vocab/`` is a failure, not a skip."""
    files = sorted(VOCAB.glob("*.ttl"))
    if not files:
        pytest.fail(f"no Turtle files in {VOCAB.name}/")
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph
