"""Real public vocabularies (``../shared/vocabularies/``) served through the real app: the
UNESCO Thesaurus, the STW Thesaurus for Economics and each of the Skosmos project's test
files, alone and all together, answer ``/health``, a concept, a search and ``/problems``; a
bad file beside good ones is left out and listed while the good ones are served. What each
vocabulary holds (labels, deprecations, languages) is ``tests/build/test_real_vocabularies``'s
to check; this module checks serving and the problems. The files are read where they are
(a folder of links for the mixed case), never copied into the project."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.build.files import VocabularyError, discover, load
from api.build.index import build_index
from api.settings import Settings
from tests.support import ROOT
from tests.support.apps import running_app

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

REAL = ROOT.parent / "shared" / "vocabularies"
UNESCO = REAL / "unesco" / "unesco-thesaurus.ttl"
STW = REAL / "stw" / "stw-skos.ttl"
SKOSMOS = REAL / "skosmos-test"
#: A concept of each, by IRI, and a word to search for.
UNESCO_CONCEPT = "http://vocabularies.unesco.org/thesaurus/concept10"
STW_CONCEPT = "http://zbw.eu/stw/descriptor/10043-4"


def skosmos_files() -> list[Path]:
    return list(discover([SKOSMOS])) if SKOSMOS.is_dir() else []


async def served(client: httpx.AsyncClient, iri: str, query: str) -> dict[str, object]:
    """Assert that the app answers /health, the concept ``iri`` and a search; its health."""
    health = await client.get("/health")
    assert health.status_code == 200
    concept = await client.get("/resolve", params={"iri": iri}, follow_redirects=True)
    assert concept.status_code == 200, iri
    assert concept.json()["iri"] == iri
    search = await client.get("/search", params={"q": query})
    assert search.status_code == 200
    assert search.json()["items"], query
    problems = await client.get("/problems", params={"limit": 100})
    assert problems.status_code == 200
    assert problems.json()["total"] == sum(health.json()["problems"]["byRule"].values())
    body: dict[str, object] = health.json()
    return body


def test_the_shared_vocabularies_are_there() -> None:
    assert UNESCO.is_file(), f"missing: {REAL} (check out ../shared beside the repository)"
    assert STW.is_file()
    assert len(skosmos_files()) == 32


async def test_unesco_alone() -> None:
    async with running_app(Settings(vocab=(UNESCO,))) as running:
        health = await served(running.client, UNESCO_CONCEPT, "education")
        assert health["counts"]["concepts"] == 4420  # type: ignore[index]


async def test_stw_alone() -> None:
    async with running_app(Settings(vocab=(STW,))) as running:
        health = await served(running.client, STW_CONCEPT, "economy")
        assert health["counts"]["concepts"] == 7394  # type: ignore[index]


def first_concept(file: Path) -> str | None:
    """The IRI of the first concept of ``file`` in the read model, or ``None``."""
    vocabulary = load([file])
    index = build_index(vocabulary.store, digest=vocabulary.digest, files=vocabulary.files)
    return next((concept.iri for concept in index.concepts.values()), None)


@pytest.mark.parametrize("file", skosmos_files(), ids=lambda file: file.name)
async def test_each_skosmos_file_alone(file: Path) -> None:
    iri = first_concept(file)
    if iri is None:  # an ontology or a fragment: refused at start-up, saying why
        with pytest.raises(VocabularyError, match="no-concepts"):
            async with running_app(Settings(vocab=(file,))):
                pass
        return
    async with running_app(Settings(vocab=(file,))) as running:
        client = running.client
        assert (await client.get("/health")).status_code == 200
        concept = await client.get("/resolve", params={"iri": iri}, follow_redirects=True)
        assert concept.status_code == 200
        assert (await client.get("/search", params={"q": "a"})).status_code == 200
        assert (await client.get("/problems")).status_code == 200


@pytest.fixture(scope="module")
async def everything() -> AsyncIterator[httpx.AsyncClient]:
    """UNESCO, STW and every Skosmos file in one app, loaded once."""
    async with running_app(Settings(vocab=(UNESCO, STW, SKOSMOS))) as running:
        yield running.client


async def test_all_together(everything: httpx.AsyncClient) -> None:
    health = await served(everything, UNESCO_CONCEPT, "education")
    await served(everything, STW_CONCEPT, "economy")
    assert len(health["files"]) == 34  # type: ignore[arg-type]
    assert health["problems"]["errors"] == 0  # type: ignore[index]
    # Skosmos' test files break SKOS on purpose (duplicate labels, cycles): served, listed.
    page = await everything.get("/pages/problems")
    assert page.status_code == 200


@pytest.fixture(scope="module")
async def mixed(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    """A folder of links to UNESCO and the Skosmos files, and one broken file beside them."""
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "unesco.ttl").symlink_to(UNESCO)
    for file in skosmos_files():
        (folder / file.name).symlink_to(file)
    (folder / "broken.ttl").write_text("<https://example.org/a> <https://e.org/p> .\n", "utf-8")
    async with running_app(Settings(vocab=(folder,))) as running:
        yield running.client


async def test_a_bad_file_beside_good_ones_never_takes_them_down(
    mixed: httpx.AsyncClient,
) -> None:
    health = await served(mixed, UNESCO_CONCEPT, "education")
    assert "broken.ttl" not in health["files"]  # type: ignore[operator]
    assert health["problems"]["errors"] == 1  # type: ignore[index]
    listed = (await mixed.get("/problems", params={"severity": "error"})).json()
    (problem,) = listed["items"]
    assert (problem["rule"], problem["file"], problem["line"]) == (
        "unreadable-file",
        "broken.ttl",
        1,
    )
    assert problem["message"].startswith("left out: syntax: ")
