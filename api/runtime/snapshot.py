"""One load of the vocabulary files: the read model, the store and when it was made. Data only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from api.build.admission import admit
from api.build.files import LoadedVocabulary
from api.build.index import Index, build_index
from api.build.isolation import LoadLimits, load_isolated


@dataclass(frozen=True)
class Snapshot:
    """Everything answered from one load of the vocabulary files; never changed once made.

    What is made from it on demand (caches, the annotator, SPARQL workers) belongs to the
    :class:`~api.runtime.serving.Runtime`, not here."""

    index: Index
    vocabulary: LoadedVocabulary
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def store(self) -> ox.Store:
        """The parsed triples (read by RDF descriptions and SPARQL workers, never written)."""
        return self.vocabulary.store

    @property
    def digest(self) -> str:
        """The SHA-256 of the files' bytes: the root of every ETag."""
        return self.index.digest


def load_snapshot(
    paths: Sequence[Path],
    progress: Callable[[str], None] | None = None,
    *,
    limits: LoadLimits | None = None,
) -> Snapshot:
    """Check the files in a limited child process, parse them, build the read model and
    admit it; raises ``VocabularyError`` if bad (``limits``: the settings' defaults)."""
    vocabulary = load_isolated(paths, limits or LoadLimits(), progress)
    index = build_index(vocabulary.store, digest=vocabulary.digest, progress=progress)
    admit(index, vocabulary)
    return Snapshot(index=index, vocabulary=vocabulary)
