"""Watching the vocabulary files: a changed, admissible vocabulary is swapped in whole."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

from api.build.files import VocabularyError, discover
from api.runtime.serving import Runtime
from api.runtime.snapshot import load_snapshot

logger = logging.getLogger("api")


def fingerprint(paths: Sequence[Path]) -> tuple[tuple[str, float, int], ...]:
    """What changes when a file does: each file's path, modification time and size."""
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


async def watch(runtime: Runtime, paths: Sequence[Path], interval: float) -> None:
    """Reload when the files change; a bad file is refused and the old snapshot kept."""
    seen = fingerprint(paths)
    while True:
        await asyncio.sleep(interval)
        now = fingerprint(paths)
        if now == seen:
            continue
        seen = now
        try:
            snapshot = await asyncio.to_thread(load_snapshot, paths)
        except VocabularyError as error:
            logger.error(
                "vocabulary refused, still serving digest %s: %s",
                runtime.snapshot.digest[:12],
                error,
            )
            continue
        runtime.swap(snapshot)
        logger.info("vocabulary reloaded: digest %s", snapshot.digest[:12])
