"""Reading RDF files into a pyoxigraph store: the service's only data I/O. (Where a term is
written, for reports, is ``api.build.positions``.)

pyoxigraph parses (rdflib's parser is ~20 times slower on large files, see
docs/architecture.md); nothing is ever fetched from the network. Files are untrusted: each
is capped in size, and RDF/XML may not declare a DTD, whose entities pyoxigraph would expand
without bound ("billion laughs"). ``api.build.isolation`` runs :func:`check_file` in a child
process with memory and time limits before the service parses anything.

Relative IRIs in a file without a base of its own are resolved against the ``base_iri``
setting, else the file's own ``file:`` URI, and said (:class:`Relative`): detected for free
from the parser's error, so files without relative IRIs are parsed once. With several files,
one that cannot be read can be left out (``keep_going``) and the others loaded.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from pyoxigraph import NamedNode, RdfFormat, Store, parse

from api.build.positions import describe, where

Progress = Callable[[str], None]

FORMATS: Final[Mapping[str, RdfFormat]] = MappingProxyType(
    {
        ".ttl": RdfFormat.TURTLE,
        ".rdf": RdfFormat.RDF_XML,
        ".owl": RdfFormat.RDF_XML,
        ".xml": RdfFormat.RDF_XML,
        ".nt": RdfFormat.N_TRIPLES,
        ".jsonld": RdfFormat.JSON_LD,
        ".json": RdfFormat.JSON_LD,
    }
)
"""File extension → RDF syntax."""

#: Report progress every this many bytes of a file.
PROGRESS_BYTES: Final = 8 * 1024 * 1024

#: The default cap on one file's size (the ``max_file_bytes`` setting): 1,000,000 concepts of
#: Turtle with labels and a definition each are about 570 MB.
MAX_FILE_BYTES: Final = 1_000_000_000

#: RDF/XML may declare another encoding; the other syntaxes are UTF-8 only.
_UTF8_ONLY: Final = frozenset({RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.JSON_LD})
_PARSER_LOCATION: Final = re.compile(r"^Parser error (?:at|between) [^:]*: ")
_REMOTE_CONTEXT: Final = "LoadDocumentCallback"
#: A DTD is where XML declares entities; RDF needs neither. (UTF-16, where these bytes would
#: differ, is refused earlier: it has NUL bytes.)
_DTD_MARKERS: Final = (b"<!DOCTYPE", b"<!ENTITY")
#: What pyoxigraph's MemoryError says when one token (a literal, an IRI) passes its 16 MiB.
_TOKEN_TOO_LONG: Final = "buffer maximal size"
#: What pyoxigraph's SyntaxError says of a relative IRI when it has no base to resolve it.
_RELATIVE: Final = "No scheme found in an absolute IRI"
_RELATIVE_IRI: Final = re.compile(r"error while parsing IRI '([^']*)'")
#: A base no real IRI starts with: JSON-LD drops relative IRIs silently without a base, so
#: the check parses JSON-LD against this one and looks for it (RFC 2606 reserves .invalid).
_SENTINEL: Final = "https://relative.invalid/"


class VocabularyError(Exception):
    """A vocabulary file that cannot be read, with where and which rule it broke."""

    def __init__(
        self,
        rule: str,
        message: str,
        *,
        file: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        term: str | None = None,
        label: str | None = None,
        details: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.term = term
        self.label = label
        #: Further lines of the report (every problem, when several refuse a vocabulary).
        self.details = tuple(details)

    def __reduce__(self) -> tuple[Any, ...]:
        # The default (the class called with ``args``) would lose the rule: the start-up
        # cache pickles the errors of files left out (``api.build.cache``).
        return type(self), (self.rule, self.message), self.__dict__

    def __str__(self) -> str:
        place = where(self.file, self.line, self.column)
        first = place + describe(self.term, self.label, self.rule, self.message)
        return "\n".join([first, *(f"  {detail}" for detail in self.details)])


@dataclass(frozen=True)
class Relative:
    """A file with relative IRIs and no base of its own, and the base they were resolved
    against; ``iri`` and ``line``: the first such IRI, where known."""

    file: Path
    base: str
    iri: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Checked:
    """A file that passed :func:`check_file`: its bytes, and its relative IRIs if any."""

    data: bytes
    relative: Relative | None = None


@dataclass(frozen=True)
class LoadedVocabulary:
    """The parsed triples of some files, with a digest of their bytes for caching."""

    store: Store
    files: tuple[Path, ...]
    digest: str
    triple_count: int
    #: Files named but left out because they could not be read (only with ``keep_going``).
    refused: tuple[VocabularyError, ...] = ()
    #: Loaded files whose relative IRIs were resolved against a base we chose.
    relative: tuple[Relative, ...] = ()
    #: Where ``store`` is on disk, opened read-only (a warm start, ``api.build.cache``), so
    #: that SPARQL workers can open it too; ``None`` for a store in memory.
    store_path: Path | None = None

    @property
    def bases(self) -> Mapping[Path, str]:
        """File → the base its relative IRIs were resolved against (for ``locate``)."""
        return MappingProxyType({found.file: found.base for found in self.relative})


def discover(paths: Sequence[Path]) -> tuple[Path, ...]:
    """The RDF files named by ``paths``, searching directories recursively, sorted."""
    found: set[Path] = set()
    for path in paths:
        found.update(_files_in(path))
    return tuple(sorted(found))


def _files_in(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from (file for file in path.rglob("*") if _is_rdf(file, path))
    elif not path.exists():
        raise VocabularyError("unreadable", "no such file or directory", file=path)
    elif path.suffix.lower() not in FORMATS:
        known = " ".join(sorted(FORMATS))
        raise VocabularyError("unknown-extension", f"not one of {known}", file=path)
    else:
        yield path


def _is_rdf(file: Path, root: Path) -> bool:
    hidden = any(part.startswith(".") for part in file.relative_to(root).parts)
    return file.suffix.lower() in FORMATS and file.is_file() and not hidden


def discover_some(paths: Sequence[Path]) -> tuple[Path, ...]:
    """Like :func:`discover`, but refusing paths that name no RDF file at all."""
    files = discover(paths)
    if not files:
        named = ", ".join(str(path) for path in paths)
        raise VocabularyError("no-files", f"no RDF files ({' '.join(FORMATS)}) in {named}")
    return files


def load(
    paths: Sequence[Path],
    *,
    progress: Progress | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    base_iri: str | None = None,
    keep_going: bool = False,
    refused: Sequence[VocabularyError] = (),
    relative: Mapping[Path, Relative] | None = None,
) -> LoadedVocabulary:
    """Parse every RDF file in ``paths`` into one store; raise `VocabularyError` if any fails.

    With ``keep_going``, a file that fails is left out and listed in ``refused`` instead,
    unless none can be read. Files named in ``refused`` (failed already) are not read;
    ``relative`` (from :func:`check_file`) says which files need a base to parse."""
    files = discover_some(paths)
    skipped = {error.file for error in refused}
    store = Store()
    digest = hashlib.sha256()
    loaded: list[Path] = []
    failed, resolved = list(refused), []
    for file in (file for file in files if file not in skipped):
        try:
            known = (relative or {}).get(file)
            data, found = _load_file(store, file, progress, max_file_bytes, base_iri, known)
        except VocabularyError as error:
            if not keep_going:
                raise
            failed.append(error)
            continue
        add_to_digest(digest, file, data)
        loaded.append(file)
        resolved += [found] if found else []
    if not loaded:
        raise unreadable(failed)
    vocabulary = LoadedVocabulary(store, tuple(loaded), digest.hexdigest(), len(store))
    return dataclasses.replace(vocabulary, refused=tuple(failed), relative=tuple(resolved))


def unreadable(errors: Sequence[VocabularyError]) -> VocabularyError:
    """The error when none of the files can be read: the one, or every one of several."""
    if len(errors) == 1:
        return errors[0]
    message = f"none of the {len(errors)} files can be read"
    return VocabularyError("unreadable", message, details=[str(error) for error in errors])


def default_base(file: Path, base_iri: str | None = None) -> str:
    """The base for a file's relative IRIs: the ``base_iri`` setting, else its ``file:`` URI."""
    return base_iri or file.resolve().as_uri()


