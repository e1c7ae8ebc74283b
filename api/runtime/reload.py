"""Watching the vocabulary's source: a changed, admissible vocabulary is swapped in whole.

A reload never loses good data: whatever goes wrong (a refused file, a child process killed
at its memory or time limit, any exception) is logged once, recorded for ``/health``, and the
old snapshot kept; the watcher keeps watching. A vocabulary that drops more than
``max_shrink`` of the concepts is held back the same way, until the operator sends
``SIGHUP`` (which reloads now, accepting any size) or restarts the service.

Files are watched by their modification times and sizes; a SPARQL endpoint by its
``source_poll_query`` (:func:`api.build.remote.poll`), or, without one, by reading it whole
at every interval and swapping only a new digest. A store that does not answer the poll is
a failed reload like any other: recorded, the old snapshot kept, tried again next interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from api.build.files import VocabularyError, discover
from api.build.isolation import LoadLimits
from api.build.positions import describe, where
from api.build.remote import Endpoint, poll
from api.runtime.serving import Runtime
from api.runtime.snapshot import Snapshot, load_snapshot
from api.settings import Settings

logger = logging.getLogger("api")


Source = Sequence[Path] | Endpoint
"""Where the vocabulary is read from: files and folders, or a SPARQL endpoint."""


def source_of(settings: Settings) -> Source:
    """The source the settings name: the ``vocab`` files, or the ``source`` endpoint."""
    return settings.vocab if settings.source == "files" else Endpoint.from_settings(settings)


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


class Reloader:
    """Loads the files again and swaps them in, or records why not; never raises."""

    def __init__(
        self, runtime: Runtime, paths: Source, limits: LoadLimits, max_shrink: float
    ) -> None:
        self.runtime = runtime
        self.paths: Source = paths if isinstance(paths, Endpoint) else tuple(paths)
        self.limits, self.max_shrink = limits, max_shrink

    async def reload(self, *, force: bool = False) -> None:
        """Load and swap in the files; ``force`` accepts a vocabulary however much it shrank."""
        old = self.runtime.snapshot
        try:
            new = await asyncio.to_thread(
                load_snapshot, self.paths, limits=self.limits, previous=old
            )
            if not force and self._shrinks_too_much(old, new):
                self._hold_back(old, new)
            elif new.digest == old.digest:
                self.runtime.record_reload()
            else:
                self.runtime.swap(new)
                self.runtime.record_reload()
                _log_success(old, new, force)
        except VocabularyError as error:
            logger.error("vocabulary refused, still serving digest %s: %s", old.digest[:12], error)
            self.runtime.record_reload("failed", _public_reason(error))
        except Exception as error:  # any failure must leave the old data served and watched
            logger.exception("vocabulary reload failed, still serving digest %s", old.digest[:12])
            reason = f"unexpected {type(error).__name__} (see the server's log)"
            self.runtime.record_reload("failed", reason)

    def unreachable(self, error: VocabularyError) -> None:
        """Record that the source could not even be asked whether it changed."""
        digest = self.runtime.snapshot.digest[:12]
        logger.error("vocabulary source failed, still serving digest %s: %s", digest, error)
        self.runtime.record_reload("failed", _public_reason(error))

    def _shrinks_too_much(self, old: Snapshot, new: Snapshot) -> bool:
        before, after = old.index.concept_count, new.index.concept_count
        return after < before * (1 - self.max_shrink)

    def _hold_back(self, old: Snapshot, new: Snapshot) -> None:
        before, after = old.index.concept_count, new.index.concept_count
        reason = (
            f"the new files have {after} concepts, {before - after} fewer than the {before} "
            f"served: more than reload_max_shrink ({self.max_shrink:g}) allows; send SIGHUP "
            "or restart to accept them"
        )
        logger.warning("vocabulary held back (digest %s): %s", new.digest[:12], reason)
        self.runtime.record_reload("held-back", reason)


def _log_success(old: Snapshot, new: Snapshot, forced: bool) -> None:
    logger.info(
        "vocabulary reloaded%s: digest %s -> %s, concepts %d -> %d, triples %d -> %d",
        " (forced)" if forced else "",
        old.digest[:12],
        new.digest[:12],
        old.index.concept_count,
        new.index.concept_count,
        old.vocabulary.triple_count,
        new.vocabulary.triple_count,
    )


def _public_reason(error: VocabularyError) -> str:
    """The error as ``/health`` shows it: the file's name, never its path."""
    file = Path(error.file.name) if error.file is not None else None
    return where(file, error.line, error.column) + describe(
        error.term, error.label, error.rule, error.message
    )


async def watch(
    runtime: Runtime,
    paths: Source,
    interval: float,
    *,
    limits: LoadLimits | None = None,
    max_shrink: float = 0.2,
) -> None:
    """Reload when the files change, or at once on ``SIGHUP`` (forced); see the module."""
    reloader = Reloader(runtime, paths, limits or LoadLimits(), max_shrink)
    hangup = asyncio.Event()
    with _on_hangup(hangup.set):
        seen = await _changes(reloader, paths)
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(hangup.wait(), interval)
            forced = hangup.is_set()
            hangup.clear()
            now = await _changes(reloader, paths)
            if now is None and not forced:
                seen = None  # recorded; once it answers again, a reload clears the failure
                continue
            if now != seen or forced or now == "":
                seen = now
                await reloader.reload(force=forced)


async def _changes(reloader: Reloader, paths: Source) -> object:
    """The source's fingerprint: the files' stats, or the poll query's answer (``""``: no
    poll query, so reload to find out); ``None`` if the store failed to answer (recorded)."""
    if not isinstance(paths, Endpoint):
        return fingerprint(paths)
    try:
        return await asyncio.to_thread(poll, paths)
    except VocabularyError as error:
        reloader.unreachable(error)
        return None


@contextlib.contextmanager
def _on_hangup(callback: Callable[[], None]) -> Iterator[None]:
    """Run ``callback`` on ``SIGHUP`` while in the block: the operator's "reload now".

    Only the main thread's loop can take signals (uvicorn with one worker); under uvicorn's
    supervisor (``--workers``) SIGHUP restarts the workers, which load the files afresh."""
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGHUP, callback)
        installed = True
    except (ValueError, RuntimeError, NotImplementedError):
        installed = False  # not the main thread, or no signals here
    try:
        yield
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGHUP)
