"""A real FHIR client, ``fhirpy``'s async client, against a real uvicorn: it reads the code
system, searches for it by url, runs the four operations, and turns an
``OperationOutcome`` into its own exception, as it does against HAPI FHIR."""

from __future__ import annotations

from typing import Any

import pytest
from fhirpy import AsyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from tests.protocols.fhir.checks import IMPLICIT, SYSTEM

pytestmark = [pytest.mark.anyio, pytest.mark.server]


@pytest.fixture
def fhir(server_url: str) -> AsyncFHIRClient:
    return AsyncFHIRClient(f"{server_url}/fhir")


def value(parameters: Any, name: str) -> Any:
    (found,) = [p for p in parameters["parameter"] if p["name"] == name]
    return next(v for k, v in found.items() if k.startswith("value"))


async def test_reads_the_code_system(fhir: AsyncFHIRClient) -> None:
    code_system = await fhir.reference("CodeSystem", "engagement-glossary").to_resource()
    assert code_system["url"] == SYSTEM
    assert len(code_system["concept"]) == code_system["count"] == 60


async def test_searches_code_systems_by_url(fhir: AsyncFHIRClient) -> None:
    found = await fhir.resources("CodeSystem").search(url=SYSTEM).fetch()
    assert [c["id"] for c in found] == ["engagement-glossary"]
    assert await fhir.resources("CodeSystem").search(url=SYSTEM).count() == 1


async def test_capabilities(fhir: AsyncFHIRClient) -> None:
    statement = await fhir.execute("metadata", method="get")
    assert statement["resourceType"] == "CapabilityStatement"
    terminology = await fhir.execute("metadata", method="get", params={"mode": "terminology"})
    assert terminology["codeSystem"][0]["uri"] == SYSTEM


async def test_lookup_of_consultation(fhir: AsyncFHIRClient) -> None:
    params = {"system": SYSTEM, "code": "consultation", "property": "definition"}
    found = await fhir.execute("CodeSystem/$lookup", method="get", params=params)
    assert value(found, "display") == "consultation"
    (definition,) = [p for p in found["parameter"] if p["name"] == "property"]
    assert definition["part"][1]["valueString"].startswith("A formal process")


async def test_lookup_by_post(fhir: AsyncFHIRClient) -> None:
    body = {
        "resourceType": "Parameters",
        "parameter": [{"name": "coding", "valueCoding": {"system": SYSTEM, "code": "co-design"}}],
    }
    found = await fhir.execute("CodeSystem/$lookup", method="post", data=body)
    parents = [
        p["part"][1]["valueCode"]
        for p in found["parameter"]
        if p["name"] == "property" and p["part"][0]["valueCode"] == "parent"
    ]
    assert parents == ["co-production"]


async def test_validate_code(fhir: AsyncFHIRClient) -> None:
    params = {"url": SYSTEM, "code": "community-engagement", "display": "citizen engagement"}
    found = await fhir.execute("CodeSystem/$validate-code", method="get", params=params)
    assert value(found, "result") is True


async def test_subsumes(fhir: AsyncFHIRClient) -> None:
    params = {"system": SYSTEM, "codeA": "co-production", "codeB": "co-design"}
    found = await fhir.execute("CodeSystem/$subsumes", method="get", params=params)
    assert value(found, "outcome") == "subsumes"


async def test_expand_finds_community_engagement(fhir: AsyncFHIRClient) -> None:
    params = {"url": IMPLICIT, "filter": "citizen engagement", "count": 5}
    found = await fhir.execute("ValueSet/$expand", method="get", params=params)
    assert found["expansion"]["contains"][0]["code"] == "community-engagement"


async def test_errors_reach_the_client_as_operation_outcomes(fhir: AsyncFHIRClient) -> None:
    with pytest.raises(ResourceNotFound):
        await fhir.reference("CodeSystem", "no-such-system").to_resource()
    params = {"url": IMPLICIT, "count": 100000}
    with pytest.raises(OperationOutcome) as raised:
        await fhir.execute("ValueSet/$expand", method="get", params=params)
    assert "count" in str(raised.value)
