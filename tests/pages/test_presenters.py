"""What pages compute from the read model: the spectrum, the A-Z and schema.org JSON-LD."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.model import Text
from api.pages.presenters import (
    Band,
    Letter,
    a_to_z,
    bands,
    defined_term,
    defined_term_set,
    find_spectrum,
    initial,
    literal,
)
from api.runtime.snapshot import Snapshot
from tests.support.pages import snapshot_of
from tests.support.vocabularies import COLLECTIONS, PREFIXES, SMALL

SPECTRUM = (
    PREFIXES
    + """
ex:scheme a skos:ConceptScheme ; dct:title "Spectrum"@en .
ex:to a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "to"@en .
ex:for a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "for"@en .
ex:a a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "a"@en ; skos:broader ex:to .
ex:b a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "b"@en ; skos:broader ex:to .
ex:c a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "c"@en ; skos:broader ex:for .
ex:flat a skos:OrderedCollection ; skos:prefLabel "flat"@en ;
    skos:memberList ( ex:to ex:for ex:a ex:b ex:c ex:a ) .
ex:line a skos:OrderedCollection ; skos:prefLabel "line"@en ; skos:memberList ( ex:a ex:b ex:c ) .
"""
)


@pytest.fixture(scope="module")
def spectrum(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    return snapshot_of(SPECTRUM, tmp_path_factory.mktemp("spectrum"))


def test_bands_are_runs_under_a_shared_broader_concept(spectrum: Snapshot) -> None:
    assert bands(spectrum.index, ("a", "b", "c")) == (Band("to", ("a", "b")), Band("for", ("c",)))
    assert bands(spectrum.index, ("to", "a")) == (Band(None, ("to",)), Band("to", ("a",)))


def test_a_banded_collection_beats_a_longer_flat_one(spectrum: Snapshot) -> None:
    found = find_spectrum(spectrum.index)
    assert found is not None
    assert found.collection == "line"
    assert found.grouped


def test_the_glossary_spectrum_goes_from_doing_to_to_doing_with(snapshot: Snapshot) -> None:
    found = find_spectrum(snapshot.index)
    assert found is not None
    assert found.collection == "engagement-spectrum"
    assert [band.concept for band in found.bands] == ["doing-to", "doing-for", "doing-with"]
    assert [m for band in found.bands for m in band.members] == [
        "coercion", "protection", "education", "persuasion", "information", "consultation",
        "participation", "co-production", "involvement",
    ]  # fmt: skip


def test_without_bands_the_longest_ordered_collection_is_shown_flat(tmp_path: Path) -> None:
    found = find_spectrum(snapshot_of(COLLECTIONS, tmp_path).index)
    assert found is not None
    assert found.bands == (Band(None, ("three", "two", "one")),)
    assert not found.grouped


def test_no_ordered_collection_no_spectrum(tmp_path: Path) -> None:
    assert find_spectrum(snapshot_of(SMALL, tmp_path).index) is None


@pytest.mark.parametrize(
    ("label", "heading"),
    [("consultation", "C"), ("Ŵyl", "W"), ("éclair", "E"), ("5 ways", "#"), ("  ", "#"),
     ("İstanbul", "I"), ("ßeta", "S")],
)  # fmt: skip
def test_initials_ignore_case_and_accents(label: str, heading: str) -> None:
    assert initial(label) == heading


def test_a_to_z_groups_and_orders_labels() -> None:
    labels = {"w": "Wyau", "x": "ŵyl", "y": "apple", "z": "2 things", "v": "Apple pie"}
    letters = a_to_z(labels, lambda cid: Text(labels[cid], "en"))
    assert letters == (Letter("A", ("y", "v")), Letter("W", ("w", "x")), Letter("#", ("z",)))
    assert [letter.slug for letter in letters] == ["a", "w", "other"]


def test_json_ld_nodes() -> None:
    assert literal(Text("x")) == "x"
    assert literal(Text("x", "cy")) == {"@value": "x", "@language": "cy"}
    term = defined_term("https://e.org/c", "https://s/c", Text("c", "en"), code="C1")
    assert term == {
        "@type": "DefinedTerm", "@id": "https://e.org/c", "url": "https://s/c",
        "name": {"@value": "c", "@language": "en"}, "termCode": "C1",
    }  # fmt: skip
    empty = defined_term_set("https://e.org/s", "https://s/s", None)
    assert empty == {"@type": "DefinedTermSet", "@id": "https://e.org/s", "url": "https://s/s"}
