"""The start-up cache: the read model and the store persisted by the files' digest.

Building the read model is most of a start (at 100,000 concepts: the check 0.8 s, the parse
1.7 s, records 3.0 s, search 1.1 s). The same bytes, read by the same code with the same
settings, always give the same ``Index`` and problems, so after a cold load they are
written to the cache folder (by a forked child, off the path to ready) beside an on-disk
copy of the store; a warm start hashes the files, unpickles the read model (0.8 s)
and opens the store read-only, so the triples stay on disk instead of in memory.

An entry is named by a key over the code (the sources of ``api.build``, ``api.model``,
``api.languages``, ``api.namespaces``; Python and pyoxigraph's versions), the settings that
change what a load makes (``LoadLimits``), and each file's path and bytes: a changed file,
setting or release misses. Pickle runs code when read, so the folder must be the service's
own: it is made 0700, and an entry (folder or file) not owned by this user or writable by
group or others is refused, as is one whose bytes do not have the SHA-256 written beside
them (cut short, corrupt) or whose key is not the one asked for (copied from elsewhere).
Anything refused is reported as a progress line and the load goes on cold: never a crash.
An entry is written only if the load parsed the bytes it is keyed on (``save`` hashes the
files again): a file edited during a load, even if put back since, writes nothing.
"""

from __future__ import annotations

import contextlib
import copyreg
import gc
import hashlib
import io
import json
import os
import pickle
import secrets
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, Final, NoReturn

import pyoxigraph as ox

from api.build.admission import Problems
from api.build.files import LoadedVocabulary, Progress, add_to_digest, discover_some
from api.build.index import Index
from api.build.packed import RecordPickler

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

#: Bumped when the layout of an entry changes (the code's hash covers the classes).
FORMAT: Final = 1
#: Entries kept per set of files: the one served and the one before (a reload's old
#: snapshot may still be reading its store).
KEEP: Final = 2
#: The sources whose classes or behaviour a persisted read model depends on.
_CODE: Final = ("build", "model.py", "languages.py", "namespaces.py")
_API: Final = Path(__file__).resolve().parents[1]
_READ_MODEL: Final = "read-model.pickle"
_META: Final = "entry.json"
_STORE: Final = "store"
_TEMPORARY: Final = ".tmp-"
#: The store's writer: pyoxigraph alone, below the server in the CPU scheduler. It keeps
#: the blank nodes' labels (``bulk_load`` would rename them), so that a warm store answers
#: the same labels as the cold one it was copied from.
_BULK_LOAD: Final = (
    "import os, sys, pyoxigraph as ox; os.nice(10); store = ox.Store(sys.argv[2]); "
    "store.bulk_extend(ox.parse(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)); store.flush()"
)
#: Seconds the store's writer may take (1,000,000 concepts: about 35 s).
_BULK_LOAD_TIMEOUT: Final = 1800.0


class CacheRefused(Exception):
    """An entry that is not used: why, in words for the progress line."""


@dataclass(frozen=True)
class Persisted:
    """A warm load: the read model, its problems and the files' vocabulary, whose store is
    the entry's on-disk copy opened read-only."""

    index: Index
    problems: Problems
    vocabulary: LoadedVocabulary


@dataclass(frozen=True)
class Entry:
    """Where the load of one set of files, in one version, is (or will be) kept."""

    folder: Path
    key: str
    #: What the entries of the same files share (older versions are evicted by it).
    source: str
    #: The files the key was made from, and a hash of the code and settings it was made
    #: with: ``save`` makes the key again from the files' bytes as they are then.
    files: tuple[Path, ...] = ()
    basis: str = ""

    @property
    def path(self) -> Path:
        return self.folder / f"{self.source}-{self.key}"


