"""SPARQL query results as bytes: JSON, XML, CSV and TSV (W3C SPARQL 1.1 result formats).

Written here rather than by pyoxigraph's serialiser because results are capped, at
``sparql_max_rows`` rows and at ``sparql_max_bytes`` bytes: each format is a head, one
piece per row and a tail, so writing stops at the last whole row that fits and the
document still parses. CSV and TSV cells are guarded against spreadsheet formulas.
Runs in the SPARQL worker processes; imports nothing from the web layer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, TypeAlias
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row: TypeAlias = Sequence[Term | None]

XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SRX_NAMESPACE: Final = "http://www.w3.org/2005/sparql-results#"
#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Written:
    """A serialised result: its pieces, the rows in it, and whether rows were left out."""

    chunks: tuple[bytes, ...]
    rows: int
    truncated: bool


def solutions(fmt: str, variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    """SELECT results (``fmt``: ``json``, ``xml``, ``csv`` or ``tsv``), uncapped."""
    return b"".join(capped(fmt, variables, rows, max_rows=None, max_bytes=None).chunks)


def capped(
    fmt: str,
    variables: Sequence[str],
    rows: Iterable[Row],
    *,
    max_rows: int | None,
    max_bytes: int | None,
) -> Written:
    """SELECT results cut at ``max_rows`` rows or before the row that would pass ``max_bytes``.

    ``truncated`` is true when a row was left out; reading stops one row past a row cap, to
    know whether there was one. The head and tail always fit: they are counted against the
    cap first, so a cap smaller than them yields a document with no rows.
    """
    layout = _LAYOUTS[fmt](variables)
    head, tail = layout.head.encode(), layout.tail.encode()
    chunks, size, count = [head], len(head) + len(tail), 0
    pieces = iter(rows)
    for row in pieces:
        if max_rows is not None and count == max_rows:
            return Written((*chunks, tail), count, True)
        piece = ((layout.separator if count else "") + layout.row(row)).encode()
        if max_bytes is not None and size + len(piece) > max_bytes:
            return Written((*chunks, tail), count, True)
        chunks.append(piece)
        size += len(piece)
        count += 1
    return Written((*chunks, tail), count, False)


def boolean(fmt: str, value: bool) -> bytes:
    """An ASK result; CSV and TSV (which the spec leaves undefined) as one ``_askResult`` cell."""
    text = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SRX_NAMESPACE}">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    header = "_askResult" if fmt == "csv" else "?_askResult"
    return f"{header}\r\n{text}\r\n".encode() if fmt == "csv" else f"{header}\n{text}\n".encode()


@dataclass(frozen=True, slots=True)
class _Layout:
    head: str
    row: Callable[[Row], str]
    separator: str
    tail: str


def _json(variables: Sequence[str]) -> _Layout:
    def row(values: Row) -> str:
        binding = {
            name: _json_term(value)
            for name, value in zip(variables, values, strict=True)
            if value is not None
        }
        return json.dumps(binding, ensure_ascii=False)

    head = '{"head": {"vars": ' + json.dumps(list(variables)) + '}, "results": {"bindings": ['
    return _Layout(head, row, ", ", "]}}")


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):  # SPARQL 1.2 / RDF-star quoted triples
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    found: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        found["datatype"] = term.datatype.value
    return found


def _xml(variables: Sequence[str]) -> _Layout:
    def row(values: Row) -> str:
        cells = (
            f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
            for name, value in zip(variables, values, strict=True)
            if value is not None
        )
        return "<result>" + "".join(cells) + "</result>\n"

    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SRX_NAMESPACE}">\n<head>'
        + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        + "</head>\n<results>\n"
    )
    return _Layout(head, row, "", "</results>\n</sparql>\n")


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        inner = "".join(f"<{p}>{_xml_term(getattr(term, p))}</{p}>" for p in parts)
        return f"<triple>{inner}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        datatype = quoteattr(term.datatype.value)
        return f"<literal datatype={datatype}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def guarded(text: str) -> str:
    """``text`` with a ``'`` in front when a spreadsheet would read it as a formula.

    OWASP's CSV injection guidance: a cell starting with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return is prefixed with a single quote, which spreadsheets show and do not
    evaluate. The price: a negative number in CSV reads ``'-5``.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(variables: Sequence[str]) -> _Layout:
    # SPARQL 1.1 CSV: plain values, RFC 4180 quoting and CRLF line ends.
    def line(cells: Iterable[str]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(cells)
        return out.getvalue()

    def row(values: Row) -> str:
        return line(guarded(_csv_value(value)) for value in values)

    return _Layout(line(variables), row, "", "")


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv(variables: Sequence[str]) -> _Layout:
    # SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax (pyoxigraph's str() escapes tabs).
    def row(values: Row) -> str:
        return "\t".join("" if value is None else _tsv_term(value) for value in values) + "\n"

    return _Layout("\t".join("?" + v for v in variables) + "\n", row, "", "")


def _tsv_term(term: Term) -> str:
    """A TSV cell; a literal's quotes do not stop a spreadsheet, so its value is guarded."""
    if isinstance(term, ox.Literal) and term.value.startswith(FORMULA_STARTS):
        if term.language:
            term = ox.Literal(guarded(term.value), language=term.language)
        else:
            term = ox.Literal(guarded(term.value), datatype=term.datatype)
    return str(term)


_LAYOUTS: Final[Mapping[str, Callable[[Sequence[str]], _Layout]]] = MappingProxyType(
    {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
)
