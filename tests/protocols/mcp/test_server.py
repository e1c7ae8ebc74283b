"""``api.protocols.mcp.server``: what building the MCP server reads of the snapshot."""

from __future__ import annotations

from pathlib import Path

from api.protocols.mcp import server
from api.protocols.mcp.server import concept_namespaces
from api.runtime.serving import Runtime
from api.runtime.snapshot import Snapshot
from api.settings import Settings
from api.workers import Supervisor
from tests.support.pages import snapshot_of

OTHER = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/other/s> a skos:ConceptScheme ; skos:prefLabel "S"@en .
<http://example.org/other/c> a skos:Concept ; skos:inScheme <http://example.org/other/s> ;
    skos:prefLabel "C"@en ; skos:topConceptOf <http://example.org/other/s> .
"""


def test_the_namespaces_are_found_once_per_snapshot(snapshot: Snapshot, tmp_path: Path) -> None:
    # Walking the concepts writes their reference counts: a forked worker that walked them
    # would copy every page of them, so the walk happens once and later builds read it.
    first = concept_namespaces(snapshot.index)
    assert first == ("https://w3id.org/engagement-glossary/concepts/",)
    assert concept_namespaces(snapshot.index) is first
    other = snapshot_of(OTHER, tmp_path)
    assert concept_namespaces(other.index) == ("http://example.org/other/",)
    # Only the snapshot served last is kept, by digest: no old index is held after a reload.
    assert list(server._known) == [other.index.digest]


def test_the_supervisor_finds_them_before_forking(snapshot: Snapshot) -> None:
    server._known.clear()
    supervisor = Supervisor(Settings(), Runtime(snapshot), sock=None, count=1)  # type: ignore[arg-type]
    supervisor._shared()
    assert snapshot.index.digest in server._known
