"""Graph walks the rules are built on."""

from __future__ import annotations

from api.checking.integrity import strongly_connected


def test_strongly_connected_components_of_a_small_graph() -> None:
    graph = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}, "e": {"a"}}
    components = set(strongly_connected(graph))
    assert components == {
        frozenset({"a", "b"}),
        frozenset({"c", "d"}),
        frozenset({"e"}),
    }
