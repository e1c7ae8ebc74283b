"""The root Query, read like a spec: httpx against the ASGI app serving the glossary."""

from __future__ import annotations

import httpx
import pytest

from tests.graphql.helpers import data, error, ids

pytestmark = pytest.mark.anyio

CONSULTATION = "https://w3id.org/engagement-glossary/concepts/consultation"


# The questions the glossary's users ask ----------------------------------------------


async def test_the_definition_of_consultation_with_its_distinctions(
    client: httpx.AsyncClient,
) -> None:
    found = await data(
        client,
        """{ concept(id: "consultation") {
              prefLabel definition
              distinctions { concept { id prefLabel } reason direction } } }""",
    )
    concept = found["concept"]
    assert concept["definition"].startswith("A formal process by which policy makers")
    pairs = {(d["concept"]["id"], d["direction"]): d["reason"] for d in concept["distinctions"]}
    assert pairs[("information", "OUTGOING")] == "responses and feedback are sought."
    assert pairs[("participation", "OUTGOING")] == "it's not a two-way conversation."
    assert pairs[("information", "INCOMING")].startswith("information is disseminated")
    assert ("participation", "INCOMING") in pairs


async def test_the_narrower_concepts_of_doing_for_in_spectrum_order(
    client: httpx.AsyncClient,
) -> None:
    found = await data(
        client,
        """{ concept(id: "doing-for") {
              narrower(orderedBy: "engagement-spectrum") { id prefLabel } } }""",
    )
    assert ids(found["concept"]["narrower"]) == ["information", "consultation", "participation"]


async def test_narrower_without_an_order_comes_in_the_read_models_order(
    client: httpx.AsyncClient,
) -> None:
    found = await data(client, '{ concept(id: "doing-for") { narrower { id } } }')
    assert sorted(ids(found["concept"]["narrower"])) == [
        "consultation",
        "information",
        "participation",
    ]


async def test_the_spectrum_itself_is_an_ordered_collection(client: httpx.AsyncClient) -> None:
    found = await data(
        client, '{ collection(id: "engagement-spectrum") { ordered members { id } } }'
    )
    members = ids(found["collection"]["members"])
    assert found["collection"]["ordered"] is True
    assert members.index("information") < members.index("consultation")
    assert members.index("consultation") < members.index("participation")


async def test_the_concept_behind_citizen_engagement(client: httpx.AsyncClient) -> None:
    found = await data(
        client,
        """{ lookup(label: "Citizen Engagement") {
              concept { id prefLabel } label { value language type } field } }""",
    )
    first = found["lookup"][0]
    assert first["concept"] == {"id": "community-engagement", "prefLabel": "community engagement"}
    assert first["label"] == {"value": "citizen engagement", "language": "en", "type": "ALT_LABEL"}
    assert first["field"] == "altLabel"


# concept, lookup, search ----------------------------------------------------------------


async def test_a_concept_by_iri(client: httpx.AsyncClient) -> None:
    found = await data(client, "query($iri: String) { concept(iri: $iri) { id iri } }",
                       {"iri": CONSULTATION})  # fmt: skip
    assert found["concept"] == {"id": "consultation", "iri": CONSULTATION}


async def test_an_unknown_concept_is_null(client: httpx.AsyncClient) -> None:
    found = await data(
        client, '{ concept(id: "no-such-thing") { id } byIri: concept(iri: "urn:x:y") { id } }'
    )
    assert found == {"concept": None, "byIri": None}


