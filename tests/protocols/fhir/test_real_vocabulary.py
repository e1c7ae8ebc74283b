"""A real, multilingual vocabulary over FHIR: the UNESCO Thesaurus (about 4,400 concepts in
English, French, Spanish, Russian and more), read where it is in ``../shared/vocabularies/``
(never copied). Its code system validates whole; displays follow ``displayLanguage``; the
designations carry every language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.protocols.fhir.checks import parameter, validated
from tests.support import ROOT
from tests.support.apps import running_app

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

UNESCO = ROOT.parent / "shared" / "vocabularies" / "unesco" / "unesco-thesaurus.ttl"
SYSTEM = "http://vocabularies.unesco.org/thesaurus"
RIGHT_TO_EDUCATION = "concept10"


@pytest.fixture(scope="module")
async def unesco() -> AsyncIterator[httpx.AsyncClient]:
    if not UNESCO.is_file():
        pytest.fail(f"missing: {UNESCO} (check out ../shared beside the repository)")
    async with running_app(Settings(vocab=(UNESCO,))) as running:
        yield running.client


@pytest.fixture(scope="module")
async def code_system(unesco: httpx.AsyncClient) -> dict[str, Any]:
    found = validated(await unesco.get("/fhir/CodeSystem", params={"url": SYSTEM}))
    (entry,) = found["entry"]
    resource: dict[str, Any] = entry["resource"]
    return resource


async def test_the_thesaurus_is_one_complete_code_system(code_system: dict[str, Any]) -> None:
    assert code_system["count"] == len(code_system["concept"]) > 4000
    assert code_system["date"] == "2019-10-15T09:58:53.976+02:00"
    # UNESCO's broader links are not stated partitive: a grouping, not subsumption.
    assert code_system["hierarchyMeaning"] == "grouped-by"


async def test_designations_carry_every_language(code_system: dict[str, Any]) -> None:
    (concept,) = [c for c in code_system["concept"] if c["code"] == RIGHT_TO_EDUCATION]
    preferred = {
        d["language"]: d["value"] for d in concept["designation"] if d["use"]["code"] == "prefLabel"
    }
    assert preferred["fr"] == "Droit à l'éducation"
    assert preferred["ru"] == "Право на образование"
    assert concept["display"] == "Right to education"


@pytest.mark.parametrize(
    ("language", "display"), [("fr", "Droit à l'éducation"), ("es", "Derecho a la educación")]
)
async def test_lookup_answers_in_the_display_language(
    unesco: httpx.AsyncClient, language: str, display: str
) -> None:
    query = {"system": SYSTEM, "code": RIGHT_TO_EDUCATION, "displayLanguage": language}
    body = validated(await unesco.get("/fhir/CodeSystem/$lookup", params=query))
    assert parameter(body, "display") == display


async def test_expand_filters_in_any_language(unesco: httpx.AsyncClient) -> None:
    query = {"url": SYSTEM + "?fhir_vs", "filter": "droit à l'éducation", "displayLanguage": "fr"}
    body = validated(await unesco.get("/fhir/ValueSet/$expand", params=query))
    first = body["expansion"]["contains"][0]
    assert first["code"] == RIGHT_TO_EDUCATION
    assert first["display"] == "Droit à l'éducation"


async def test_subsumes_walks_the_thesaurus(unesco: httpx.AsyncClient) -> None:
    # Right to education (a top concept) has concept4938 below it.
    query = {"system": SYSTEM, "codeA": RIGHT_TO_EDUCATION, "codeB": "concept4938"}
    body = validated(await unesco.get("/fhir/CodeSystem/$subsumes", params=query))
    assert parameter(body, "outcome") == "subsumes"
