"""Small SPARQL answers kept per snapshot: a query asked again needs no worker (issue 12)."""

from __future__ import annotations

import pytest

from api.settings import Settings
from api.sparql.pool import QueryPool
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio

SELECT = "SELECT ?c WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept> } LIMIT 3"
JSON = {"accept": "application/sparql-results+json"}


async def test_an_answer_asked_again_needs_no_worker(settings: Settings) -> None:
    async with running_app(settings) as running:
        http = running.client
        first = await http.get("/sparql", params={"query": SELECT}, headers=JSON)
        assert first.status_code == 200
        running.runtime.current.service(QueryPool).close()  # no worker answers from now on
        again = await http.post("/sparql", data={"query": SELECT}, headers=JSON)
        assert again.status_code == 200
        assert again.content == first.content
        assert again.headers["content-type"] == first.headers["content-type"]
        assert again.headers["vary"] == "Accept"
        other = await http.get("/sparql", params={"query": SELECT + " OFFSET 1"}, headers=JSON)
        assert other.status_code == 503  # a new query does need one
        as_csv = await http.get("/sparql", params={"query": SELECT}, headers={"accept": "text/csv"})
        assert as_csv.status_code == 503  # kept per format: CSV was never asked


async def test_errors_are_not_kept(settings: Settings) -> None:
    async with running_app(settings) as running:
        bad = {"query": "SELECT * WHERE { ?s ?p }"}
        for _ in range(2):
            assert (await running.client.get("/sparql", params=bad)).status_code == 400
        assert len(running.runtime.current.caches.sparql) == 0