def entry_for(
    folder: Path,
    paths: Sequence[Path],
    settings: Mapping[str, object],
    *,
    code: str | None = None,
) -> Entry:
    """The entry of ``paths`` as they are now (read whole and hashed: ~0.1 s per 57 MB),
    loaded with ``settings`` by this code (``code``: :func:`code_version`)."""
    files = tuple(discover_some(paths))
    source = hashlib.sha256(json.dumps([str(f.resolve()) for f in files]).encode())
    basis = hashlib.sha256((code or code_version()).encode())
    basis.update(json.dumps(dict(settings), sort_keys=True, default=str).encode())
    key, _ = _key(basis.hexdigest(), files)
    return Entry(folder, key, source.hexdigest()[:16], files, basis.hexdigest())


def _key(basis: str, files: Sequence[Path], loaded: Sequence[Path] = ()) -> tuple[str, str]:
    """The key of ``files`` as they are now, and the digest a load of ``loaded`` (those
    that were not left out) makes of their bytes (``LoadedVocabulary.digest``)."""
    key = hashlib.sha256(basis.encode())
    digest = hashlib.sha256()
    kept = set(loaded)
    for file in files:
        data = file.read_bytes()
        key.update(f"{file.resolve()}\0{len(data)}\0".encode())
        key.update(hashlib.sha256(data).digest())
        if file in kept:
            add_to_digest(digest, file, data)
    return key.hexdigest()[:40], digest.hexdigest()


def read_what_was_keyed(entry: Entry, vocabulary: LoadedVocabulary) -> bool:
    """Whether the load read the bytes ``entry`` is keyed on: the files hash to the same
    key again, and the files it kept to the digest of what it parsed. Else a file changed
    while loading (even if changed back since), and the entry would give the next start of
    those bytes the read model of others."""
    try:
        key, digest = _key(entry.basis, entry.files, vocabulary.files)
    except OSError:  # gone or unreadable meanwhile
        return False
    return key == entry.key and digest == vocabulary.digest