@pytest.mark.parametrize(
    "arguments", ["", '(id: "consultation", iri: "https://w3id.org/engagement-glossary/x")']
)
async def test_concept_needs_exactly_one_of_id_and_iri(
    client: httpx.AsyncClient, arguments: str
) -> None:
    problem = await error(client, f"{{ concept{arguments} {{ id }} }}")
    assert problem["message"] == "Argument 'id' or 'iri' is required, but not both"
    assert problem["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}


async def test_lookup_of_an_unknown_label_is_empty(client: httpx.AsyncClient) -> None:
    assert await data(client, '{ lookup(label: "no such label") { field } }') == {"lookup": []}


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ('{ lookup(label: "  ") { field } }', "label"),
        ('{ lookup(label: "consultation", lang: "not a tag") { field } }', "lang"),
        ('{ lookup(label: "consultation", scheme: "nope") { field } }', "scheme"),
        ('{ search(query: "co", first: 0) { field } }', "first"),
        ('{ search(query: "co", first: 10000) { field } }', "first"),
        ('{ search(query: "' + "x" * 201 + '") { field } }', "query"),
    ],
)
async def test_unusable_arguments_are_named(
    client: httpx.AsyncClient, query: str, argument: str
) -> None:
    problem = await error(client, query)
    assert problem["message"].startswith(f"Argument '{argument}' ")
    assert problem["extensions"]["argument"] == argument


async def test_search_ranks_and_caps(client: httpx.AsyncClient) -> None:
    found = await data(
        client, '{ search(query: "co-prod", first: 2) { concept { id } match score } }'
    )
    hits = found["search"]
    assert len(hits) == 2
    assert hits[0]["concept"]["id"] == "co-production"
    assert hits[0]["score"] >= hits[1]["score"]


async def test_search_within_a_scheme(client: httpx.AsyncClient) -> None:
    found = await data(
        client,
        '{ search(query: "consultation", scheme: "engagement-glossary") { concept { id } } }',
    )
    assert found["search"][0]["concept"]["id"] == "consultation"


# schemes and collections --------------------------------------------------------------


async def test_schemes_and_a_scheme(client: httpx.AsyncClient) -> None:
    found = await data(
        client,
        """{ schemes { id }
             scheme(id: "engagement-glossary") {
               title defaultLanguage conceptCount topConcepts { id } }
             missing: scheme(id: "nope") { id } }""",
    )
    assert ids(found["schemes"]) == ["engagement-glossary"]
    scheme = found["scheme"]
    assert scheme["title"] == "Glossary of engagement terminology"
    assert scheme["defaultLanguage"] == "en"
    assert scheme["conceptCount"] > 40
    assert "engagement" in ids(scheme["topConcepts"])
    assert found["missing"] is None


async def test_collections_and_a_collection(client: httpx.AsyncClient) -> None:
    found = await data(
        client,
        """{ collections { id }
             collection(id: "co-production-cycle") { label ordered members { id } }
             missing: collection(id: "nope") { id } }""",
    )
    assert "co-production-cycle" in ids(found["collections"])
    cycle = found["collection"]
    assert cycle["ordered"] is True
    assert ids(cycle["members"])[:2] == ["co-planning", "co-design"]
    assert found["missing"] is None


# node and compare --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "local_id", "type_name"),
    [
        ("concept", "consultation", "Concept"),
        ("scheme", "engagement-glossary", "Scheme"),
        ("collection", "engagement-spectrum", "Collection"),
    ],
)
async def test_node_fetches_every_type_by_global_id(
    client: httpx.AsyncClient, field: str, local_id: str, type_name: str
) -> None:
    found = await data(client, f'{{ {field}(id: "{local_id}") {{ globalId }} }}')
    global_id = found[field]["globalId"]
    again = await data(
        client, "query($id: ID!) { node(id: $id) { __typename id globalId } }", {"id": global_id}
    )
    assert again["node"] == {"__typename": type_name, "id": local_id, "globalId": global_id}


async def test_node_of_a_gone_object_is_null(client: httpx.AsyncClient) -> None:
    gone = "Q29uY2VwdDpnb25l"  # base64 of "Concept:gone"
    assert await data(client, f'{{ node(id: "{gone}") {{ id }} }}') == {"node": None}


