"""Lists as people browse them: natural notation order, withdrawn concepts left out."""

from __future__ import annotations

import pytest

from api.payloads.listings import Browse, Listing, notation_key
from api.runtime.snapshot import Snapshot, load_snapshot
from tests.data.surfaces import CLASSIFICATION, SKOSMOS, load

#: Skosmos's test-notation-sort.ttl, in the natural order Skosmos sorts it by notation.
SKOSMOS_NATURAL = ["33.01", "33.02", "33.1", "33.2", "33.9", "33.10", "33.90", "K2"]


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [("1.2", "1.10"), ("1.9", "1.10"), ("1", "1.1"), ("33.01", "33.1"), ("33.02", "33.1"),
     ("33.2", "33.10"), ("A9", "a10"), ("99", "K2"), ("1a", "1b")],
)  # fmt: skip
def test_notations_sort_naturally(smaller: str, larger: str) -> None:
    assert notation_key(smaller) < notation_key(larger)


@pytest.fixture(scope="module")
def classification() -> Snapshot:
    return load(CLASSIFICATION)


def test_withdrawn_concepts_are_left_out_unless_asked_for(classification: Snapshot) -> None:
    browse = Browse(classification.index)
    assert browse.withdrawn == {"c1-1", "c3"}
    listed = browse.concepts(Listing())
    assert "c1-1" not in listed
    assert "c3" not in listed
    assert set(browse.concepts(Listing(include_deprecated=True))) == set(
        classification.index.concepts
    )
    assert browse.top_concepts("scheme") == ("c2", "c1")  # Alchemy (withdrawn) left out


def test_a_classification_lists_by_notation(classification: Snapshot) -> None:
    by_notation = Browse(classification.index).concepts(Listing(sort="notation"))
    notations = [classification.index.concepts[i].notations[0] for i in by_notation]
    assert notations == ["1", "1.2", "1.9", "1.10", "2"]


def test_skosmos_notation_sort_file_in_natural_order() -> None:
    snapshot = load_snapshot((SKOSMOS / "test-notation-sort.ttl",))
    index = snapshot.index
    ids = Browse(index).concepts(Listing(include_deprecated=True, sort="notation"))
    notations = [index.concepts[i].notations[0] for i in ids if index.concepts[i].notations]
    assert [n for n in notations if n in SKOSMOS_NATURAL] == SKOSMOS_NATURAL


def test_languages_are_counted_most_used_first(classification: Snapshot) -> None:
    assert Browse(classification.index).languages == ("en", "fi", "sv")


def test_what_forked_workers_would_each_make_is_made_at_start(classification: Snapshot) -> None:
    # Made in a forked worker, each of these read every concept id there and so unshared
    # tens of MB of the inherited read model (docs/deployment.md, "Memory"): the lists'
    # ranks are made by ``start`` (before ``--workers`` forks), the concept order once.
    browse = Browse(classification.index)
    browse.start()
    assert {"rank", "withdrawn", "languages"} <= vars(browse).keys()
    index = classification.index
    assert index.concept_ids() is index.concept_ids() is index.concept_order
