"""The problems admission finds, as the service reports them: counts at ``/health``, the
paged JSON list at ``/problems`` and the quality report page ``/pages/problems``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from api.build.admission import RULES
from api.rest.openapi import load_spec
from api.settings import Settings
from tests.http.test_errors import assert_problem
from tests.support import DATA
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio

MIXED = DATA / "problems" / "mixed"


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The app serving a folder with a good file (with one problem of each rule) and a bad one."""
    async with running_app(Settings(vocab=(MIXED,))) as running:
        yield running.client


async def test_health_counts_problems_per_vocabulary(client: httpx.AsyncClient) -> None:
    body = (await client.get("/health")).json()
    assert body["files"] == ["vocabulary.ttl"]
    assert body["problems"] == {
        "errors": 1,
        "violations": 2,
        "warnings": 3,
        "byRule": {
            "S13": 1,
            "S14": 1,
            "ambiguous-pref-label": 1,
            "orphan": 1,
            "top-concept-broader": 1,
            "unreadable-file": 1,
        },
        "byVocabulary": {"broken.ttl": 1, "scheme": 5},
    }


async def test_the_good_file_is_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/concepts/twice")).status_code == 200
    assert (await client.get("/search", params={"q": "bank"})).json()["items"]


async def test_problems_lists_every_one_most_severe_first_with_file_names_only(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/problems")).json()
    assert body["total"] == 6
    assert body["next"] is None
    first = body["items"][0]
    assert first == {
        "rule": "unreadable-file",
        "severity": "error",
        "message": "left out: syntax: A dot is expected at the end of statements",
        "term": None,
        "label": None,
        "file": "broken.ttl",
        "line": 6,
    }
    s14 = next(item for item in body["items"] if item["rule"] == "S14")
    assert (s14["term"], s14["label"], s14["file"], s14["line"]) == (
        "https://example.org/problems/twice",
        "First",
        "vocabulary.ttl",
        12,
    )
    assert [item["severity"] for item in body["items"]] == ["error"] + ["violation"] * 2 + [
        "warning"
    ] * 3
    assert str(MIXED) not in (await client.get("/problems")).text


async def test_problems_are_paged_and_filtered(client: httpx.AsyncClient) -> None:
    first = await client.get("/problems", params={"limit": 4})
    assert len(first.json()["items"]) == 4
    assert first.headers["link"] == f'<{first.json()["next"]}>; rel="next"'
    rest = (await client.get(first.json()["next"])).json()
    assert [item["rule"] for item in rest["items"]] == ["orphan", "top-concept-broader"]
    only = (await client.get("/problems", params={"rule": "orphan"})).json()
    assert (only["total"], only["items"][0]["term"]) == (1, "https://example.org/problems/alone")
    warnings = (await client.get("/problems", params={"severity": "warning"})).json()
    assert warnings["total"] == 3
    assert warnings["counts"]["errors"] == 1  # the counts are of every problem


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("rule=nonsense", "rule"),
        ("rule=S13&rule=S14", "rule"),
        ("severity=fatal", "severity"),
        ("limit=0", "limit"),
        ("cursor=nonsense", "cursor"),
    ],
)
async def test_a_bad_parameter_is_a_problem_body(
    client: httpx.AsyncClient, query: str, parameter: str
) -> None:
    assert_problem(await client.get(f"/problems?{query}"), 400, parameter)


async def test_the_quality_report_page_lists_them(client: httpx.AsyncClient) -> None:
    response = await client.get("/pages/problems")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Quality report" in page
    assert "1 error, 2 violations, 3 warnings." in page
    assert "broken.ttl:6" in page
    assert "A dot is expected at the end of statements" in page
    assert str(MIXED) not in page
    one = (await client.get("/pages/problems", params={"rule": "orphan"})).text
    assert "orphan: 1 problem" in one
    assert "S14" in one  # the counts table still lists every rule
    assert_problem(await client.get("/pages/problems?rule=nonsense"), 400, "rule")


async def test_the_glossary_has_none(settings: Settings) -> None:
    async with running_app(settings) as running:
        body = (await running.client.get("/health")).json()
        assert body["problems"] == {
            "errors": 0,
            "violations": 0,
            "warnings": 0,
            "byRule": {},
            "byVocabulary": {},
        }
        assert (await running.client.get("/problems")).json()["items"] == []
        assert "No problems found." in (await running.client.get("/pages/problems")).text


def test_the_documented_rules_are_the_rules_admission_reports() -> None:
    (rule,) = (
        parameter
        for parameter in load_spec()["paths"]["/problems"]["get"]["parameters"]
        if parameter["name"] == "rule"
    )
    assert rule["schema"]["enum"] == list(RULES)
