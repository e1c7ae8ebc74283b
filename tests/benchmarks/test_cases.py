"""``benchmarks.cases``: every case in a varied and a repeated form (issue 12)."""

from __future__ import annotations

import json
import urllib.parse

from benchmarks import wrk
from benchmarks.cases import LANGUAGES, Sample, Target, both_forms, cases, literal, prefix

SAMPLE = Sample(
    ids=tuple(f"c{n}" for n in range(1, 1001)),
    labels=tuple({"value": f"concept {n}", "language": "en"} for n in range(1, 1001)),
    scheme="scheme",
)


def test_the_varied_form_cycles_through_every_concept_and_language() -> None:
    concept = next(c for c in cases(SAMPLE) if c.name == "concept")
    assert len({call.path for call in concept.calls}) == 1000
    sent = {dict(call.headers).get("Accept-Language") for call in concept.calls}
    assert sent == set(LANGUAGES)
    assert concept.target == Target(ratio=0.6)


def test_graphql_and_sparql_vary_their_variables_and_labels() -> None:
    chosen = {c.name: c for c in cases(SAMPLE)}
    ids = {json.loads(call.body or "")["variables"]["id"] for call in chosen["graphql"].calls}
    assert len(ids) == 1000
    assert len({call.path for call in chosen["sparql"].calls}) == 1000
    assert chosen["sparql"].connections == 8


def test_each_case_comes_varied_then_repeated_and_only_varied_has_a_target() -> None:
    forms = both_forms(cases(SAMPLE))
    assert [c.form for c in forms[:2]] == ["varied", "repeated"]
    repeated = forms[1]
    assert repeated.calls == forms[0].calls[:1]
    assert repeated.target == Target()


def test_labels_become_sparql_literals_and_search_prefixes() -> None:
    assert literal({"value": 'say "hi"', "language": "en"}) == '"say \\"hi\\""@en'
    assert prefix({"value": "concept 123", "language": "en"}) == "concept 1"


def test_a_lua_script_cycles_through_every_request() -> None:
    script = wrk.lua_requests(
        [("GET", "/a", (("Accept-Language", "fr"),), None), ("POST", "/b", (), '{"x": 1}')]
    )
    assert '{"GET", "/a", {["Accept-Language"] = "fr"}, ""},' in script
    assert '{"POST", "/b", {}, "{\\"x\\": 1}"},' in script
    assert "function request()" in script
    assert "at = at % #formatted + 1" in script


def test_skosmos_cases_autocomplete_and_list_top_concepts_in_turns_of_language() -> None:
    chosen = {c.name: c for c in cases(SAMPLE)}
    searches = chosen["skosmos-search"].calls
    assert len(searches) == 1000
    first = urllib.parse.urlsplit(searches[0].path)
    assert first.path == "/rest/v1/scheme/search"
    assert urllib.parse.parse_qs(first.query) == {
        "query": ["concept*"], "unique": ["true"], "maxhits": ["10"],
    }  # fmt: skip
    assert "lang=en" in searches[1].path
    tops = [call.path for call in chosen["skosmos-top"].calls]
    assert tops == [
        "/rest/v1/scheme/topConcepts",
        "/rest/v1/scheme/topConcepts?lang=en",
        "/rest/v1/scheme/topConcepts?lang=en-GB",
    ]
    assert chosen["skosmos-search"].target == Target(ratio=0.3)


def test_the_fhir_case_looks_up_every_concept_in_the_schemes_code_system() -> None:
    sample = Sample(SAMPLE.ids, SAMPLE.labels, "scheme", "http://example.org/scheme")
    lookups = next(c for c in cases(sample) if c.name == "fhir-lookup").calls
    queries = [urllib.parse.parse_qs(urllib.parse.urlsplit(call.path).query) for call in lookups]
    assert {q["system"][0] for q in queries} == {"http://example.org/scheme"}
    assert len({q["code"][0] for q in queries}) == 1000
