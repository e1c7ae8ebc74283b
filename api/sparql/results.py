"""SPARQL query results as bytes: JSON, XML, CSV and TSV (W3C SPARQL 1.1 result formats).

Written here rather than by pyoxigraph's serialiser because results are capped at
``sparql_max_rows``: we serialise the rows we kept, not the whole solution sequence.
Runs in the SPARQL worker processes; imports nothing from the web layer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, TypeAlias
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row: TypeAlias = Sequence[Term | None]

XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SRX_NAMESPACE: Final = "http://www.w3.org/2005/sparql-results#"


def solutions(fmt: str, variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    """SELECT results (``fmt``: ``json``, ``xml``, ``csv`` or ``tsv``)."""
    return _SOLUTIONS[fmt](variables, rows)


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


def _json(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    bindings = [
        {
            name: _json_term(value)
            for name, value in zip(variables, row, strict=True)
            if value is not None
        }
        for row in rows
    ]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode()


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


def _xml(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SRX_NAMESPACE}">\n')
    out.write("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
    out.write("</head>\n<results>\n")
    for row in rows:
        cells = (
            f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
            for name, value in zip(variables, row, strict=True)
            if value is not None
        )
        out.write("<result>" + "".join(cells) + "</result>\n")
    out.write("</results>\n</sparql>\n")
    return out.getvalue().encode()


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


def _csv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    # SPARQL 1.1 CSV: plain values, RFC 4180 quoting and CRLF line ends.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(value) for value in row] for row in rows)
    return out.getvalue().encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    # SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax (pyoxigraph's str() escapes tabs).
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if value is None else str(value) for value in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


_SOLUTIONS: Final[Mapping[str, Callable[[Sequence[str], Iterable[Row]], bytes]]] = MappingProxyType(
    {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
)