def add_to_digest(digest: hashlib._Hash, file: Path, data: bytes) -> None:
    """Fold one file into the vocabulary's digest (the root of every ETag)."""
    # The name and length delimit files, so moving bytes between files changes the digest.
    digest.update(f"{file.name}\0{len(data)}\0".encode())
    digest.update(data)


def check_file(
    file: Path, max_file_bytes: int = MAX_FILE_BYTES, base_iri: str | None = None
) -> Checked:
    """Everything :func:`load` checks in one file, without keeping the triples; its bytes,
    and whether it has relative IRIs and no base of its own.

    Parsing streams triples instead of storing them, so it needs little memory beyond the
    bytes: this is what ``api.build.isolation`` runs in a child process."""
    data = _read(file, max_file_bytes)
    rdf_format = FORMATS[file.suffix.lower()]
    _check_bytes(file, data, rdf_format)
    text, relative = without_bom(data), None
    with _parser_errors(file):
        if rdf_format == RdfFormat.JSON_LD:
            triples, relative = _count_json_ld(file, text, default_base(file, base_iri))
        else:
            try:
                triples = sum(1 for _ in parse(text, rdf_format))
            except SyntaxError as error:
                relative = _relative(file, text, error, default_base(file, base_iri))
                triples = sum(1 for _ in parse(text, rdf_format, base_iri=relative.base))
    if not triples:
        raise VocabularyError("empty", "the file adds no triples", file=file)
    return Checked(data, relative)


