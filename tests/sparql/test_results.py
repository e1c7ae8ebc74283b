"""``api.sparql_results``: each format parsed back by pyoxigraph (CSV by the csv module)."""

from __future__ import annotations

import csv
import io
import json
import xml.dom.minidom

import pyoxigraph as ox
import pytest

from api.sparql.results import Row, boolean, capped, guarded, solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
VARIABLES = ["s", "label", "n"]
ROWS: list[Row] = [
    [ox.NamedNode("http://example.org/a?b=c&d"), ox.Literal("tab\there", language="en"),
     ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))],
    [ox.BlankNode("b0"), ox.Literal('quote " comma , newline \n end'), None],
    [None, ox.Literal("<xml> & ünïcödé 🌍", language="cy-GB"), ox.Literal("")],
]  # fmt: skip
FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "tsv": ox.QueryResultsFormat.TSV}  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_solutions_round_trip_through_pyoxigraph(fmt: str) -> None:
    parsed = ox.parse_query_results(solutions(fmt, VARIABLES, ROWS), FORMATS[fmt])
    assert isinstance(parsed, ox.QuerySolutions)
    assert [v.value for v in parsed.variables] == VARIABLES
    back = [[row[v] for v in VARIABLES] for row in parsed]
    assert back[0] == ROWS[0]
    assert back[1][1:] == ROWS[1][1:]
    assert isinstance(back[1][0], ox.BlankNode)
    assert back[2] == ROWS[2]


def test_csv_is_rfc_4180_with_plain_values() -> None:
    text = solutions("csv", VARIABLES, ROWS).decode()
    assert text.startswith("s,label,n\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ["http://example.org/a?b=c&d", "tab\there", "1"]
    assert rows[2] == ["_:b0", 'quote " comma , newline \n end', ""]


def test_json_omits_unbound_variables_and_xsd_string() -> None:
    document = json.loads(solutions("json", VARIABLES, ROWS))
    assert document["head"]["vars"] == VARIABLES
    second = document["results"]["bindings"][1]
    assert set(second) == {"s", "label"}
    assert second["label"] == {"type": "literal", "value": 'quote " comma , newline \n end'}
    assert document["results"]["bindings"][0]["label"]["xml:lang"] == "en"


def test_xml_is_well_formed() -> None:
    xml.dom.minidom.parseString(solutions("xml", VARIABLES, ROWS))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", [True, False])
def test_booleans_round_trip(fmt: str, value: bool) -> None:
    if fmt == "tsv":
        assert boolean(fmt, value).decode().splitlines()[1] == str(value).lower()
        return
    assert bool(ox.parse_query_results(boolean(fmt, value), FORMATS[fmt])) is value


def test_a_csv_boolean_is_one_cell() -> None:
    assert boolean("csv", True) == b"_askResult\r\ntrue\r\n"


def test_no_rows() -> None:
    parsed = ox.parse_query_results(solutions("json", ["x"], []), ox.QueryResultsFormat.JSON)
    assert list(parsed) == []  # type: ignore[arg-type]


HOSTILE = ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_cells_that_a_spreadsheet_would_evaluate_start_with_a_quote(value: str) -> None:
    rows: list[Row] = [[ox.Literal(value), ox.Literal(value, language="en")]]
    text = solutions("csv", ["a", "b"], rows).decode()
    cells = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert cells == ["'" + value, "'" + value]


@pytest.mark.parametrize("value", HOSTILE)
def test_tsv_literals_that_a_spreadsheet_would_evaluate_start_with_a_quote(value: str) -> None:
    rows: list[Row] = [[ox.Literal(value, language="en")]]
    parsed = ox.parse_query_results(solutions("tsv", ["a"], rows), ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)
    assert [row["a"] for row in parsed] == [ox.Literal("'" + value, language="en")]


@pytest.mark.parametrize("value", ["plain", "a=b", "", "'quoted", "http://x/-y"])
def test_harmless_cells_are_unchanged(value: str) -> None:
    assert guarded(value) == value


def test_json_and_xml_are_not_guarded() -> None:
    rows: list[Row] = [[ox.Literal("=1+1")]]
    assert '"value": "=1+1"' in solutions("json", ["a"], rows).decode()
    assert "<literal>=1+1</literal>" in solutions("xml", ["a"], rows).decode()


def test_capped_stops_at_the_row_cap_and_says_so() -> None:
    rows: list[Row] = [[ox.Literal(str(i))] for i in range(5)]
    assert (capped("csv", ["n"], rows, max_rows=5, max_bytes=None).truncated) is False
    cut = capped("csv", ["n"], rows, max_rows=2, max_bytes=None)
    assert (cut.rows, cut.truncated) == (2, True)
    assert b"".join(cut.chunks) == b"n\r\n0\r\n1\r\n"


def test_capped_keeps_head_and_tail_when_no_row_fits() -> None:
    rows: list[Row] = [[ox.Literal("x" * 100)]]
    cut = capped("json", ["n"], rows, max_rows=None, max_bytes=10)
    assert (cut.rows, cut.truncated) == (0, True)
    assert json.loads(b"".join(cut.chunks)) == {
        "head": {"vars": ["n"]},
        "results": {"bindings": []},
    }
