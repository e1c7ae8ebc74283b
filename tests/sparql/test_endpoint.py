"""``/sparql`` over a real socket: SPARQLWrapper as the client, every result format, and
bad input (malformed, runaway, federated, updates, odd headers) answered with a 4xx/5xx
problem while the server keeps serving."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from tests.support.rdf import CONCEPTS, SKOS, graph_of, quiet_jsonld
from tests.support.server import GLOSSARY_NAMESPACE, SPARQL_MAX_ROWS, SPARQL_TIMEOUT

pytestmark = pytest.mark.server

PREFIXES = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
BY_LABEL = PREFIXES + 'SELECT ?c WHERE { ?c skos:prefLabel "consultation"@en }'
CONSTRUCT = PREFIXES + (
    "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c skos:prefLabel ?l ; skos:broader ?b }"
)
#: Four-way cross product of every triple: never finishes on any real data in a second.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CONSULTATION = rdflib.URIRef(CONCEPTS + "consultation")


@pytest.fixture
def wrapper(limited_server: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{limited_server}/sparql")
    client.setTimeout(30)
    return client


def converted(wrapper: SPARQLWrapper) -> Any:
    """What SPARQLWrapper makes of the response (its type depends on the format asked)."""
    return wrapper.query().convert()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.fixture(autouse=True)
def still_serving(limited: httpx.Client) -> Iterator[None]:
    """After every test the server answers queries and REST as before."""
    yield
    assert limited.get("/health").status_code == 200
    assert limited.get("/sparql", params={"query": "ASK {}"}).json() == {
        "head": {},
        "boolean": True,
    }


# SPARQLWrapper -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
def test_sparqlwrapper_selects_by_label_in_json(wrapper: SPARQLWrapper, method: str) -> None:
    wrapper.setQuery(BY_LABEL)
    wrapper.setReturnFormat(JSON)
    if method == POSTDIRECTLY:
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
    else:
        wrapper.setMethod(method)
    result = converted(wrapper)
    assert result["results"]["bindings"] == [{"c": {"type": "uri", "value": str(CONSULTATION)}}]


def test_sparqlwrapper_selects_in_xml(wrapper: SPARQLWrapper) -> None:
    wrapper.setQuery(BY_LABEL)
    wrapper.setReturnFormat(XML)
    document = converted(wrapper)
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == [str(CONSULTATION)]


@pytest.mark.parametrize(("fmt", "header"), [(CSV, "c\r\n"), (TSV, "?c\n")])
def test_sparqlwrapper_selects_in_csv_and_tsv(
    wrapper: SPARQLWrapper, fmt: str, header: str
) -> None:
    wrapper.setQuery(BY_LABEL)
    wrapper.setReturnFormat(fmt)
    text = converted(wrapper).decode()
    assert text.startswith(header)
    assert "engagement-glossary/concepts/consultation" in text


def test_sparqlwrapper_asks(wrapper: SPARQLWrapper) -> None:
    wrapper.setQuery(PREFIXES + 'ASK { ?c skos:prefLabel "consultation"@en }')
    wrapper.setReturnFormat(JSON)
    assert converted(wrapper)["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, JSONLD])
def test_sparqlwrapper_constructs_a_graph(wrapper: SPARQLWrapper, fmt: str) -> None:
    wrapper.setQuery(CONSTRUCT)
    wrapper.setReturnFormat(fmt)
    with quiet_jsonld():
        result = converted(wrapper)
    graph = (
        result
        if isinstance(result, rdflib.Graph)
        else rdflib.Graph().parse(data=result, format="turtle")
    )
    assert (CONSULTATION, SKOS.prefLabel, rdflib.Literal("consultation", lang="en")) in graph


def test_describe_returns_the_resource_s_triples(limited: httpx.Client) -> None:
    response = limited.get("/sparql", params={"query": f"DESCRIBE <{CONSULTATION}>"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = graph_of(response.content, "ttl")
    assert (CONSULTATION, SKOS.broader, None) in graph


# Formats by Accept and ?format= ---------------------------------------------------------

SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


@pytest.mark.parametrize("media_type", SOLUTION_TYPES)
def test_select_results_parse_in_every_format(limited: httpx.Client, media_type: str) -> None:
    query = PREFIXES + "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l } ORDER BY ?c LIMIT 5"
    response = limited.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    if media_type == "text/csv":  # lossy by design; pyoxigraph does not parse it
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == 5
        assert all(row["c"].startswith("https://w3id.org/engagement-glossary/") for row in rows)
        return
    solutions = ox.parse_query_results(response.content, SOLUTION_TYPES[media_type])
    assert isinstance(solutions, ox.QuerySolutions)
    parsed = list(solutions)
    assert len(parsed) == 5
    assert all(isinstance(row["c"], ox.NamedNode) for row in parsed)


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
     ("csv", "text/csv"), ("tsv", "text/tab-separated-values")],
)  # fmt: skip
def test_format_parameter_beats_accept(limited: httpx.Client, name: str, media_type: str) -> None:
    response = limited.get(
        "/sparql", params={"query": BY_LABEL, "format": name}, headers={"Accept": "text/csv"}
    )
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", "ttl"), ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"),
     ("application/ld+json", "jsonld"), ("*/*", "ttl")],
)  # fmt: skip
def test_construct_results_parse_in_every_rdf_format(
    limited: httpx.Client, accept: str, fmt: str
) -> None:
    response = limited.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    graph = graph_of(response.content, fmt)
    assert (CONSULTATION, SKOS.prefLabel, None) in graph


def test_a_select_in_a_graph_only_format_is_not_acceptable(limited: httpx.Client) -> None:
    response = limited.get("/sparql", params={"query": BY_LABEL}, headers={"Accept": "text/turtle"})
    body = problem(response, 406)
    assert "application/sparql-results+json" in body["offered"]
    response = limited.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert "text/turtle" in problem(response, 406)["offered"]


def test_an_unknown_format_parameter_is_a_400(limited: httpx.Client) -> None:
    body = problem(limited.get("/sparql", params={"query": BY_LABEL, "format": "yaml"}), 400)
    assert body["invalid_params"][0]["name"] == "format"


@pytest.mark.parametrize("accept", ["garbage", "*/*;q=x", "text/html", ";;;", "x" * 5000, ""])
def test_garbage_accept_headers_get_406_or_the_default(limited: httpx.Client, accept: str) -> None:
    response = limited.get("/sparql", params={"query": BY_LABEL}, headers={"Accept": accept})
    assert response.status_code in (200, 406)
    if response.status_code == 200:
        assert response.headers["content-type"] == "application/sparql-results+json"


def test_get_answers_conditional_requests(limited: httpx.Client) -> None:
    first = limited.get("/sparql", params={"query": BY_LABEL})
    assert "max-age" in first.headers["cache-control"]
    again = limited.get(
        "/sparql", params={"query": BY_LABEL}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


# Limits -----------------------------------------------------------------------------


def test_results_are_capped_and_say_so(limited: httpx.Client) -> None:
    response = limited.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == SPARQL_MAX_ROWS
    assert response.headers["sparql-results-truncated"] == str(SPARQL_MAX_ROWS)
    graph = limited.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert len(graph_of(graph.content, "ttl")) == SPARQL_MAX_ROWS
    assert graph.headers["sparql-results-truncated"] == str(SPARQL_MAX_ROWS)
    small = limited.get("/sparql", params={"query": BY_LABEL})
    assert "sparql-results-truncated" not in small.headers


def test_a_runaway_query_is_stopped_while_others_are_served(
    limited: httpx.Client, limited_server: str
) -> None:
    # Workers start on first use (~0.5 s each); measure a warm pool, as a deployment runs.
    assert limited.get("/sparql", params={"query": BY_LABEL}).status_code == 200
    time.sleep(2)
    outcome: dict[str, Any] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = httpx.get(f"{limited_server}/sparql", params={"query": RUNAWAY}, timeout=60)
        outcome.update(response=response, seconds=time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    with httpx.Client(base_url=limited_server, timeout=10) as other:
        while thread.is_alive():
            started = time.monotonic()
            assert other.get("/concepts/consultation").status_code == 200
            assert other.get("/sparql", params={"query": BY_LABEL}).status_code == 200
            assert time.monotonic() - started < 0.5
            time.sleep(0.05)
    thread.join()
    body = problem(outcome["response"], 504)
    assert body["timeout_seconds"] == SPARQL_TIMEOUT
    assert SPARQL_TIMEOUT <= outcome["seconds"] < SPARQL_TIMEOUT + 5


def test_runaway_queries_in_parallel_all_stop(limited_server: str) -> None:
    def run(_: int) -> int:
        return httpx.get(
            f"{limited_server}/sparql", params={"query": RUNAWAY}, timeout=60
        ).status_code

    threads: list[threading.Thread] = []
    statuses: list[int] = []
    for i in range(4):
        threads.append(threading.Thread(target=lambda i=i: statuses.append(run(i))))
        threads[-1].start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 4
    assert set(statuses) <= {503, 504}
    assert 504 in statuses


def test_one_address_runs_one_query_at_a_time_while_others_are_served(
    limited_server: str,
) -> None:
    """Over real sockets from 127.0.0.2 and .3 (127.0.0.1 is exempt by default)."""

    def client_at(address: str) -> httpx.Client:
        transport = httpx.HTTPTransport(local_address=address)
        return httpx.Client(base_url=limited_server, transport=transport, timeout=30)

    with client_at("127.0.0.2") as greedy, client_at("127.0.0.3") as other:
        runaway = threading.Thread(target=lambda: greedy.get("/sparql", params={"query": RUNAWAY}))
        runaway.start()
        time.sleep(0.3)
        with client_at("127.0.0.2") as same:  # a query not answered before: kept answers
            fresh = BY_LABEL + "\n# asked by the greedy client"  # need no worker, no place
            refused = same.get("/sparql", params={"query": fresh})
        served = other.get("/sparql", params={"query": BY_LABEL})
        runaway.join()
    body = problem(refused, 429)
    assert body["type"].endswith("/too-many-requests")
    assert refused.headers["retry-after"] == "1"
    assert served.status_code == 200


# Refused and malformed -------------------------------------------------------------------


def test_a_malformed_query_gets_the_parser_s_message_line_and_column(limited: httpx.Client) -> None:
    query = "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }"
    body = problem(limited.get("/sparql", params={"query": query}), 400)
    assert body["type"].endswith("/malformed-query")
    assert body["line"] == 3
    assert 1 <= body["column"] <= len("  FILTER(?o = ) }") + 1
    assert body["detail"].startswith(f"line 3, column {body['column']}: expected")


def test_an_undeclared_prefix_is_malformed(limited: httpx.Client) -> None:
    body = problem(limited.get("/sparql", params={"query": "SELECT * { ?s ex:p ?o }"}), 400)
    assert body["line"] == 1
    assert "prefix 'ex'" in body["detail"]


def test_service_is_refused_without_calling_it(limited: httpx.Client) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        for target in (f"http://127.0.0.1:{port}/", "http://127.0.0.1:9/"):
            for query in (
                f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                f"ASK {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
                f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
            ):
                body = problem(limited.get("/sparql", params={"query": query}), 400)
                assert body["type"].endswith(("/query-refused", "/malformed-query")), body
        with pytest.raises(TimeoutError):
            listener.accept()


@pytest.mark.parametrize(
    "query",
    ["SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
     "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
     "CONSTRUCT { ?s ?p ?o } FROM <http://127.0.0.1:9/> WHERE { ?s ?p ?o }"],
)  # fmt: skip
def test_dataset_clauses_are_refused(limited: httpx.Client, query: str) -> None:
    body = problem(limited.get("/sparql", params={"query": query}), 400)
    assert body["type"].endswith("/query-refused")


def test_protocol_dataset_parameters_are_refused(limited: httpx.Client) -> None:
    params = {"query": BY_LABEL, "default-graph-uri": "http://example.org/g"}
    assert problem(limited.get("/sparql", params=params), 400)["type"].endswith("/query-refused")


INSERT = 'INSERT DATA { <http://example.org/x> <http://example.org/p> "y" }'


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", {"update": INSERT}),
        ("application/sparql-update", INSERT),
        ("application/x-www-form-urlencoded", {"query": INSERT}),
        ("application/sparql-query", INSERT),
        ("application/sparql-query", "LOAD <http://127.0.0.1:9/data.ttl>"),
        ("application/sparql-query", "CLEAR ALL"),
        ("application/sparql-query", "DELETE WHERE { ?s ?p ?o }"),
    ],
)
def test_updates_sent_by_post_are_refused(
    limited: httpx.Client, content_type: str, body: str | dict[str, str]
) -> None:
    if isinstance(body, dict):
        response = limited.post("/sparql", data=body)
    else:
        response = limited.post("/sparql", content=body, headers={"Content-Type": content_type})
    detail = problem(response, 400)
    assert detail["type"].endswith("/query-refused")
    assert "read-only" in detail["detail"]
    ask = "ASK { <http://example.org/x> ?p ?o }"
    assert limited.get("/sparql", params={"query": ask}).json()["boolean"] is False
    count = limited.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert int(count.json()["results"]["bindings"][0]["n"]["value"]) > 500


def test_an_update_by_get_is_refused(limited: httpx.Client) -> None:
    assert problem(limited.get("/sparql", params={"update": INSERT}), 400)


@pytest.mark.parametrize(
    ("headers", "content", "status"),
    [
        ({"Content-Type": "text/plain"}, b"ASK {}", 415),
        ({}, b"ASK {}", 415),
        ({"Content-Type": "application/sparql-query"}, b"\xff\xfe", 400),
        ({"Content-Type": "application/sparql-query"}, b"ASK {}" + b" " * 200_000, 413),
        ({"Content-Type": "application/sparql-query"}, b"   ", 400),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"query=a&query=b", 400),
    ],
)
def test_bad_posts(
    limited: httpx.Client, headers: dict[str, str], content: bytes, status: int
) -> None:
    problem(limited.post("/sparql", content=content, headers=headers), status)


def test_other_methods_are_not_allowed(limited: httpx.Client) -> None:
    response = limited.put("/sparql", content=b"ASK {}")
    assert problem(response, 405)
    assert "POST" in response.headers["allow"]


def test_the_service_description(limited: httpx.Client) -> None:
    response = limited.get("/sparql")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = graph_of(response.content, "ttl")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    # The limited server's public base URL is the namespace: the endpoint is named from it.
    endpoint = rdflib.URIRef(f"{GLOSSARY_NAMESPACE}sparql")
    assert (endpoint, rdflib.RDF.type, sd.Service) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert len(list(graph.objects(endpoint, sd.resultFormat))) == 8
    jsonld = limited.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(graph_of(jsonld.content, "jsonld")) == len(graph)