def _count_json_ld(file: Path, text: bytes, base: str) -> tuple[int, Relative | None]:
    """Triples in a JSON-LD document, parsed against :data:`_SENTINEL` to see relative IRIs."""
    triples, first = 0, None
    for quad in parse(text, RdfFormat.JSON_LD, base_iri=_SENTINEL):
        triples += 1
        if first is None:
            first = next((t.value for t in quad if _is_relative(t)), None)
    if first is None:
        return triples, None
    iri = first[len(_SENTINEL) :]
    return triples, Relative(file, base, iri, _line_of(text, iri))


def _is_relative(term: object) -> bool:
    return isinstance(term, NamedNode) and term.value.startswith(_SENTINEL)


def _relative(file: Path, text: bytes, error: SyntaxError, base: str) -> Relative:
    """The relative IRI a parser's error is about; re-raise any other syntax error."""
    if _RELATIVE not in (error.msg or str(error)):
        raise error
    named = _RELATIVE_IRI.search(error.msg or "")
    iri = named.group(1) if named else None
    line = error.lineno or (_line_of(text, iri) if iri is not None else None)
    return Relative(file, base, iri, line)


def _line_of(text: bytes, iri: str) -> int | None:
    """The line where ``iri`` is first written as a quoted string, if it is."""
    offset = text.find(b'"' + iri.encode() + b'"')
    return None if offset < 0 else _position(text, offset)[0]


def _load_file(
    store: Store,
    file: Path,
    progress: Progress | None,
    max_bytes: int,
    base_iri: str | None,
    relative: Relative | None,
) -> tuple[bytes, Relative | None]:
    """Parse one file into ``store``; return its bytes and its relative IRIs if any."""
    data = _read(file, max_bytes)
    rdf_format = FORMATS[file.suffix.lower()]
    _check_bytes(file, data, rdf_format)
    before = len(store)
    base = relative.base if relative else None
    if rdf_format == RdfFormat.JSON_LD:  # without a base, relative IRIs vanish silently
        base = default_base(file, base_iri)
    try:
        _parse(store, file, data, rdf_format, progress, base)
    except _RelativeIris as found:
        relative = Relative(file, default_base(file, base_iri), None, found.line)
        _parse(store, file, data, rdf_format, progress, relative.base)
    if len(store) == before:
        raise VocabularyError("empty", "the file adds no triples", file=file)
    return data, relative


def _read(file: Path, max_bytes: int) -> bytes:
    try:
        with file.open("rb") as stream:
            # read(n) allocates n bytes first, so ask for the file's size, capped; one byte
            # more tells a file at the cap from one past it, even if it grows meanwhile.
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(min(size, max_bytes) + 1)
    except OSError as error:
        raise VocabularyError("unreadable", error.strerror or str(error), file=file) from None
    if len(data) > max_bytes:
        message = f"larger than {max_bytes:,} bytes (the max_file_bytes setting)"
        raise VocabularyError("too-large", message, file=file)
    return data


def _check_bytes(file: Path, data: bytes, rdf_format: RdfFormat) -> None:
    if not data.strip():
        raise VocabularyError("empty", "the file is empty", file=file)
    if b"\0" in data:
        line, column = _position(data, data.index(b"\0"))
        message = "binary data (a NUL byte), not an RDF text file"
        raise VocabularyError("binary", message, file=file, line=line, column=column)
    if rdf_format in _UTF8_ONLY:
        _check_utf8(file, data)
    if rdf_format == RdfFormat.RDF_XML:
        _refuse_dtd(file, data)
    if rdf_format == RdfFormat.JSON_LD:
        _refuse_remote_context(file, data)