def code_version(package: Path = _API) -> str:
    """A hash of the code a persisted read model depends on (in ``package``), and of the
    versions of Python, pyoxigraph and pickle: a change to any must never load an old entry."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version} {ox.__version__}".encode())
    for name in _CODE:
        root = package / name
        for file in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            digest.update(f"{file.relative_to(package)}\0".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


# --- reading -----------------------------------------------------------------------------


def is_written(path: Path) -> bool:
    """Whether the entry at ``path`` is complete and ours (it is renamed into place whole)."""
    try:
        for part in (path.parent, path, path / _META, path / _STORE):
            check_ours(part)
    except CacheRefused:
        return False
    return True


def store_of(path: Path) -> Path:
    """The on-disk store of the entry at ``path``."""
    return path / _STORE


def load(entry: Entry, progress: Progress | None = None) -> Persisted | None:
    """The persisted load of ``entry``, or ``None`` (a miss, or an entry refused: said)."""
    if not entry.path.exists():
        _say(progress, f"start-up cache: no entry for these files ({entry.path.name})")
        return None
    try:
        persisted = _read(entry)
    except CacheRefused as refused:
        _say(progress, f"start-up cache: {entry.path} not used: {refused}")
        return None
    _say(progress, f"start-up cache: read model and store read from {entry.path}")
    return persisted


def _read(entry: Entry) -> Persisted:
    for path in (entry.folder, entry.path, entry.path / _META, entry.path / _READ_MODEL):
        check_ours(path)
    check_ours(entry.path / _STORE)
    meta = _meta(entry)
    # Read twice, digested then unpickled, rather than held whole: the bytes would add their
    # size (700 MB at 1,000,000 concepts) to the peak. Only this user may write the file.
    with (entry.path / _READ_MODEL).open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if (
            size != meta["bytes"]
            or hashlib.file_digest(file, "sha256").hexdigest() != meta["sha256"]
        ):
            raise CacheRefused("its read model is not the one written (cut short or corrupt)")
        file.seek(0)
        try:
            index, problems, fields = pickle.load(file)
        except Exception as error:  # written by us and digested: a bug or a release lands here
            message = f"its read model cannot be read ({type(error).__name__})"
            raise CacheRefused(message) from None
    if not isinstance(index, Index) or not isinstance(problems, Problems):
        raise CacheRefused("its read model is not one")
    try:
        store = ox.Store.read_only(str(entry.path / _STORE))
    except OSError as error:
        raise CacheRefused(f"its store cannot be opened ({error})") from None
    vocabulary = LoadedVocabulary(store, store_path=entry.path / _STORE, **fields)
    return Persisted(index, problems, vocabulary)


def _meta(entry: Entry) -> dict[str, Any]:
    try:
        meta = json.loads((entry.path / _META).read_bytes())
    except (OSError, ValueError):
        raise CacheRefused("its description cannot be read") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CacheRefused("it was written in another format")
    if meta.get("key") != entry.key:
        raise CacheRefused("it was written for other files (a foreign entry)")
    if not isinstance(meta.get("bytes"), int) or not isinstance(meta.get("sha256"), str):
        raise CacheRefused("its description is incomplete")
    return meta


def check_ours(path: Path) -> None:
    """Refuse ``path`` unless this user owns it and no one else may write it (not a link)."""
    try:
        status = path.lstat()
    except OSError:
        raise CacheRefused(f"{path.name} is missing") from None
    if stat.S_ISLNK(status.st_mode):
        raise CacheRefused(f"{path.name} is a symbolic link")
    if status.st_uid != os.geteuid():
        raise CacheRefused(f"{path.name} is owned by another user (uid {status.st_uid})")
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CacheRefused(f"{path.name} may be written by group or others")


# --- writing -----------------------------------------------------------------------------


def save_in_background(
    entry: Entry,
    index: Index,
    problems: Problems,
    vocabulary: LoadedVocabulary,
    progress: Progress | None = None,
) -> threading.Thread | None:
    """Write ``entry`` in a forked child, off the path to ready; a thread waits for it and
    passes on what it says. A child rather than a thread: pickling holds the interpreter
    (1.3 s at 100,000 concepts) and its memo of every object (~64 MB) would add to the
    server's peak; the child shares the read model copy-on-write and exits when done."""
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError as error:
        os.close(reading)
        os.close(writing)
        _say(progress, f"start-up cache: not written: {error}")
        return None
    if pid == 0:  # the child: write, say how it went, and leave without any clean-up
        os.close(reading)
        _write_and_exit(entry, index, problems, vocabulary, writing)
    os.close(writing)
    waiter = threading.Thread(
        target=_await_writer,
        args=(pid, reading, progress),
        name="glossary-startup-cache",
        daemon=True,
    )
    waiter.start()
    return waiter


def _write_and_exit(
    entry: Entry, index: Index, problems: Problems, vocab: LoadedVocabulary, pipe: int
) -> NoReturn:
    code = 1
    try:
        gc.disable()  # nothing it makes outlives it
        os.nice(10)  # below the server in the CPU scheduler
        code = 0 if save(entry, index, problems, vocab, lambda line: _send(pipe, line)) else 1
    finally:
        os._exit(code)


def _send(pipe: int, line: str) -> None:
    os.write(pipe, line.encode() + b"\n")


def _await_writer(pid: int, pipe: int, progress: Progress | None) -> None:
    """Pass on the writer's lines as they come, then collect it."""
    with os.fdopen(pipe, "rb") as lines:
        for line in lines:
            _say(progress, line.decode(errors="replace").rstrip("\n"))
    with contextlib.suppress(ChildProcessError):  # collected by a supervisor waiting for any
        os.waitpid(pid, 0)


def save(
    entry: Entry,
    index: Index,
    problems: Problems,
    vocabulary: LoadedVocabulary,
    progress: Progress | None = None,
) -> bool:
    """Write ``entry`` atomically (a temporary folder renamed into place); whether it was.
    Failing to write (a full disk, a folder not ours) is said, never raised."""
    if entry.path.exists():  # another process wrote it meanwhile
        return True
    if not read_what_was_keyed(entry, vocabulary):
        _say(progress, "start-up cache: not written: the files changed while they were loaded")
        return False
    try:
        make_folder(entry.folder)
        _remove_abandoned(entry.folder)
        temporary = entry.folder / f"{_TEMPORARY}{os.getpid()}-{secrets.token_hex(4)}"
        temporary.mkdir(mode=0o700)
        try:
            _write(temporary, entry, index, problems, vocabulary)
            temporary.rename(entry.path)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)  # left only if not renamed
    except (OSError, CacheRefused, subprocess.SubprocessError, pickle.PicklingError) as error:
        _say(progress, f"start-up cache: not written to {entry.folder}: {error}")
        return False
    _evict(entry)
    _say(progress, f"start-up cache: written to {entry.path}")
    return True


