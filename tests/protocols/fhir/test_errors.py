"""Every bad request under ``/fhir/`` is a 4xx ``OperationOutcome`` with FHIR's issue code,
never a 500 and never the rest of the service's problem+json; the limits are settings."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from tests.protocols.fhir.checks import FHIR_JSON, IMPLICIT, SYSTEM, outcome, validated
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio

LOOKUP, EXPAND = "/fhir/CodeSystem/$lookup", "/fhir/ValueSet/$expand"
SUBSUMES, VALIDATE = "/fhir/CodeSystem/$subsumes", "/fhir/CodeSystem/$validate-code"
CODE = f"system={SYSTEM}&code=consultation"

GETS = [
    (f"{LOOKUP}?system={SYSTEM}&code=no-such-code", 404, "not-found"),
    (f"{LOOKUP}?system=http://example.org/unknown&code=consultation", 404, "not-found"),
    (f"{LOOKUP}?{CODE}&version=9.9", 404, "not-found"),
    (f"{LOOKUP}?system={SYSTEM}", 400, "required"),
    (f"{LOOKUP}?code=consultation", 400, "required"),
    (f"{LOOKUP}?{CODE}&colour=blue", 400, "invalid"),
    (f"{LOOKUP}?{CODE}&_format=json&colour=blue", 400, "invalid"),
    (f"{LOOKUP}?{CODE}&code=co-design", 400, "invalid"),
    (f"{LOOKUP}?{CODE}&coding={SYSTEM}|co-design", 400, "invalid"),
    (f"{LOOKUP}?system={SYSTEM}&code=%FF", 400, "invalid"),
    (f"{LOOKUP}?system={SYSTEM}&code=a%00b", 400, "invalid"),
    (f"{LOOKUP}?{CODE}&displayLanguage=not%20a%20tag!", 400, "invalid"),
    (f"{VALIDATE}?url={SYSTEM}", 400, "required"),
    (f"{VALIDATE}?code=consultation", 400, "required"),
    (f"{VALIDATE}?url=http://example.org/unknown&code=consultation", 404, "not-found"),
    (f"{VALIDATE}?url={SYSTEM}&codeableConcept=x", 400, "invalid"),
    (f"{SUBSUMES}?system={SYSTEM}&codeA=co-design&codeB=no-such-code", 404, "not-found"),
    (f"{SUBSUMES}?system={SYSTEM}&codeA=co-design", 400, "required"),
    (f"{EXPAND}?url={IMPLICIT}&count=100000", 400, "too-costly"),
    (f"{EXPAND}?url={IMPLICIT}&count=101", 400, "too-costly"),
    (f"{EXPAND}?url={IMPLICIT}&count=ten", 400, "invalid"),
    (f"{EXPAND}?url={IMPLICIT}&offset=-1", 400, "invalid"),
    (f"{EXPAND}?url={IMPLICIT}&offset=99999999999", 400, "invalid"),
    (f"{EXPAND}?url={IMPLICIT}&activeOnly=yes", 400, "invalid"),
    (f"{EXPAND}?url={IMPLICIT}&filter={'x' * 201}", 400, "too-long"),
    (f"{EXPAND}?url={SYSTEM}", 404, "not-found"),
    (f"{EXPAND}?url=http://example.org/vs", 404, "not-found"),
    (f"{EXPAND}?url={IMPLICIT}=isa/co-production", 400, "not-supported"),
    (f"{EXPAND}?url={IMPLICIT}&valueSetVersion=0", 404, "not-found"),
    (EXPAND, 400, "required"),
    ("/fhir/CodeSystem/no-such-system", 404, "not-found"),
    ("/fhir/CodeSystem/engagement-glossary?_summary=maybe", 400, "invalid"),
    ("/fhir/CodeSystem/engagement-glossary?id=x", 400, "invalid"),
    ("/fhir/CodeSystem?name=x", 400, "invalid"),
    ("/fhir/metadata?mode=everything", 400, "invalid"),
    ("/fhir/Patient/1", 404, "not-found"),
    ("/fhir/", 404, "not-found"),
    ("/fhir/metadata?_format=xml", 406, "not-supported"),
    (f"{LOOKUP}?{CODE}&_format=application/fhir%2Bxml", 406, "not-supported"),
]


@pytest.mark.parametrize(("url", "status", "code"), GETS)
async def test_bad_gets(client: httpx.AsyncClient, url: str, status: int, code: str) -> None:
    outcome(await client.get(url), status, code)


@pytest.mark.parametrize("accept", ["application/fhir+xml", "text/turtle", "text/html"])
async def test_only_json_is_served(client: httpx.AsyncClient, accept: str) -> None:
    answer = await client.get(f"{LOOKUP}?{CODE}", headers={"Accept": accept})
    outcome(answer, 406, "not-supported")


@pytest.mark.parametrize(
    "accept",
    ["application/fhir+json", "application/json", "*/*", "application/fhir+json; fhirVersion=4.0"],
)
async def test_json_is_served_to_whoever_accepts_it(client: httpx.AsyncClient, accept: str) -> None:
    validated(await client.get(f"{LOOKUP}?{CODE}", headers={"Accept": accept}))


@pytest.mark.parametrize("format", ["json", "application/fhir+json", "application/json"])
async def test_format_json_is_honoured(client: httpx.AsyncClient, format: str) -> None:
    url = httpx.URL(LOOKUP, params={"system": SYSTEM, "code": "consultation", "_format": format})
    validated(await client.get(url, headers={"Accept": "text/html"}))


async def test_a_method_not_allowed_is_an_operation_outcome(client: httpx.AsyncClient) -> None:
    answer = await client.delete("/fhir/metadata")
    outcome(answer, 405, "not-supported")


BODIES = [
    (b"{not json", 400, "structure"),
    (b"[]", 400, "structure"),
    (b'{"resourceType": "Patient"}', 400, "structure"),
    (b'{"resourceType": "Parameters", "parameter": {}}', 400, "structure"),
    (b'{"resourceType": "Parameters", "parameter": [1]}', 400, "structure"),
    (b'{"resourceType": "Parameters", "parameter": [{"name": "code"}]}', 400, "structure"),
    (b'{"resourceType": "Parameters", "colour": 1}', 400, "structure"),
    (
        b'{"resourceType": "Parameters", "parameter": '
        b'[{"name": "code", "valueCode": "a", "valueString": "b"}]}',
        400,
        "structure",
    ),
    (
        b'{"resourceType": "Parameters", "parameter": [{"name": "code", "valueInteger": 1}]}',
        400,
        "invalid",
    ),
    (
        b'{"resourceType": "Parameters", "parameter": '
        b'[{"name": "coding", "valueCoding": {"code": 1}}]}',
        400,
        "invalid",
    ),
    (
        b'{"resourceType": "Parameters", "parameter": [{"name": "x", "resource": {}}]}',
        400,
        "invalid",
    ),
    (b"\xff\xfe", 400, "structure"),
    (b"[" * 100_000 + b"]" * 100_000, 413, "too-long"),
]


@pytest.mark.parametrize(("body", "status", "code"), BODIES)
async def test_bad_parameters_bodies(
    client: httpx.AsyncClient, body: bytes, status: int, code: str
) -> None:
    answer = await client.post(LOOKUP, content=body, headers={"Content-Type": FHIR_JSON})
    outcome(answer, status, code)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/fhir+xml", None],
)
async def test_a_body_must_be_fhir_json(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps({"resourceType": "Parameters"}).encode()
    answer = await client.post(LOOKUP, content=body, headers=headers)
    outcome(answer, 415, "not-supported")


async def test_errors_name_the_parameter(client: httpx.AsyncClient) -> None:
    answer = await client.get(EXPAND, params={"url": IMPLICIT, "count": "5000"})
    outcome(answer, 400, "too-costly")
    assert answer.json()["issue"][0]["expression"] == ["count"]


@pytest.fixture(scope="module")
async def limited() -> httpx.AsyncClient:  # type: ignore[misc]
    vocab = Path(__file__).resolve().parents[3] / "vocab"
    settings = Settings(vocab=(vocab,), fhir_max_body_bytes=1024, page_size=5, max_page_size=10)
    async with running_app(settings) as running:
        yield running.client


async def test_the_body_limit_is_a_setting(limited: httpx.AsyncClient) -> None:
    body = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "filter", "valueString": "x" * 1100},
            {"name": "url", "valueUri": IMPLICIT},
        ],
    }
    answer = await limited.post(EXPAND, json=body, headers={"Content-Type": FHIR_JSON})
    outcome(answer, 413, "too-long")


async def test_expansion_pages_follow_the_page_size_settings(limited: httpx.AsyncClient) -> None:
    body = validated(await limited.get(EXPAND, params={"url": IMPLICIT}))
    assert len(body["expansion"]["contains"]) == 5
    outcome(await limited.get(EXPAND, params={"url": IMPLICIT, "count": "11"}), 400, "too-costly")
    validated(await limited.get(EXPAND, params={"url": IMPLICIT, "count": "10"}))