@pytest.mark.parametrize("global_id", ["consultation", "VW5rbm93bjp4"])  # plain id; "Unknown:x"
async def test_node_refuses_ids_that_are_not_ours(
    client: httpx.AsyncClient, global_id: str
) -> None:
    problem = await error(client, f'{{ node(id: "{global_id}") {{ id }} }}')
    assert problem["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}


async def test_compare_gives_the_distinctions_both_ways(client: httpx.AsyncClient) -> None:
    found = await data(
        client,
        """{ compare(a: "consultation", b: "information") {
              a { id } b { id } distinctions { direction reason concept { id } } } }""",
    )
    comparison = found["compare"]
    assert (comparison["a"]["id"], comparison["b"]["id"]) == ("consultation", "information")
    directions = {d["direction"]: d["reason"] for d in comparison["distinctions"]}
    assert directions["OUTGOING"] == "responses and feedback are sought."
    assert directions["INCOMING"].startswith("information is disseminated")
    assert {d["concept"]["id"] for d in comparison["distinctions"]} == {"information"}


async def test_compare_reversed_swaps_directions(client: httpx.AsyncClient) -> None:
    found = await data(
        client,
        '{ compare(a: "information", b: "consultation") { distinctions { direction reason } } }',
    )
    directions = {d["direction"]: d["reason"] for d in found["compare"]["distinctions"]}
    assert directions["INCOMING"] == "responses and feedback are sought."


async def test_compare_of_unrelated_or_unknown_concepts(client: httpx.AsyncClient) -> None:
    found = await data(
        client,
        """{ unrelated: compare(a: "information", b: "co-design") { distinctions { reason } }
             unknown: compare(a: "information", b: "nope") { a { id } } }""",
    )
    assert found == {"unrelated": {"distinctions": []}, "unknown": None}


async def test_there_are_no_mutations(client: httpx.AsyncClient) -> None:
    problem = await error(client, "mutation { anything }")
    assert "mutation" in problem["message"].lower()


# annotate ---------------------------------------------------------------------------------

ANNOTATE = """query($text: String!, $lang: String, $scheme: ID) {
  annotate(text: $text, lang: $lang, scheme: $scheme) {
    start end text concept { id } label { value type }
  }
}"""


async def test_annotate_finds_labels_with_offsets_into_the_text(client: httpx.AsyncClient) -> None:
    # U+2011 is a non-breaking hyphen: the annotator treats it as "-".
    text = "Our consultation became co\u2011production.\nCitizen engagement grew."
    found = (await data(client, ANNOTATE, {"text": text}))["annotate"]
    assert [(o["concept"]["id"], o["text"]) for o in found] == [
        ("consultation", "consultation"),
        ("co-production", "co\u2011production"),
        ("community-engagement", "Citizen engagement"),
    ]
    for occurrence in found:
        assert text[occurrence["start"] : occurrence["end"]] == occurrence["text"]
    assert found[2]["label"] == {"value": "citizen engagement", "type": "ALT_LABEL"}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"text": " \n "}, "Argument 'text' must not be empty"),
        ({"text": "consultation", "lang": "??"}, "Argument 'lang' must be a BCP 47 language tag"),
        ({"text": "consultation", "scheme": "nope"}, "Argument 'scheme' names no concept scheme"),
    ],
)
async def test_annotate_refuses_unusable_input(
    client: httpx.AsyncClient, variables: dict[str, str], message: str
) -> None:
    problem = await error(client, ANNOTATE, variables)
    assert problem["message"].startswith(message)


async def test_a_lone_surrogate_in_a_text_argument_is_named(client: httpx.AsyncClient) -> None:
    # JSON's "\ud800" escape is how a lone surrogate reaches a resolver: it is no character.
    query = b'"query($q: String!) { search(query: $q) { field } }"'
    body = b'{"query": ' + query + b', "variables": {"q": "co\\ud800"}}'
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    problem = response.json()["errors"][0]
    assert (
        problem["message"]
        == "Argument 'query' must not contain lone surrogates (send text as UTF-8)"
    )
    assert problem["extensions"]["argument"] == "query"