def make_folder(folder: Path) -> None:
    """Make the cache folder 0700, or check that the one there is ours."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    check_ours(folder)


def _write(
    temporary: Path, entry: Entry, index: Index, problems: Problems, vocab: LoadedVocabulary
) -> None:
    dump = temporary / "dump.nq"
    vocab.store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    argv = [sys.executable, "-c", _BULK_LOAD, str(dump), str(temporary / _STORE)]
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=_BULK_LOAD_TIMEOUT, check=False)  # fmt: skip
    if done.returncode != 0:
        raise OSError(f"the store could not be written: {done.stderr[-300:]!r}")
    dump.unlink()
    fields = {name: getattr(vocab, name) for name in _VOCABULARY_FIELDS}
    with _HashingFile(temporary / _READ_MODEL) as out:
        _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump((index, problems, fields))
    meta = {"format": FORMAT, "key": entry.key, "bytes": out.size, "sha256": out.hexdigest()}
    with _private(temporary / _META) as file:
        file.write(json.dumps(meta).encode())


#: What a warm load keeps of ``LoadedVocabulary`` (its store is the entry's).
_VOCABULARY_FIELDS: Final = ("files", "digest", "triple_count", "refused", "relative")


def _remove_abandoned(folder: Path) -> None:
    """Temporary folders of writers that died (their process is gone)."""
    for path in folder.glob(f"{_TEMPORARY}*"):
        pid = path.name[len(_TEMPORARY) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _evict(entry: Entry) -> None:
    """Older entries of the same files past :data:`KEEP`, oldest first."""
    same = [path for path in entry.folder.glob(f"{entry.source}-*") if path != entry.path]
    same.sort(key=_modified, reverse=True)
    for path in same[KEEP - 1 :]:
        shutil.rmtree(path, ignore_errors=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _say(progress: Progress | None, line: str) -> None:
    if progress is not None:
        progress(line)


def _private(path: Path) -> IO[bytes]:
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


class _HashingFile(io.RawIOBase):
    """A new private file that hashes what is written to it (the entry's SHA-256)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._file = _private(path)
        self._digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._digest.update(data)
        self.size += len(data)
        return self._file.write(data)

    def close(self) -> None:
        self._file.close()
        super().close()

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


# --- pickling the read model ---------------------------------------------------------------


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _view(data: bytes, fmt: str) -> memoryview:
    if fmt != "I":  # the only buffers of the read model: postings (``search.postings``)
        raise pickle.UnpicklingError(f"a buffer of {fmt!r}, not of unsigned ints")
    return memoryview(data).cast("I")


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return _proxy, (dict(proxy),)


def _reduce_view(view: memoryview) -> tuple[Any, ...]:
    return _view, (view.tobytes(), view.format)


class _Pickler(RecordPickler):
    """Pickles the read model: read-only mappings and buffers (``MappingProxyType`` and
    ``memoryview`` pickle as their contents), and frozen slotted dataclasses as a call of
    their class with their fields (``RecordPickler``), which unpickles in a third of the time
    of dataclasses' own ``__setstate__`` (0.8 s against 2.8 s at 100,000 concepts)."""

    def __init__(self, file: SupportsWrite[bytes], protocol: int) -> None:
        super().__init__(file, protocol)
        self.dispatch_table = {
            **copyreg.dispatch_table,
            MappingProxyType: _reduce_proxy,
            memoryview: _reduce_view,
        }
