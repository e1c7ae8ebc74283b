"""Checking untrusted vocabulary files in a child process with memory and time limits.

A file that makes the parser run away (an XML entity bomb, a JSON document that grows tenfold
in memory, a parser bug) must not take the server with it. So :func:`load_isolated` first
runs :func:`api.build.files.check_file` over every file in a fresh interpreter whose address
space (``RLIMIT_AS``) and CPU time are capped and which the parent kills at its deadline;
only when it passes does the parent parse the same bytes into its store. The child streams
triples without storing them, so this costs about a third of a parse (0.6 s at 100,000
concepts) and no copying back. The child prints JSON lines: the file it starts, then the
error or the digest of everything it read, which the parent's digest must equal (a file
changed in between is refused, and the watcher tries again).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from api.build.files import (
    MAX_FILE_BYTES,
    LoadedVocabulary,
    Progress,
    VocabularyError,
    add_to_digest,
    check_file,
    discover_some,
    load,
)

if TYPE_CHECKING:  # the child starts faster without pydantic (0.2 s of a 0.3 s check)
    from api.settings import Settings

_MB: Final = 1024 * 1024
#: The package's parent folder: the child must import the same ``api`` as the parent.
_SOURCE_ROOT: Final = str(Path(__file__).resolve().parents[2])
#: What the child reports of each VocabularyError.
_FIELDS: Final = ("rule", "message", "file", "line", "column", "term", "label")


@dataclass(frozen=True)
class LoadLimits:
    """How much one load of the files may take (the ``max_file_bytes``,
    ``load_max_memory_mb`` and ``load_timeout`` settings; these defaults are theirs)."""

    max_file_bytes: int = MAX_FILE_BYTES
    memory_mb: int = 4096
    timeout: float = 300.0

    @classmethod
    def from_settings(cls, settings: Settings) -> LoadLimits:
        return cls(settings.max_file_bytes, settings.load_max_memory_mb, settings.load_timeout)


def load_isolated(
    paths: Sequence[Path], limits: LoadLimits, progress: Progress | None = None
) -> LoadedVocabulary:
    """Check the files in a limited child, then parse them here; raise `VocabularyError`."""
    files = discover_some(paths)
    if progress is not None:
        progress(f"checking {len(files)} file(s) in a child process")
    checked = check_isolated(files, limits)
    vocabulary = load(files, progress=progress, max_file_bytes=limits.max_file_bytes)
    if vocabulary.digest != checked:
        message = "the files changed while they were being loaded; try again"
        raise VocabularyError("changed", message, file=files[0])
    return vocabulary


def check_isolated(files: Sequence[Path], limits: LoadLimits) -> str:
    """Run :func:`check_file` over ``files`` in a child within ``limits``; the digest."""
    argv = [sys.executable, "-m", __name__, str(limits.memory_mb), str(limits.timeout)]
    argv += [str(limits.max_file_bytes), *(str(file) for file in files)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (_SOURCE_ROOT, _pythonpath())))}
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=limits.timeout, env=env
        )
    except subprocess.TimeoutExpired as expired:
        message = f"loading took longer than {limits.timeout:g} s (the load_timeout setting)"
        raise VocabularyError("time-limit", message, file=_last_file(expired.stdout)) from None
    reports = _reports(done.stdout)
    if "digest" in reports and done.returncode == 0:
        return str(reports["digest"])
    if "error" in reports:
        raise VocabularyError(**_error_arguments(reports["error"]))
    raise _failure(done, reports, limits)


def _pythonpath() -> str:
    return os.environ.get("PYTHONPATH", "")


def _reports(stdout: bytes | None) -> dict[str, Any]:
    """The child's JSON lines merged: the last ``file``, and ``error`` or ``digest``."""
    merged: dict[str, Any] = {}
    for line in (stdout or b"").splitlines():
        try:
            merged.update(json.loads(line))
        except ValueError:
            continue  # a line cut short when the child was killed
    return merged


def _last_file(stdout: bytes | str | None) -> Path | None:
    raw = stdout.encode() if isinstance(stdout, str) else stdout
    name = _reports(raw).get("file")
    return Path(name) if name else None


def _error_arguments(fields: dict[str, Any]) -> dict[str, Any]:
    arguments = {name: fields.get(name) for name in _FIELDS}
    arguments["file"] = Path(arguments["file"]) if arguments["file"] else None
    return arguments


def _failure(
    done: subprocess.CompletedProcess[bytes], reports: dict[str, Any], limits: LoadLimits
) -> VocabularyError:
    """Why a child that reported no error failed: most likely its memory limit."""
    file = Path(reports["file"]) if "file" in reports else None
    killed = done.returncode < 0 and -done.returncode in (signal.SIGABRT, signal.SIGKILL)
    if reports.get("memory") or killed:
        message = (
            f"loading needs more than {limits.memory_mb} MB of memory "
            "(the load_max_memory_mb setting)"
        )
        return VocabularyError("memory-limit", message, file=file)
    last = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:]
    message = f"the checking process failed (exit status {done.returncode}): {''.join(last)}"
    return VocabularyError("check-failed", message, file=file)


# --- the child --------------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    """The child: ``MEMORY_MB TIMEOUT MAX_FILE_BYTES FILE...``; exit 0 with the digest."""
    memory_mb, timeout, max_file_bytes, *names = argv
    _limit(int(memory_mb), float(timeout))
    digest = hashlib.sha256()
    for name in names:
        _report(file=name)
        try:
            add_to_digest(digest, Path(name), check_file(Path(name), int(max_file_bytes)))
        except VocabularyError as error:
            fields = {field: getattr(error, field) for field in _FIELDS}
            _report(error={**fields, "file": name})
            return 1
        except MemoryError:
            _report(memory=True)
            return 3
    _report(digest=digest.hexdigest())
    return 0


def _limit(memory_mb: int, timeout: float) -> None:
    """Cap this process's address space and CPU seconds (the parent also kills it at its
    deadline; the CPU limit ends it even if the parent is gone)."""
    _lower(resource.RLIMIT_AS, memory_mb * _MB)
    _lower(resource.RLIMIT_CPU, math.ceil(timeout) + 1)


def _lower(kind: int, limit: int) -> None:
    """Set the soft and hard ``kind`` limits to ``limit``, never raising a lower hard one."""
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(kind, (limit, limit))


def _report(**fields: object) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
