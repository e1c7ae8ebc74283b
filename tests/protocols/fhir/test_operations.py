"""The terminology operations answer the glossary's questions, by GET and by POSTed
``Parameters`` alike, and every answer validates as FHIR R4(B)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.protocols.fhir.checks import (
    FHIR_JSON,
    IMPLICIT,
    SYSTEM,
    parameter,
    properties,
    validated,
)

pytestmark = pytest.mark.anyio


def parameters(**values: Any) -> dict[str, Any]:
    """A ``Parameters`` resource: ``code=("valueCode", "x")`` per parameter (lists repeat)."""
    entries = []
    for name, given in values.items():
        for kind, value in given if isinstance(given, list) else [given]:
            entries.append({"name": name, kind: value})
    return {"resourceType": "Parameters", "parameter": entries}


async def post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> httpx.Response:
    return await client.post(path, json=body, headers={"Content-Type": FHIR_JSON})


# $lookup ---------------------------------------------------------------------------------


async def test_lookup_gives_the_definition_of_consultation(client: httpx.AsyncClient) -> None:
    answer = await client.get(
        "/fhir/CodeSystem/$lookup", params={"system": SYSTEM, "code": "consultation"}
    )
    body = validated(answer)
    assert parameter(body, "display") == "consultation"
    assert parameter(body, "name") == "Glossary of engagement terminology"
    assert parameter(body, "version") == "1.5"
    (definition,) = [v for code, v, _ in properties(body) if code == "definition"]
    assert definition.startswith("A formal process by which policy makers")
    assert answer.headers["etag"]
    assert answer.headers["cache-control"].startswith("public")


async def test_lookup_gives_co_designs_parent(client: httpx.AsyncClient) -> None:
    body = validated(
        await client.get("/fhir/CodeSystem/$lookup", params={"system": SYSTEM, "code": "co-design"})
    )
    assert [v for code, v, _ in properties(body) if code == "parent"] == ["co-production"]


async def test_lookup_gives_distinctions_with_reasons(client: httpx.AsyncClient) -> None:
    body = validated(
        await client.get(
            "/fhir/CodeSystem/$lookup",
            params={"system": SYSTEM, "code": "participation", "property": "distinction"},
        )
    )
    found = {value: subs["reason"] for code, value, subs in properties(body)}
    assert found["co-production"] == "it doesn't require shared power or shared decision-making."
    assert all(code == "distinction" for code, _, _ in properties(body))
    assert not [p for p in body["parameter"] if p["name"] == "designation"]


async def test_lookup_by_post_with_a_coding(client: httpx.AsyncClient) -> None:
    body = parameters(
        coding=("valueCoding", {"system": SYSTEM, "code": "co-production"}),
        property=[("valueCode", "parent"), ("valueCode", "designation")],
    )
    answer = await post(client, "/fhir/CodeSystem/$lookup", body)
    found = validated(answer)
    assert parameter(found, "display") == "co-production"
    assert {code for code, _, _ in properties(found)} == {"parent"}
    assert [p for p in found["parameter"] if p["name"] == "designation"]
    assert answer.headers["cache-control"] == "no-store"


async def test_lookup_answers_in_the_display_language_asked_when_it_can(
    client: httpx.AsyncClient,
) -> None:
    # The glossary is English only: any other language falls back to English.
    query = {"system": SYSTEM, "code": "consultation", "displayLanguage": "cy"}
    body = validated(await client.get("/fhir/CodeSystem/$lookup", params=query))
    assert parameter(body, "display") == "consultation"


# $validate-code --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "result"),
    [
        ({"code": "co-design"}, True),
        ({"code": "co-design", "display": "co-design"}, True),
        ({"code": "community-engagement", "display": "Citizen engagement"}, True),
        ({"code": "co-design", "display": "co-production"}, False),
        ({"code": "not-a-code"}, False),
    ],
)
async def test_validate_code(
    client: httpx.AsyncClient, query: dict[str, str], result: bool
) -> None:
    answer = await client.get("/fhir/CodeSystem/$validate-code", params={"url": SYSTEM, **query})
    body = validated(answer)
    assert parameter(body, "result") is result
    if not result:
        assert parameter(body, "message")


async def test_validate_a_codeable_concept_by_post(client: httpx.AsyncClient) -> None:
    concept = {
        "coding": [
            {"system": "http://other.example/", "code": "x"},
            {"system": SYSTEM, "code": "consultation"},
        ]
    }
    body = parameters(url=("valueUri", SYSTEM), codeableConcept=("valueCodeableConcept", concept))
    found = validated(await post(client, "/fhir/CodeSystem/$validate-code", body))
    assert parameter(found, "result") is True
    assert parameter(found, "display") == "consultation"


# $subsumes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "outcome"),
    [
        ("co-production", "co-design", "subsumes"),
        ("co-design", "co-production", "subsumed-by"),
        ("inclusive-co-design", "co-production", "subsumed-by"),
        ("co-design", "co-design", "equivalent"),
        ("participation", "co-production", "not-subsumed"),
    ],
)
async def test_subsumes(client: httpx.AsyncClient, a: str, b: str, outcome: str) -> None:
    query = {"system": SYSTEM, "codeA": a, "codeB": b}
    body = validated(await client.get("/fhir/CodeSystem/$subsumes", params=query))
    assert parameter(body, "outcome") == outcome


async def test_subsumes_by_post_with_codings(client: httpx.AsyncClient) -> None:
    body = parameters(
        codingA=("valueCoding", {"system": SYSTEM, "code": "co-production"}),
        codingB=("valueCoding", {"system": SYSTEM, "code": "co-design"}),
    )
    found = validated(await post(client, "/fhir/CodeSystem/$subsumes", body))
    assert parameter(found, "outcome") == "subsumes"


# ValueSet/$expand ------------------------------------------------------------------------


async def test_citizen_engagement_finds_community_engagement(client: httpx.AsyncClient) -> None:
    query = {"url": IMPLICIT, "filter": "citizen engagement"}
    body = validated(await client.get("/fhir/ValueSet/$expand", params=query))
    contains = body["expansion"]["contains"]
    assert contains[0]["code"] == "community-engagement"
    assert contains[0]["display"] == "community engagement"
    assert contains[0]["system"] == SYSTEM


async def test_expand_pages_through_every_code(client: httpx.AsyncClient) -> None:
    codes: list[str] = []
    for offset in range(0, 60, 25):
        query = {"url": IMPLICIT, "count": "25", "offset": str(offset)}
        body = validated(await client.get("/fhir/ValueSet/$expand", params=query))
        assert body["expansion"]["total"] == 60
        assert body["expansion"]["offset"] == offset
        codes += [c["code"] for c in body["expansion"]["contains"]]
    assert len(codes) == len(set(codes)) == 60


async def test_expand_defaults_to_the_page_size(client: httpx.AsyncClient) -> None:
    body = validated(await client.get("/fhir/ValueSet/$expand", params={"url": IMPLICIT}))
    assert len(body["expansion"]["contains"]) == 20  # the page_size setting's default
    assert body["url"] == IMPLICIT
    assert body["status"] == "active"


async def test_expand_past_the_end_is_empty(client: httpx.AsyncClient) -> None:
    query = {"url": IMPLICIT, "offset": "1000"}
    body = validated(await client.get("/fhir/ValueSet/$expand", params=query))
    assert "contains" not in body["expansion"]
    assert body["expansion"]["total"] == 60


async def test_expand_with_designations_by_post(client: httpx.AsyncClient) -> None:
    body = parameters(
        url=("valueUri", IMPLICIT),
        filter=("valueString", "coproduction"),
        count=("valueInteger", 3),
        includeDesignations=("valueBoolean", True),
    )
    found = validated(await post(client, "/fhir/ValueSet/$expand", body))
    first = found["expansion"]["contains"][0]
    assert first["code"] == "co-production"
    assert {d["use"]["code"] for d in first["designation"]} >= {"prefLabel"}


async def test_the_same_expansion_has_the_same_identifier(client: httpx.AsyncClient) -> None:
    query = {"url": IMPLICIT, "filter": "design"}
    one = validated(await client.get("/fhir/ValueSet/$expand", params=query))
    other = validated(await client.get("/fhir/ValueSet/$expand", params={**query, "count": "5"}))
    again = validated(await post(client, "/fhir/ValueSet/$expand", parameters(
        url=("valueUri", IMPLICIT), filter=("valueString", "design")
    )))  # fmt: skip
    assert one["expansion"]["identifier"] == again["expansion"]["identifier"]
    assert one["expansion"]["identifier"] != other["expansion"]["identifier"]


async def test_a_codeable_concept_of_other_systems_is_not_valid(client: httpx.AsyncClient) -> None:
    concept = {"coding": [{"system": "http://other.example/", "code": "consultation"}]}
    body = parameters(url=("valueUri", SYSTEM), codeableConcept=("valueCodeableConcept", concept))
    found = validated(await post(client, "/fhir/CodeSystem/$validate-code", body))
    assert parameter(found, "result") is False
    assert parameter(found, "message") == f"No coding is of the code system '{SYSTEM}'."
