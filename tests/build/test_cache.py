"""Pickling the read model for the start-up cache: read-only mappings and buffers survive,
frozen slotted dataclasses are rebuilt by their class, and what that would not rebuild
equal is pickled the usual way."""

from __future__ import annotations

import dataclasses
import io
import pickle
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from api.build.cache import CacheRefused, _Pickler, _view, check_ours
from api.build.files import VocabularyError
from api.build.search.postings import Postings
from api.model import Concept, Text


def round_trip(value: Any) -> Any:
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return pickle.loads(out.getvalue())


@dataclasses.dataclass(frozen=True, slots=True)
class Normalised:
    """``__post_init__`` changes what was passed: calling the class again would redo it."""

    words: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", (*self.words, "again"))


@dataclasses.dataclass(frozen=True, slots=True)
class Counted:
    name: str
    count: int = dataclasses.field(default=0, init=False)


def test_frozen_records_come_back_equal() -> None:
    concept = Concept("a", "https://x/a", ("s",), (Text("A", "en"),), notations=("1",))
    assert round_trip(concept) == concept


def test_read_only_mappings_stay_read_only() -> None:
    mapping = round_trip(MappingProxyType({"a": (1, 2)}))
    assert isinstance(mapping, MappingProxyType)
    assert mapping == {"a": (1, 2)}


def test_postings_keep_their_packed_buffer() -> None:
    postings = Postings.pack({"word": [1, 5, 9], "other": [2]})
    again = round_trip(postings)
    assert list(again.get("word")) == [1, 5, 9]
    assert again.items.format == "I"
    assert again.items.readonly


def test_a_buffer_of_another_kind_is_refused() -> None:
    with pytest.raises(pickle.UnpicklingError):
        _view(b"\0" * 8, "d")


@pytest.mark.parametrize("value", [Normalised(("a",)), Counted("x")], ids=["post-init", "init"])
def test_dataclasses_a_call_would_not_rebuild_are_pickled_as_usual(value: Any) -> None:
    assert round_trip(value) == value


def test_a_file_left_out_keeps_its_rule_and_place() -> None:
    error = VocabularyError("syntax", "bad", file=Path("v.ttl"), line=3, column=2)
    again = round_trip(error)
    assert (again.rule, again.message, again.file, again.line) == ("syntax", "bad", error.file, 3)
    assert str(again) == str(error)


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CacheRefused, match="missing"):
        check_ours(tmp_path / "nothing")