def _refuse_dtd(file: Path, data: bytes) -> None:
    """Refuse a DTD before parsing: pyoxigraph expands internal entities, and a kilobyte of
    nested ones ("billion laughs") expands to gigabytes. RDF/XML never needs one."""
    found = [offset for marker in _DTD_MARKERS if (offset := data.find(marker)) >= 0]
    if found:
        line, column = _position(data, min(found))
        message = (
            "a DTD (<!DOCTYPE or <!ENTITY) is not read: entities can expand without bound; "
            "write the entities' text in place and remove the DTD"
        )
        raise VocabularyError("dtd", message, file=file, line=line, column=column)


def _check_utf8(file: Path, data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        message = f"not UTF-8 text (byte 0x{data[error.start]:02x})"
        raise VocabularyError("encoding", message, file=file, line=line, column=column) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _refuse_remote_context(file: Path, data: bytes) -> None:
    """Refuse a JSON-LD ``@context`` given by IRI: loading it would mean fetching it.

    pyoxigraph refuses them too (it has no document loader); checking first names the IRI.
    """
    try:
        document = json.loads(data)
    except ValueError:
        return  # pyoxigraph reports the syntax error with its position
    for iri in _remote_contexts(document):
        line, column = _position(data, max(data.find(iri.encode()), 0))
        message = f"remote JSON-LD @context {iri!r} is not fetched; inline the context"
        raise VocabularyError("remote-context", message, file=file, line=line, column=column)


def _remote_contexts(document: object) -> Iterator[str]:
    """IRIs of contexts referenced, not inlined, anywhere in a JSON-LD document."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            yield from _context_iris(node.get("@context"))
            yield from _context_iris(node.get("@import"))
            stack.extend(node.values())


def _context_iris(context: object) -> Iterator[str]:
    if isinstance(context, str):
        yield context
    elif isinstance(context, list):
        yield from (item for item in context if isinstance(item, str))


def without_bom(data: bytes) -> bytes:
    """``data`` without a leading UTF-8 byte-order mark, which Windows tools write and
    pyoxigraph reads as a syntax error at 1:1 (the digest still covers the file's bytes)."""
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


class _RelativeIris(Exception):
    """The parser met a relative IRI and had no base to resolve it against."""

    def __init__(self, line: int | None) -> None:
        super().__init__(line)
        self.line = line


def _parse(
    store: Store,
    file: Path,
    data: bytes,
    rdf_format: RdfFormat,
    progress: Progress | None,
    base: str | None = None,
) -> None:
    data = without_bom(data)
    source: bytes | io.BytesIO = data
    if progress is not None:
        progress(f"reading {file} ({len(data) / 1e6:.1f} MB)")
        if len(data) > PROGRESS_BYTES:
            source = _ProgressReader(file, data, progress)
    with _parser_errors(file):
        try:
            store.load(source, rdf_format, base_iri=base)
        except SyntaxError as error:
            if base is None and _RELATIVE in (error.msg or str(error)):
                raise _RelativeIris(error.lineno) from None
            raise


@contextlib.contextmanager
def _parser_errors(file: Path) -> Iterator[None]:
    """pyoxigraph's errors as ``VocabularyError``s naming the file (and line if known)."""
    try:
        yield
    except SyntaxError as error:
        raise _syntax_error(file, error) from None
    except (OSError, ValueError) as error:
        raise VocabularyError("syntax", str(error), file=file) from None
    except MemoryError as error:
        if _TOKEN_TOO_LONG not in str(error):
            raise  # the process is out of memory: not this file's fault alone
        message = "a literal or IRI longer than pyoxigraph's limit of 16 MiB"
        raise VocabularyError("too-large", message, file=file) from None


def _syntax_error(file: Path, error: SyntaxError) -> VocabularyError:
    message = _PARSER_LOCATION.sub("", error.msg or str(error))
    if _REMOTE_CONTEXT in message:
        return VocabularyError(
            "remote-context", "remote JSON-LD @context is not fetched", file=file
        )
    return VocabularyError("syntax", message, file=file, line=error.lineno, column=error.offset)


class _ProgressReader(io.BytesIO):
    """Bytes read by the parser, calling ``progress`` every `PROGRESS_BYTES`."""

    def __init__(self, file: Path, data: bytes, progress: Progress) -> None:
        super().__init__(data)
        self._file, self._size, self._progress = file, len(data), progress
        self._next = PROGRESS_BYTES

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        if self.tell() >= self._next:
            self._next += PROGRESS_BYTES
            done, total = self.tell() / 1e6, self._size / 1e6
            self._progress(f"{self._file}: {done:.1f} of {total:.1f} MB read")
        return chunk
