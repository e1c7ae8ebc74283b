"""``api.sparql_results``: each format parsed back by pyoxigraph (CSV by the csv module)."""

from __future__ import annotations

import csv
import io
import json
import xml.dom.minidom

import pyoxigraph as ox
import pytest

from api.sparql.results import Row, boolean, solutions

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
