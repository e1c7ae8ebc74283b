"""Where things are written, for reports: the file and line where a term is first written
(``locate``), and the ``FILE:LINE: <term> "label": rule: message`` form of every report
(``where``, ``describe``). Reads files as text; parsing is ``api.build.files``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

_PREFIX: Final = re.compile(r"(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_TOKEN: Final = re.compile(
    r"<([^<>\"\s]*)>"  # an IRI in Turtle, N-Triples
    r"|\"([^\"\s]+)\"|'([^'\s]+)'"  # an IRI in RDF/XML attributes, JSON-LD strings
    r"|(?<![\w.:-])([A-Za-z][\w.-]*)?:((?:[\w-]|\.(?=[\w-]))*)"  # a Turtle prefixed name
)
_SUBJECT_ATTRIBUTE: Final = re.compile(r"(?:about=|\"@id\"\s*:\s*)$")
_COMMENT: Final = re.compile(r"(?:^|\s)#.*$")


def locate(files: Sequence[Path], terms: Iterable[str]) -> dict[str, tuple[Path, int]]:
    """Where each of ``terms`` (IRIs) is first written: file and 1-based line.

    Prefers a line where the term is the subject: first on a line that starts a Turtle or
    N-Triples statement, an ``rdf:about`` or an ``"@id"``. Reads the files once, so call it
    with every term to report at once.
    """
    wanted = set(terms)
    subject_at: dict[str, tuple[Path, int]] = {}
    anywhere: dict[str, tuple[Path, int]] = {}
    for file in files:
        if not wanted - subject_at.keys():
            break
        for term, line, is_subject in _occurrences(file, wanted):
            anywhere.setdefault(term, (file, line))
            if is_subject:
                subject_at.setdefault(term, (file, line))
    return anywhere | subject_at


def _occurrences(file: Path, wanted: set[str]) -> Iterator[tuple[str, int, bool]]:
    """(term, line, whether as a subject) for each of ``wanted`` written in ``file``."""
    prefixes: dict[str, str] = {}
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    statement_start = True
    for number, line in enumerate(lines, start=1):
        prefixes.update((name, iri) for name, iri in _PREFIX.findall(line))
        for match in _TOKEN.finditer(line):
            term = _expand(match, prefixes)
            if term in wanted:
                first = statement_start and not line[: match.start()].strip()
                yield term, number, first or bool(_SUBJECT_ATTRIBUTE.search(line, 0, match.start()))
        code = _COMMENT.sub("", line).strip()
        statement_start = code.endswith(".") if code else statement_start


def _expand(match: re.Match[str], prefixes: Mapping[str, str]) -> str | None:
    iri, double, single, prefix, local = match.groups()
    if local is None:
        return iri or double or single
    namespace = prefixes.get(prefix or "")
    return None if namespace is None else namespace + local


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
