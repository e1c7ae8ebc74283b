"""``PackedConcepts``: the concepts of a real index packed into one buffer read back equal,
in the index's order, by id and by rank, through pickling (the start-up cache), and with
the memo of decoded concepts bounded."""

from __future__ import annotations

import pickle

import pyoxigraph as ox
import pytest

from api.build import packed
from api.build.index import Index, build_index
from api.build.packed import PackedConcepts
from tests.support import ROOT
from tests.support.vocabularies import generate_vocabulary

GLOSSARY = ROOT / "vocab" / "glossary.ttl"


@pytest.fixture(scope="module")
def glossary() -> Index:
    store = ox.Store()
    store.load(path=str(GLOSSARY), format=ox.RdfFormat.TURTLE)
    return build_index(store, digest="test-digest")


def test_every_concept_reads_back_whole(glossary: Index) -> None:
    concepts = glossary.concepts
    assert isinstance(concepts, PackedConcepts)
    assert list(concepts) == list(glossary.concept_order)
    for id in concepts:
        concept = concepts[id]
        assert concept.id == id
        assert glossary.concept_by_iri(concept.iri) == concept
        assert glossary.pref_labels(id) == concept.pref_labels
        rank = concepts.rank(id)
        assert rank is not None
        assert concepts.by_rank[rank] == concept
    # The distinctions, sources and notes the glossary is made of come back field for field.
    assert any(concepts[id].distinctions for id in concepts)
    assert [c.id for c in concepts.values()] == list(concepts)


def test_unknown_ids_are_not_there(glossary: Index) -> None:
    concepts = glossary.concepts
    assert "no-such-concept" not in concepts
    assert concepts.get("no-such-concept") is None
    assert concepts.rank("no-such-concept") is None
    with pytest.raises(KeyError):
        concepts["no-such-concept"]
    with pytest.raises(KeyError):
        glossary.pref_labels("no-such-concept")
    with pytest.raises(IndexError):
        concepts.by_rank[len(concepts)]


def test_pickled_and_read_back_it_is_the_same(glossary: Index) -> None:
    again = pickle.loads(pickle.dumps(glossary.concepts))
    assert list(again) == list(glossary.concepts)
    assert [again[id] for id in again] == [glossary.concepts[id] for id in again]
    # Compared by identity, as the index is: a mapping's equality would decode both whole.
    assert again != glossary.concepts
    assert len({again, glossary.concepts}) == 2


def test_the_memo_of_decoded_concepts_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packed, "MEMO", 8)
    store = ox.Store()
    store.load(generate_vocabulary(50).encode(), ox.RdfFormat.TURTLE)
    concepts = build_index(store, digest="test-digest").concepts
    first = next(iter(concepts))
    assert concepts[first] is concepts[first]  # remembered
    for id in concepts:
        concepts[id]
    assert len(concepts._memo) == 8
    assert concepts[first] == concepts[first]  # forgotten, decoded again the same
