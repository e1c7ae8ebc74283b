"""The same source tests against a second engine, Virtuoso (Debian's
``virtuoso-opensource``), when it is installed: the glossary read from it is the glossary
read from its file, and ``/sparql`` forwards to it within our caps. Slow: Virtuoso takes
about 45 s to create a database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from api.build.digest import content_digest
from api.build.remote import Endpoint, load_endpoint
from api.runtime.snapshot import load_snapshot
from api.settings import Settings
from api.sparql.endpoint import TRUNCATED_HEADER
from tests.sources.conftest import GLOSSARY
from tests.sources.test_serving import _same_answers
from tests.support.apps import running_app
from tests.support.stores import running_virtuoso

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("virtuoso-t") is None, reason="virtuoso-t is not installed"),
]

GRAPH = "https://example.org/graphs/glossary"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso"), [GLOSSARY], GRAPH) as url:
        yield url


def test_the_glossary_read_from_virtuoso_is_the_glossary_read_from_its_file(
    virtuoso: str,
) -> None:
    read = load_endpoint(Endpoint(virtuoso, graphs=(GRAPH,), page_size=25))
    assert read.digest == content_digest(load_snapshot([GLOSSARY]).store)
    assert read.triple_count == 794


@pytest.mark.anyio
async def test_every_glossary_answer_is_the_same_from_virtuoso(virtuoso: str) -> None:
    files = Settings(vocab=(GLOSSARY,))
    store = Settings(source=virtuoso, source_graphs=(GRAPH,))
    compared = await _same_answers(files, store, ("/concepts", "/schemes", "/collections"))
    assert compared == 60 + 1 + 6


@pytest.mark.anyio
async def test_sparql_is_forwarded_to_virtuoso_within_our_caps(virtuoso: str) -> None:
    settings = Settings(source=virtuoso, source_graphs=(GRAPH,), sparql_max_rows=10)
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    async with running_app(settings) as running:
        answer = await running.client.get(
            "/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        count = await running.client.get(
            "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) == 10
    assert answer.headers[TRUNCATED_HEADER] == "10"
    # Only the configured graph is queried, not Virtuoso's own system graphs.
    assert count.json()["results"]["bindings"][0]["n"]["value"] == "794"
