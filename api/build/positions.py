"""Where things are written, for reports: the file and line where a term is first written
(``locate``), and the ``FILE:LINE: <term> "label": rule: message`` form of every report
(``where``, ``describe``, ``literal``). Reads files as text, once and in linear time;
parsing is ``api.build.files``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final
from urllib.parse import urljoin

_PREFIX: Final = re.compile(r"(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
#: Where a file states its own base IRI: Turtle ``@base``/``BASE``, ``xml:base``, JSON-LD.
_BASE: Final = re.compile(
    r"(?:@base|\bBASE)\s*<([^>]*)>|xml:base\s*=\s*[\"']([^\"']*)[\"']|\"@base\"\s*:\s*\"([^\"]*)\"",
    re.IGNORECASE,
)
_TOKEN: Final = re.compile(
    r"<([^<>\"\s]*)>"  # an IRI in Turtle, N-Triples
    # A whole double-quoted string (an IRI in RDF/XML attributes and JSON-LD strings), so
    # that the spaces in a label never swap which quotes open and which close strings.
    r"|\"((?:[^\"\\]|\\.)*)\"|'([^'\s<>]+)'"
    r"|(?<![\w.:-])([A-Za-z][\w.-]*)?:((?:[\w-]|\.(?=[\w-]))*)"  # a Turtle prefixed name
)
_SUBJECT_ATTRIBUTE: Final = re.compile(r"(?:about=|\"@id\"\s*:\s*)$")
#: How far before a token to look for ``about=`` or ``"@id":`` (keeps a long line linear).
_ATTRIBUTE_REACH: Final = 64
_COMMENT: Final = re.compile(r"(?:^|\s)#.*$")
_SCHEME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def locate(
    files: Sequence[Path], terms: Iterable[str], bases: Mapping[Path, str] | None = None
) -> dict[str, tuple[Path, int]]:
    """Where each of ``terms`` (IRIs) is first written: file and 1-based line.

    Prefers a line where the term is the subject: first on a line that starts a Turtle or
    N-Triples statement, an ``rdf:about`` or an ``"@id"``. Relative IRIs are resolved against
    the file's own ``@base``/``xml:base``/``"@base"``, else ``bases[file]`` (the base it was
    parsed with). Reads each file once, in time linear in its size, so call it with every
    term to report at once.
    """
    wanted = set(terms)
    subject_at: dict[str, tuple[Path, int]] = {}
    anywhere: dict[str, tuple[Path, int]] = {}
    for file in files:
        if not wanted - subject_at.keys():
            break
        base = (bases or {}).get(file)
        for term, line, is_subject in _occurrences(file, wanted, base):
            anywhere.setdefault(term, (file, line))
            if is_subject:
                subject_at.setdefault(term, (file, line))
    return anywhere | subject_at


def _occurrences(
    file: Path, wanted: set[str], base: str | None = None
) -> Iterator[tuple[str, int, bool]]:
    """(term, line, whether as a subject) for each of ``wanted`` written in ``file``."""
    prefixes: dict[str, str] = {}
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    statement_start = True
    for number, line in enumerate(lines, start=1):
        prefixes.update((name, iri) for name, iri in _PREFIX.findall(line))
        base = _base(line, base)
        indent = len(line) - len(line.lstrip())
        for match in _TOKEN.finditer(line):
            term = _expand(match, prefixes, base)
            if term in wanted:
                start = match.start()
                first = statement_start and start <= indent
                reach = max(0, start - _ATTRIBUTE_REACH)
                yield term, number, first or bool(_SUBJECT_ATTRIBUTE.search(line, reach, start))
        code = _COMMENT.sub("", line).strip()
        statement_start = code.endswith(".") if code else statement_start


def _base(line: str, base: str | None) -> str | None:
    """The base IRI after ``line``: the last one it declares (resolved), else ``base``."""
    for found in _BASE.finditer(line):
        declared = next(group for group in found.groups() if group is not None)
        base = _resolve(declared, base)
    return base


def _expand(match: re.Match[str], prefixes: Mapping[str, str], base: str | None) -> str | None:
    iri, double, single, prefix, local = match.groups()
    if local is None:
        written = iri if iri is not None else double or single
        if written and "\\/" in written:
            written = written.replace("\\/", "/")  # JSON may escape slashes
        return _resolve(written, base) if written and base else written
    namespace = prefixes.get(prefix or "")
    return None if namespace is None else namespace + local


def _resolve(iri: str, base: str | None) -> str:
    """``iri`` resolved against ``base`` when it is relative (RFC 3986 §5.2)."""
    if base is None or _SCHEME.match(iri) or any(space in iri for space in " \t"):
        return iri
    return urljoin(base, iri)


def where(file: Path | None, line: int | None = None, column: int | None = None) -> str:
    """``file:line:column: `` with the parts that are known, or the empty string."""
    parts = [str(part) for part in (file, line, column) if part is not None]
    return "".join(part + ":" for part in parts) + (" " if parts else "")


def describe(term: str | None, label: str | None, rule: str, message: str) -> str:
    """``<term> "label": rule: message``, leaving out the term and label when unknown.

    The label is quoted as a JSON string, so a report stays one line whatever it holds.
    """
    parts = [] if term is None else [term if term.startswith("_:") else f"<{term}>"]
    parts += [] if label is None else [json.dumps(label, ensure_ascii=False)]
    return ": ".join([" ".join(parts), rule, message] if parts else [rule, message])


def literal(value: str, language: str | None = None) -> str:
    """A literal as Turtle writes it, ``"Thé"@fr`` or ``"Thé"`` (escaped as JSON, one line)."""
    quoted = json.dumps(value, ensure_ascii=False)
    return f"{quoted}@{language}" if language else quoted


def in_language(language: str | None) -> str:
    """``in language 'fr'``, or ``with no language tag``: never "language 'None'"."""
    return f"in language '{language}'" if language else "with no language tag"
