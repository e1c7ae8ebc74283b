"""GraphiQL served by the service itself (issue 13): its page loads only this service's own
files (npm's graphiql, react and react-dom, fetched at build time into the folder the
``graphiql_assets`` setting names), has ``lang`` and a viewport; without the files the page
says how to get them and links the SDL and the docs."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from api.graphql.ide import FILES, installed
from api.settings import Settings
from tests.support import ROOT
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio
BROWSER = {"accept": "text/html,application/xhtml+xml"}


@pytest.fixture(scope="module")
def assets() -> Path:
    folder = Settings().graphiql_assets
    if not installed(folder):
        pytest.fail(f"GraphiQL's files are not in {folder}: run `python3 tasks.py graphiql`")
    return folder


async def test_the_page_loads_only_files_of_this_service(
    client: httpx.AsyncClient, assets: Path
) -> None:
    response = await client.get("/graphql", headers=BROWSER)
    assert response.status_code == 200
    page = response.text
    assert '<html lang="en">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    for source in sources:  # the files, and the noscript links to the SDL and the docs
        assert source.startswith("http://testserver/"), source
    scripts = re.findall(r'<script src="http://testserver/graphql/assets/([^"]+)"', page)
    assert scripts == ["react.production.min.js", "react-dom.production.min.js",
                       "graphiql.min.js", "graphiql-start.js"]  # fmt: skip
    assert "unpkg" not in page
    assert "<script>" not in page  # no inline script: the policy allows none


@pytest.mark.parametrize("name", sorted(FILES))
async def test_each_file_is_served_with_its_type(
    client: httpx.AsyncClient, assets: Path, name: str
) -> None:
    response = await client.get(f"/graphql/assets/{name}")
    assert response.status_code == 200
    kind = "text/css" if name.endswith(".css") else "javascript"
    assert kind in response.headers["content-type"]
    assert response.headers["cache-control"] == "public, max-age=86400"
    assert len(response.content) > 500


@pytest.mark.parametrize(
    "name", ["package.json", "..%2F..%2Fsettings.py", "graphiql.js", "react.development.js"]
)
async def test_nothing_else_is_served(client: httpx.AsyncClient, name: str) -> None:
    assert (await client.get(f"/graphql/assets/{name}")).status_code == 404


async def test_the_sdl_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql/schema.graphql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")


async def test_without_the_files_the_page_says_how_to_get_them(
    settings: Settings, tmp_path: Path
) -> None:
    async with running_app(settings.model_copy(update={"graphiql_assets": tmp_path})) as running:
        response = await running.client.get("/graphql", headers=BROWSER)
        assert response.status_code == 200
        page = response.text
        assert '<html lang="en">' in page
        assert '<meta name="viewport"' in page
        assert "python3 tasks.py graphiql" in page
        assert "GLOSSARY_GRAPHIQL_ASSETS" in page
        assert '<a href="http://testserver/graphql/schema.graphql">' in page
        assert '<a href="http://testserver/docs">' in page
        assert "<script" not in page
        missing = await running.client.get("/graphql/assets/graphiql.min.js")
        assert missing.status_code == 404
        query = await running.client.post("/graphql", json={"query": "{ schemes { id } }"})
        assert query.status_code == 200  # the API itself needs none of it
