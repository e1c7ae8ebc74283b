"""One load of the vocabulary files: the read model, the store and when it was made. Data only."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from api.build import cache
from api.build.admission import Problems, admit, summary
from api.build.files import LoadedVocabulary
from api.build.index import Index, build_index
from api.build.isolation import LoadLimits, load_isolated
from api.build.remote import Endpoint, load_endpoint


@dataclass(frozen=True)
class Snapshot:
    """Everything answered from one load of the vocabulary files; never changed once made.

    What is made from it on demand (caches, the annotator, SPARQL workers) belongs to the
    :class:`~api.runtime.serving.Runtime`, not here."""

    index: Index
    vocabulary: LoadedVocabulary
    #: What is wrong with the vocabulary (served all the same; see ``api.build.admission``).
    problems: Problems
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: Seconds the load took, from the files' check to admission (a metric at /metrics).
    load_seconds: float = 0.0
    #: The thread writing this load to the start-up cache, if one is (``api.build.cache``);
    #: a process that forks waits for it first (a fork copies only the forking thread).
    cache_writer: threading.Thread | None = field(default=None, compare=False, repr=False)
    #: The start-up cache's entry this load is read from or written to, if any.
    cache_entry: Path | None = None

    def wait_for_cache(self, timeout: float | None = None) -> None:
        """Return once this load is written to the start-up cache (or was not to be)."""
        if self.cache_writer is not None:
            self.cache_writer.join(timeout)

    def store_on_disk(self) -> Path | None:
        """The store as an on-disk store SPARQL workers can open read-only, once there is
        one: the start-up cache's (waiting for it to be written after a cold load), or
        ``None`` without a cache or if writing it failed."""
        if self.vocabulary.store_path is not None:
            return self.vocabulary.store_path
        self.wait_for_cache()
        if self.cache_entry is None or not cache.is_written(self.cache_entry):
            return None
        return cache.store_of(self.cache_entry)

    @property
    def store(self) -> ox.Store:
        """The triples (read by RDF descriptions and SPARQL workers, never written): parsed
        into memory, or, on a warm start, the start-up cache's on-disk store, read-only."""
        return self.vocabulary.store

    @property
    def digest(self) -> str:
        """The SHA-256 of the files' bytes, or of a store's triples (``api.build.digest``):
        the root of every ETag."""
        return self.index.digest


def load_snapshot(
    paths: Sequence[Path] | Endpoint,
    progress: Callable[[str], None] | None = None,
    *,
    limits: LoadLimits | None = None,
    previous: Snapshot | None = None,
) -> Snapshot:
    """Check the files in a limited child process, parse them, build the read model and
    admit it; raises ``VocabularyError`` if nothing can be served, or, with ``limits.strict``,
    if anything is wrong (``limits``: the settings' defaults). A file that cannot be read
    beside others that can is left out and listed among the problems, unless strict.

    With ``limits.cache_dir``, files loaded before with the same bytes, settings and code
    are not checked, parsed or built again: the read model and an on-disk store are read
    from the start-up cache (``api.build.cache``), and a cold load is written there after.

    On reload (``previous``: the snapshot served), a file that fails and did not fail before
    refuses the new version, so that a bad edit keeps the old data served.

    ``paths`` may be a SPARQL :class:`~api.build.remote.Endpoint` instead: its triples are
    read in pages (``api.build.remote``), then built and admitted as the files' would be."""
    limits = limits or LoadLimits()
    started = time.monotonic()
    entry = None
    if limits.cache_dir is not None and not isinstance(paths, Endpoint):
        entry = cache.entry_for(limits.cache_dir, paths, limits.affecting_the_load())
        with _frozen_when_built():
            warm = cache.load(entry, progress)
        if warm is not None:
            _refuse_new_failures(warm.vocabulary, previous)
            seconds = time.monotonic() - started
            found = warm.index, warm.vocabulary, warm.problems
            return Snapshot(*found, load_seconds=seconds, cache_entry=entry.path)
    if isinstance(paths, Endpoint):
        vocabulary = load_endpoint(paths, progress)
    else:
        vocabulary = load_isolated(paths, limits, progress, keep_going=not limits.strict)
    _refuse_new_failures(vocabulary, previous)
    with _frozen_when_built():
        index = build_index(
            vocabulary.store,
            digest=vocabulary.digest,
            progress=progress,
            default_language=limits.default_language,
            files=vocabulary.files,
        )
        problems = admit(index, vocabulary, strict=limits.strict)
    if progress is not None:
        for line in summary(problems):
            progress(line)
    seconds = time.monotonic() - started
    if entry is None:
        return Snapshot(index, vocabulary, problems, load_seconds=seconds)
    writing = cache.save_in_background(entry, index, problems, vocabulary, progress)
    return Snapshot(
        index,
        vocabulary,
        problems,
        load_seconds=seconds,
        cache_writer=writing,
        cache_entry=entry.path,
    )


def _refuse_new_failures(vocabulary: LoadedVocabulary, previous: Snapshot | None) -> None:
    """On reload, raise the error of a file that fails now and did not fail before."""
    if previous is None:
        return
    failed_before = {error.file for error in previous.vocabulary.refused}
    for error in vocabulary.refused:
        if error.file not in failed_before:
            raise error


@contextmanager
def _frozen_when_built() -> Iterator[None]:
    """Keep the cyclic collector off while the read model is built and admitted, then move
    everything built out of its reach (``gc.freeze``). The build allocates millions of
    objects with the collector off; the first collections after it (in admission, say)
    would walk all of them, once per generation: 0.3 s at 100,000 concepts. Frozen objects
    are still freed by reference counting, and a snapshot holds no reference cycles, so a
    replaced snapshot is freed all the same."""
    gc.collect()  # what was made before (imports, the check) is not frozen with it: ~0.01 s
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
