"""``api.sparql_worker``: the read-only check from rdflib's parse tree, evaluation, caps."""

from __future__ import annotations

import json
import subprocess
import sys

import pyoxigraph as ox
import pytest

from api.sparql.worker import Checked, Job, RejectedError, answer, check, evaluate, quick_form
from tests.support.rdf import store_of
from tests.support.vocabularies import SMALL

EX = "PREFIX ex: <http://example.org/>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ASK {}", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://example.org/A>", "DESCRIBE"),
        # Words that only look like the refused keywords are fine.
        ('SELECT * WHERE { ?s ?p "SERVICE <http://x/> FROM <http://y/>" }', "SELECT"),
        ("SELECT ?service ?from WHERE { ?service ?from ?o }", "SELECT"),
        (EX + "SELECT * WHERE { ?s ex:service ex:from }", "SELECT"),
        ("# SERVICE <http://x/> { }\nSELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }", "SELECT"),
    ],
)
def test_read_only_queries_pass(query: str, form: str) -> None:
    assert check(query) == form


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z . SERVICE ?x { ?s ?p ?o } }",
        "select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { OPTIONAL { { SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } } } } }",
        "ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } FROM <http://127.0.0.1:9/> WHERE { ?s ?p ?o }",
        "DESCRIBE ?s FROM <http://example.org/g> WHERE { ?s ?p ?o }",
        "ASK FROM <http://example.org/g> { ?s ?p ?o }",
    ],
)
def test_federation_and_dataset_clauses_are_refused(query: str) -> None:
    with pytest.raises(RejectedError) as rejected:
        check(query)
    assert rejected.value.outcome.status == "refused"


@pytest.mark.parametrize(
    "update",
    [
        'INSERT DATA { <http://e/s> <http://e/p> "o" }',
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://e/g>",
        "CREATE GRAPH <http://e/g>",
        "PREFIX ex: <http://e/> INSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }",
        "CLEAR DEFAULT ; LOAD <http://e/x>",
    ],
)
def test_updates_are_refused_as_read_only(update: str) -> None:
    with pytest.raises(RejectedError) as rejected:
        check(update)
    assert rejected.value.outcome.status == "refused"
    assert "read-only" in rejected.value.outcome.detail


@pytest.mark.parametrize(
    ("query", "line"),
    [
        ("SELECT * WHERE { ?s ?p ?o ", 1),
        ("SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }", 3),
        ("SELEKT * WHERE { ?s ?p ?o }", 1),
        ("", 1),
        # With "service" in it, pyoxigraph is not asked (it would call it): rdflib's message.
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }", 1),
    ],
)
def test_malformed_queries_say_where(query: str, line: int) -> None:
    with pytest.raises(RejectedError) as rejected:
        check(query)
    outcome = rejected.value.outcome
    assert outcome.status == "malformed"
    assert outcome.line == line
    assert outcome.column is not None
    assert outcome.detail.startswith(f"line {line}, column {outcome.column}: ")


def test_deep_nesting_is_malformed_not_a_crash() -> None:
    query = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000
    with pytest.raises(RejectedError) as rejected:
        check(query)
    assert rejected.value.outcome.status == "malformed"


STORE = store_of(SMALL)


def job(
    query: str,
    solutions: str | None = "json",
    graph: str | None = "ttl",
    max_bytes: int | None = None,
) -> Job:
    return Job(query, solutions, graph, max_rows=3, max_bytes=max_bytes)


def test_answer_serialises_in_the_negotiated_format() -> None:
    outcome = answer(STORE, job(EX + "SELECT ?c WHERE { ?c skos:prefLabel 'Birds'@en }"))
    assert (outcome.status, outcome.form, outcome.format) == ("ok", "SELECT", "json")
    bindings = json.loads(outcome.body)["results"]["bindings"]
    assert bindings == [{"c": {"type": "uri", "value": "http://example.org/B"}}]


def test_answer_caps_rows_and_triples() -> None:
    select = answer(STORE, job("SELECT * WHERE { ?s ?p ?o }"))
    assert select.truncated
    assert len(json.loads(select.body)["results"]["bindings"]) == 3
    graph = answer(STORE, job("CONSTRUCT WHERE { ?s ?p ?o }"))
    assert graph.truncated
    assert len(list(ox.parse(graph.body, format=ox.RdfFormat.TURTLE))) == 3
    exact = answer(STORE, job("SELECT * WHERE { ?s ?p ?o } LIMIT 3"))
    assert not exact.truncated


def test_answer_reports_a_missing_acceptable_format_without_evaluating() -> None:
    assert answer(STORE, job("ASK {}", solutions=None)).status == "not-acceptable"
    assert answer(STORE, job("CONSTRUCT WHERE { ?s ?p ?o }", graph=None)).status == (
        "not-acceptable"
    )


def test_answer_names_an_undeclared_prefix() -> None:
    outcome = answer(STORE, job("SELECT * WHERE { ?s ex:p ?o }"))
    assert outcome.status == "malformed"
    assert "prefix 'ex'" in outcome.detail


def test_evaluation_errors_are_the_query_s_failure() -> None:
    outcome = answer(STORE, job("SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999"))
    assert outcome.status in ("failed", "malformed", "ok")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "rdf", "jsonld"])
