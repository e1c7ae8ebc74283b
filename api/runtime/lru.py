"""A bounded memo of rendered values, owned by one snapshot and dropped with it on reload.

Rendering a concept's JSON costs far more than serving it, and the result depends only on
the snapshot and a few request facts (language preference, base URL), so it is computed
once per key. The bound keeps hostile variety (endless Accept-Language values) from
growing memory: when full, the oldest entry goes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

T = TypeVar("T")

#: Entries kept per snapshot; a concept's JSON is a few kilobytes, so about 20 MB at most.
DEFAULT_CAPACITY = 4096


class Memo:
    """Computed values by key, at most ``capacity`` of them, safe to share between threads."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._capacity = capacity
        self._values: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key``, computing (outside the lock) and keeping it when new.

        Callers put the kind of value first in ``key`` so that one key always maps to one type.
        """
        value = self._values.get(key)
        if value is not None:
            return cast(T, value)
        value = compute()
        self.put(key, value)
        return value

    def peek(self, key: Hashable) -> Any:
        """The value kept for ``key``, or ``None``; for values computed asynchronously."""
        return self._values.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for ``key``, dropping the oldest entry when full."""
        with self._lock:
            if len(self._values) >= self._capacity:
                self._values.pop(next(iter(self._values)))
            self._values[key] = value
