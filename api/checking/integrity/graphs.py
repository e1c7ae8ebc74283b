"""Graph walks over string nodes (node → its successors): closures, strongly connected
components and a shortest cycle, all iterative, since hierarchies can be deep."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping


def ancestors(
    start: str, parents: Mapping[str, set[str]], cache: dict[str, frozenset[str]]
) -> frozenset[str]:
    """Every node transitively broader than ``start``; safe on cycles, memoised in ``cache``."""
    if start not in cache:
        seen: set[str] = set()
        stack = [start]
        while stack:
            fresh = parents.get(stack.pop(), set()) - seen
            seen |= fresh
            stack.extend(fresh)
        cache[start] = frozenset(seen)
    return cache[start]


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> Iterator[frozenset[str]]:
    """Tarjan's strongly connected components, iteratively (hierarchies can be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            vertex, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[vertex])
                if low[vertex] == index[vertex]:
                    yield _pop_component(vertex, stack, on_stack)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph.get(child, ()))))
            elif child in on_stack:
                low[vertex] = min(low[vertex], index[child])


def _pop_component(vertex: str, stack: list[str], on_stack: set[str]) -> frozenset[str]:
    members: set[str] = set()
    while vertex not in members:
        member = stack.pop()
        on_stack.discard(member)
        members.add(member)
    return frozenset(members)


def cycle_through(start: str, parents: Mapping[str, set[str]], within: frozenset[str]) -> list[str]:
    """A shortest path start → ... → start inside one strongly connected component."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier and start not in previous:
        following = []
        for vertex in frontier:
            for parent in sorted(parents.get(vertex, set()) & within):
                if parent not in previous:
                    previous[parent] = vertex
                    following.append(parent)
        frontier = following
    path = [start]
    while len(path) == 1 or path[-1] != start:
        path.append(previous[path[-1]])
    return path[::-1]