def test_graph_results_in_every_rdf_format(fmt: str) -> None:
    written = evaluate(STORE, "CONSTRUCT WHERE { ?s ?p ?o }", fmt, 1000)
    body = b"".join(written.chunks)
    formats = {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "rdf": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }
    assert len(list(ox.parse(body, format=formats[fmt]))) == len(STORE)
    assert not written.truncated
    assert written.rows == len(STORE)


def test_checked_remembers_answers_and_rejections() -> None:
    checked = Checked(size=2)
    assert checked.form("ASK {}") == "ASK"
    with pytest.raises(RejectedError):
        checked.form("CLEAR ALL")
    with pytest.raises(RejectedError):
        checked.form("CLEAR ALL")  # from memory, same answer
    checked.form("SELECT * WHERE { ?s ?p ?o }")
    assert checked.form("ASK {}") == "ASK"  # evicted and checked again


#: Every concept with a 12,800-character string: a small query with a fat answer.
FAT = (
    'SELECT ?s ?x WHERE { ?s ?p ?o BIND("0123456789abcdef" AS ?x0) '
    + "".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1}) " for i in range(10))
    + "BIND(SUBSTR(?x10, 1, 12800) AS ?x) }"
)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_answers_are_cut_by_bytes_at_a_whole_row(fmt: str) -> None:
    written = evaluate(STORE, FAT, fmt, max_rows=1000, max_bytes=40_000)
    body = b"".join(written.chunks)
    assert written.truncated
    assert written.rows == 3  # three rows of 12.8 kB fit in 40 kB, a fourth does not
    assert len(body) <= 40_000
    if fmt in ("json", "xml", "tsv"):  # and it still parses, whole rows only
        formats = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "tsv": ox.QueryResultsFormat.TSV}  # fmt: skip
        parsed = ox.parse_query_results(body, formats[fmt])
        assert isinstance(parsed, ox.QuerySolutions)
        assert [len(row["x"].value) for row in parsed] == [12_800] * 3


def test_an_answer_under_the_byte_cap_is_whole() -> None:
    written = evaluate(STORE, FAT, "json", max_rows=1000, max_bytes=10_000_000)
    assert not written.truncated
    assert written.rows == len(STORE)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "rdf", "jsonld"])
def test_graph_answers_are_cut_by_bytes(fmt: str) -> None:
    query = FAT.replace("SELECT ?s ?x WHERE", "CONSTRUCT { ?s <http://example.org/x> ?x } WHERE")
    written = evaluate(STORE, query, fmt, max_rows=1000, max_bytes=40_000)
    body = b"".join(written.chunks)
    assert written.truncated
    assert len(body) <= 40_000
    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "rdf": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}  # fmt: skip
    triples = list(ox.parse(body, format=formats[fmt]))
    assert 1 <= len(triples) == written.rows <= 3


def test_the_outcome_carries_the_rows_sent_and_the_cut() -> None:
    outcome = answer(STORE, job(FAT, max_bytes=30_000))
    assert (outcome.status, outcome.truncated, outcome.rows) == ("ok", True, 2)
    assert len(json.loads(outcome.body)["results"]["bindings"]) == 2


@pytest.mark.parametrize(
    ("query", "form"),
    [
        (EX + "SELECT ?c WHERE { ?c skos:prefLabel 'Birds'@en }", "SELECT"),
        ("# a comment\nBASE <http://example.org/>\nask {}", "ASK"),
        ("PREFIX : <http://example.org/>\nCONSTRUCT WHERE { ?s :p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://example.org/A>", "DESCRIBE"),
        # rdflib decides: anything that could hide what check() refuses, and updates.
        ('SELECT * WHERE { ?s ?p "SERVICE" }', None),
        ("SELECT * WHERE { ?from ?p ?o }", None),
        ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", None),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", None),
        ("SELECT * WHERE " + "{ " * 65 + "?s ?p ?o" + " }" * 65, None),
        ("SELECT * WHERE { ?s ?p ?o }" + " " * 5000, None),
        ("SELECTED", None),
    ],
)
def test_quick_form_vouches_only_for_short_plain_queries(query: str, form: str | None) -> None:
    assert quick_form(query) == form


def test_a_quick_query_is_not_parsed_by_rdflib_and_answers_alike() -> None:
    """Issue 12: rdflib's parser (milliseconds) is off the path of plain queries."""
    checked = Checked()
    query = EX + "SELECT ?c WHERE { ?c skos:prefLabel 'Birds'@en }"
    quick = answer(STORE, job(query), checked)
    assert checked._forms.stats().misses == 0  # observing: the memo was never asked
    assert quick == answer(STORE, job(query + "\n# service"), Checked())  # rdflib's path


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("SELECT * WHERE { ?s ?p }", "malformed"),  # pyoxigraph says where
        ("CLEAR ALL", "refused"),
        ("SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000, "malformed"),
    ],
)
def test_answer_still_refuses_what_check_refuses(query: str, status: str) -> None:
    assert answer(STORE, job(query)).status == status


def test_the_app_starts_without_rdflib_s_sparql_grammar() -> None:
    # Building the grammar costs every start 0.15 s; it is imported by the first check.
    code = (
        "import sys, api.app\n"
        "loaded = [m for m in sys.modules if m.startswith('rdflib.plugins.sparql')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    assert check("ASK { ?s ?p ?o }") == "ASK"
