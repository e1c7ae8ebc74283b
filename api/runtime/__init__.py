"""The loaded vocabulary as one immutable snapshot, and the holder that swaps it on reload.

A request reads ``request.state.live.snapshot`` once and uses that snapshot throughout,
so a reload never mixes two vocabularies in one response.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from starlette.requests import Request

from api.build.admission import admit
from api.build.annotator import Annotator, build_annotator
from api.build.files import LoadedVocabulary, VocabularyError, discover, load
from api.build.index import Index, build_index
from api.rdf.descriptions import Views
from api.runtime.lru import Memo

logger = logging.getLogger("api")

#: Up to this size the SPARQL workers start with the service (see :meth:`Snapshot.warm`).
EAGER_SPARQL_TRIPLES = 100_000


@dataclass(frozen=True)
class Snapshot:
    """Everything answered from one load of the vocabulary files."""

    index: Index
    vocabulary: LoadedVocabulary
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def warm(self) -> None:
        """Start the SPARQL workers ahead of the first query, when that is cheap: each
        worker holds its own copy of the store, so large vocabularies start them on demand."""
        if self.vocabulary.triple_count <= EAGER_SPARQL_TRIPLES:
            self.rdf.sparql.start()

    def close(self) -> None:
        """Stop this snapshot's SPARQL workers, if any were started (on reload)."""
        views = self.__dict__.get("rdf")
        if views is not None and "sparql" in views.__dict__:
            views.sparql.close()

    @cached_property
    def rdf(self) -> Views:
        """This snapshot's RDF serialisations and SPARQL workers, made on first use."""
        return Views(self.vocabulary.store, self.index)

    @cached_property
    def annotator(self) -> Annotator:
        """The label index of ``/annotate``, built on first use, once per snapshot."""
        return build_annotator(self.index)

    @cached_property
    def responses(self) -> Memo:
        """Prepared responses by the request facts they vary on (``renderers.respond``)."""
        return Memo()

    @cached_property
    def renderings(self) -> Memo:
        """Rendered bytes by key (concept JSON per language and base URL), once per snapshot."""
        return Memo()


def load_snapshot(paths: Sequence[Path], progress: Callable[[str], None] | None = None) -> Snapshot:
    """Parse the files and build the read model; raises :class:`VocabularyError` if bad."""
    vocabulary = load(paths, progress=progress)
    index = build_index(vocabulary.store, digest=vocabulary.digest, progress=progress)
    admit(index, vocabulary)
    return Snapshot(index=index, vocabulary=vocabulary)


class Live:
    """Holds the current snapshot; the only mutable object, replaced whole on reload."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def replace(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot


def current(request: Request) -> Snapshot:
    """The snapshot this request answers from."""
    live: Live = request.state.live
    return live.snapshot


def _fingerprint(paths: Sequence[Path]) -> tuple[tuple[str, float, int], ...]:
    try:
        files = discover(paths)
    except VocabularyError:
        return ()
    stats = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stats.append((str(path), stat.st_mtime, stat.st_size))
    return tuple(stats)


async def watch(live: Live, paths: Sequence[Path], interval: float) -> None:
    """Reload when the files change; a bad file is refused and the old snapshot kept."""
    seen = _fingerprint(paths)
    while True:
        await asyncio.sleep(interval)
        now = _fingerprint(paths)
        if now == seen:
            continue
        seen = now
        try:
            snapshot = await asyncio.to_thread(load_snapshot, paths)
        except VocabularyError as error:
            logger.error(
                "vocabulary refused, still serving digest %s: %s",
                live.snapshot.index.digest[:12],
                error,
            )
            continue
        previous = live.snapshot
        live.replace(snapshot)
        previous.close()
        snapshot.warm()
        logger.info("vocabulary reloaded: digest %s", snapshot.index.digest[:12])
