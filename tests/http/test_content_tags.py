"""Negotiated representations are tagged by their bytes (``caching.content_tag``): a reload
that leaves a representation unchanged leaves its ETag, so a cache in front revalidates it
with a 304; one that changes it changes the tag. And every process writes the same bytes
for one snapshot (``rdf.descriptions.canonical``), so replicas agree on body and tag."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.rdf.descriptions import canonical, describe, serialise
from api.runtime.snapshot import load_snapshot
from tests.support.pages import client_for

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = (ROOT / "vocab" / "glossary.ttl").read_text(encoding="utf-8")
FORMATS = ("", ".ttl", ".jsonld", ".html", ".rdf", ".nt")


async def test_a_reload_keeps_the_tags_of_what_it_did_not_change(tmp_path: Path) -> None:
    names = ("co-design", "consultation", "doing-to")
    async with client_for(GLOSSARY, tmp_path, watch_interval=0.05) as client:
        before = {(n, f): await client.get(f"/concepts/{n}{f}") for n in names for f in FORMATS}
        digest = (await client.get("/health")).json()["digest"]
        edited = GLOSSARY.replace('"co-design"@en', '"co-design (edited)"@en', 1)
        (tmp_path / "vocabulary.ttl").write_text(edited, encoding="utf-8")
        for _ in range(600):
            if (await client.get("/health")).json()["digest"] != digest:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("not reloaded")
        kept = []
        for (name, suffix), first in before.items():
            url, tag = f"/concepts/{name}{suffix}", first.headers["etag"]
            now = await client.get(url)
            revalidated = await client.get(url, headers={"if-none-match": tag})
            if now.content == first.content:
                assert revalidated.status_code == 304, url
                assert now.headers["etag"] == tag
                kept.append(url)
            else:
                assert revalidated.status_code == 200, url
                assert revalidated.headers["etag"] != tag
    assert not [url for url in kept if "co-design" in url]  # its label changed everywhere
    assert "/concepts/doing-to.ttl" in kept  # nothing it says changed


def test_an_rdf_description_is_written_the_same_whatever_the_blank_node_names() -> None:
    """The parser names blank nodes at random: two loads of one file name them apart."""
    paths = (ROOT / "vocab",)
    iri = "https://w3id.org/engagement-glossary/concepts/consultation"
    one, two = (describe(load_snapshot(paths).store, iri) for _ in range(2))
    assert {str(t) for t in one} != {str(t) for t in two}  # the names differ...
    for fmt in ("ttl", "nt", "rdf", "jsonld"):
        assert serialise(one, fmt) == serialise(two, fmt)  # ...the bytes do not


def test_blank_nodes_are_named_by_what_they_say() -> None:
    ex = "http://example.org/"
    a, b, nested = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    p, q = ox.NamedNode(ex + "p"), ox.NamedNode(ex + "q")
    s = ox.NamedNode(ex + "s")
    triples = [
        ox.Triple(s, p, b),
        ox.Triple(s, p, a),
        ox.Triple(a, q, ox.Literal("z")),
        ox.Triple(b, q, ox.Literal("a")),
        ox.Triple(b, p, nested),
        ox.Triple(nested, q, ox.Literal("m")),
    ]
    named = canonical(triples)
    assert canonical(list(reversed(triples))) == named
    text = {str(t) for t in named}
    # By their triples' text: [p [q "m"] ; q "a"] < [q "m"] < [q "z"].
    assert '_:b0 <http://example.org/q> "a"' in text
    assert '_:b1 <http://example.org/q> "m"' in text
    assert '_:b2 <http://example.org/q> "z"' in text
    assert len(named) == len(triples)
