"""OpenRefine's request sequence (manifest, batches of queries, suggest, preview, property
proposals, extension) run by a client written to the specification, in-process and against
a real uvicorn; every answer is checked against the specification's structure."""

from __future__ import annotations

import itertools

import httpx
import pytest

from api.runtime.snapshot import Snapshot
from tests.protocols.reconciliation.client import SpecClient

pytestmark = pytest.mark.anyio

#: A spreadsheet column as council data teams type it.
COLUMN = [
    "coproduction",
    "Co-Production",
    "consultation exercise",
    "Consultation",
    "citizen engagement",
    "public consultation",
    "co design",
    "participation",
    "people's panel",
    "focus group",
    "information",
    "involvement",
]


async def openrefine_session(http: httpx.AsyncClient, endpoint: str, snapshot: Snapshot) -> None:
    client = SpecClient(http, endpoint)
    manifest = await client.add_service()
    scheme = next(iter(snapshot.index.schemes.values()))
    assert scheme.iri in [t["id"] for t in manifest["defaultTypes"]]

    queries = [{"query": text, "type": scheme.iri, "type_strict": "should"} for text in COLUMN]
    found = dict(zip(COLUMN, await client.reconcile(queries), strict=True))
    best = {text: candidates[0] for text, candidates in found.items() if candidates}
    # Spelling does not matter to the match: hyphens, spaces and case.
    for text in ("coproduction", "Co-Production"):
        assert best[text]["id"] == "co-production"
        assert best[text]["match"] is True
        assert best[text]["score"] >= 90
    assert best["Consultation"]["id"] == "consultation"
    assert best["Consultation"]["match"]
    # An alternative label reconciles to its concept.
    assert best["citizen engagement"]["id"] == "community-engagement"
    assert best["citizen engagement"]["match"]
    # A longer phrase offers the concept without claiming it is the one.
    for text in ("consultation exercise", "public consultation"):
        ids = [c["id"] for c in found[text]]
        assert "consultation" in ids, text
        assert not any(c["match"] for c in found[text]), text
    assert all(
        c["score"] <= prev["score"]
        for candidates in found.values()
        for prev, c in itertools.pairwise(candidates)
    )

    suggested = await client.suggest("co-p")
    assert "co-production" in [s["id"] for s in suggested]

    preview = await client.preview("co-production")
    assert "co-production" in preview.text
    page = await http.get(client.view("co-production"), headers={"Accept": "text/html"})
    assert page.status_code == 200

    offered = {p["id"] for p in await client.propose_properties(scheme.iri)}
    assert {"definition", "broader", "scheme"} <= offered

    extended = await client.extend(
        ["co-design", "co-production", "no-such-concept"], ["definition", "broader", "scheme"]
    )
    rows = extended["rows"]
    index = snapshot.index
    assert [v["id"] for v in rows["co-design"]["broader"]] == list(
        index.concepts["co-design"].broader
    )
    definition = index.concepts["co-production"].definitions[0].value
    assert rows["co-production"]["definition"] == [{"str": definition}]
    assert rows["co-production"]["scheme"] == [{"str": scheme.titles[0].value}]
    assert rows["no-such-concept"] == {"definition": [], "broader": [], "scheme": []}


async def test_openrefine_sequence_in_process(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await openrefine_session(client, "/reconcile", snapshot)


@pytest.mark.server
async def test_openrefine_sequence_against_uvicorn(server_url: str, snapshot: Snapshot) -> None:
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as http:
        await openrefine_session(http, f"{server_url}/reconcile", snapshot)
