"""Checking untrusted vocabulary files in a child process with memory and time limits.

A file that makes the parser run away (an XML entity bomb, a JSON document that grows tenfold
in memory, a parser bug) must not take the server with it. So :func:`load_isolated` first
runs :func:`api.build.files.check_file` over every file in a fresh interpreter whose address
space (``RLIMIT_AS``) and CPU time are capped and which the parent kills at its deadline;
only when it passes does the parent parse the same bytes into its store. The child streams
triples without storing them, so this costs about a third of a parse (0.6 s at 100,000
concepts) and no copying back. The child prints JSON lines: the file it starts, then the
file's error or the SHA-256 of its bytes, which the bytes the parent parses must match (a
file changed in between is refused, and the watcher tries again).

Results are per file, so one bad file among several can be left out and the others served
(``keep_going``): a child killed at its limits is blamed on the file it was reading, and a
fresh child checks the files after it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from api.build.files import (
    MAX_FILE_BYTES,
    LoadedVocabulary,
    Progress,
    Relative,
    VocabularyError,
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
    ``load_max_memory_mb`` and ``load_timeout`` settings; these defaults are theirs), and
    what it accepts: ``strict`` refuses any problem, ``base_iri`` resolves relative IRIs;
    and how it is read: ``default_language`` (the setting) is every scheme's, when set;
    ``cache_dir``: where a load is kept for the next start (``api.build.cache``; ``None``:
    nowhere, the default here, while the ``cache_dir`` setting's default is a folder)."""

    max_file_bytes: int = MAX_FILE_BYTES
    memory_mb: int = 4096
    timeout: float = 300.0
    strict: bool = False
    base_iri: str | None = None
    default_language: str = ""
    cache_dir: Path | None = field(default=None, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoadLimits:
        return cls(
            settings.max_file_bytes,
            settings.load_max_memory_mb,
            settings.load_timeout,
            settings.strict,
            settings.base_iri,
            settings.default_language,
            settings.cache_folder(),
        )

    def affecting_the_load(self) -> dict[str, object]:
        """The limits that change what a load makes (the start-up cache's key has them)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.compare}


@dataclass(frozen=True)
class Checks:
    """What the child found in each file: the SHA-256 of each good file's bytes, its
    relative IRIs if any, and why each bad file was refused."""

    digests: Mapping[Path, str] = field(default_factory=dict)
    relative: Mapping[Path, Relative] = field(default_factory=dict)
    refused: tuple[VocabularyError, ...] = ()


def load_isolated(
    paths: Sequence[Path],
    limits: LoadLimits,
    progress: Progress | None = None,
    *,
    keep_going: bool = False,
) -> LoadedVocabulary:
    """Check the files in a limited child, then parse them here; raise `VocabularyError`.

    With ``keep_going``, files that fail are left out (``LoadedVocabulary.refused``) and the
    others loaded, unless none can be read; otherwise the first failure is raised."""
    files = discover_some(paths)
    if progress is not None:
        progress(f"checking {len(files)} file(s) in a child process")
    checks = check_isolated(files, limits)
    if checks.refused and not keep_going:
        raise checks.refused[0]
    vocabulary = load(
        files,
        progress=progress,
        max_file_bytes=limits.max_file_bytes,
        base_iri=limits.base_iri,
        keep_going=keep_going,
        refused=checks.refused,
        relative=checks.relative,
    )
    for file in vocabulary.files:
        if hashlib.sha256(file.read_bytes()).hexdigest() != checks.digests.get(file):
            message = "the files changed while they were being loaded; try again"
            raise VocabularyError("changed", message, file=file)
    return vocabulary


def check_isolated(files: Sequence[Path], limits: LoadLimits) -> Checks:
    """Run :func:`check_file` over ``files`` in a child within ``limits``; what it found.

    A child that dies (memory, time, a crash) is blamed on the file it was reading, and a
    fresh child goes on with the files after it."""
    digests: dict[Path, str] = {}
    relative: dict[Path, Relative] = {}
    refused: list[VocabularyError] = []
    remaining = list(files)
    while remaining:
        failure, reports = _run_child(remaining, limits)
        for report in reports:
            if "checked" in report:
                file = Path(report["checked"])
                digests[file] = report["sha256"]
                if report.get("relative"):
                    relative[file] = _relative(file, report["relative"])
            elif "error" in report:
                refused.append(VocabularyError(**_error_arguments(report["error"])))
        if failure is None:
            break
        refused.append(failure)
        done = {file for file in remaining if file in digests} | {e.file for e in refused}
        remaining = remaining[_after(remaining, done, failure.file) :]
    return Checks(digests, relative, tuple(refused))


def _after(files: Sequence[Path], done: set[Path | None], failed: Path | None) -> int:
    """Where to go on after a child died: past the file it died on, else past what it did."""
    if failed in files:
        return files.index(failed) + 1
    return next((i for i, file in enumerate(files) if file not in done), len(files))


def _relative(file: Path, fields: dict[str, Any]) -> Relative:
    return Relative(file, str(fields["base"]), fields.get("iri"), fields.get("line"))


def _run_child(
    files: Sequence[Path], limits: LoadLimits
) -> tuple[VocabularyError | None, list[dict[str, Any]]]:
    """One child over ``files``: why it died (``None`` if it did not), and its reports."""
    argv = [sys.executable, "-m", __name__, str(limits.memory_mb), str(limits.timeout)]
    argv += [str(limits.max_file_bytes), limits.base_iri or "", *(str(f) for f in files)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (_SOURCE_ROOT, _pythonpath())))}
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=limits.timeout, env=env
        )
    except subprocess.TimeoutExpired as expired:
        message = f"loading took longer than {limits.timeout:g} s (the load_timeout setting)"
        reports = _lines(_as_bytes(expired.stdout))
        file = _last_file(reports) or files[0]
        return VocabularyError("time-limit", message, file=file), reports
    reports = _lines(done.stdout)
    if done.returncode == 0 and reports and "finished" in reports[-1]:
        return None, reports
    return _failure(done, _reports(done.stdout), limits), reports


def _as_bytes(output: bytes | str | None) -> bytes:
    return output.encode() if isinstance(output, str) else output or b""


def _lines(stdout: bytes | None) -> list[dict[str, Any]]:
    """The child's JSON lines, in order (a line cut short when it was killed is skipped)."""
    reports = []
    for line in (stdout or b"").splitlines():
        try:
            reports.append(json.loads(line))
        except ValueError:
            continue
    return reports


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


def _last_file(reports: Sequence[dict[str, Any]]) -> Path | None:
    names = [report["file"] for report in reports if "file" in report]
    return Path(names[-1]) if names else None


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
    """The child: ``MEMORY_MB TIMEOUT MAX_FILE_BYTES BASE_IRI FILE...``: for each file, its
    error or the SHA-256 of its bytes; exit 0 once every file is done."""
    memory_mb, timeout, max_file_bytes, base_iri, *names = argv
    _limit(int(memory_mb), float(timeout))
    for name in names:
        _report(file=name)
        try:
            checked = check_file(Path(name), int(max_file_bytes), base_iri or None)
        except VocabularyError as error:
            fields = {field: getattr(error, field) for field in _FIELDS}
            _report(error={**fields, "file": name})
            continue
        except MemoryError:
            _report(memory=True)
            return 3
        relative = checked.relative
        found = None if relative is None else dataclasses.asdict(relative) | {"file": name}
        _report(checked=name, sha256=hashlib.sha256(checked.data).hexdigest(), relative=found)
    _report(finished=True)
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
