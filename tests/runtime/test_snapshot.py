"""``load_snapshot``: the read model it builds is out of the cyclic collector's reach, and a
snapshot that is replaced is freed all the same."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from api.runtime.snapshot import load_snapshot
from tests.support.vocabularies import generate_vocabulary


@pytest.fixture
def vocabulary(tmp_path: Path) -> Path:
    file = tmp_path / "synthetic.ttl"
    file.write_text(generate_vocabulary(200), encoding="utf-8")
    return file


def test_the_read_model_is_frozen_once_built(vocabulary: Path) -> None:
    gc.unfreeze()  # an earlier load in this process may have frozen objects
    snapshot = load_snapshot([vocabulary])
    index = snapshot.index
    # What the index keeps as objects: the packed concepts (each read decodes new ones,
    # which are the reader's), their preferred labels, and the search tables.
    kept = [index.concepts, index.searcher, *(index.pref_labels(i) for i in index.concepts)]
    collected = {id(o) for o in gc.get_objects()}  # the generations a collection visits
    assert len(kept) == 202
    assert not any(id(thing) in collected for thing in kept)


def test_a_dropped_snapshot_is_freed_without_the_collector(vocabulary: Path) -> None:
    # Frozen objects are freed by reference counting only: a reference cycle in a snapshot
    # would keep every replaced snapshot (each reload) for the life of the process.
    snapshot = load_snapshot([vocabulary])
    assert snapshot.index.concept_count == 200
    gc.unfreeze()
    gc.collect()  # the build's own few objects of garbage (see tests/build/test_index.py)
    del snapshot
    assert gc.collect() == 0


class Node:
    """An object that can be in a reference cycle and be watched by a weak reference."""

    other: Node | None = None


def test_garbage_made_before_the_load_is_not_frozen_with_it(vocabulary: Path) -> None:
    was_enabled = gc.isenabled()
    gc.disable()  # no automatic collection may take the cycle first
    try:
        first, second = Node(), Node()
        first.other, second.other = second, first
        watched = weakref.ref(first)
        del first, second
        load_snapshot([vocabulary])
        assert watched() is None
    finally:
        if was_enabled:
            gc.enable()
