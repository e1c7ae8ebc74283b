"""Only http(s) IRIs from vocabulary content become links; others are shown as text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.pages.templating import is_web_link
from api.settings import Settings
from tests.support.apps import running_app
from tests.support.vocabularies import PREFIXES

pytestmark = pytest.mark.anyio

#: What a hostile (or careless) vocabulary may put where pages show IRIs.
HOSTILE = ("javascript:alert(1)", "JavaScript:alert(2)", "data:text/html;base64,PHNjcmlwdD4=",
           "vbscript:x", "file:///etc/passwd")  # fmt: skip
LINKS = (
    PREFIXES
    + f"""
ex:scheme a skos:ConceptScheme ; dct:title "Links"@en ; dct:license <{HOSTILE[0]}> ;
    skos:hasTopConcept ex:a .
ex:a a skos:Concept ; skos:topConceptOf ex:scheme ; skos:prefLabel "Alpha"@en ;
    dct:source <{HOSTILE[1]}> ;
    rdfs:seeAlso <{HOSTILE[2]}> , <https://example.org/fine> ;
    skos:exactMatch <{HOSTILE[3]}> ; skos:closeMatch <{HOSTILE[4]}> .
"""
)


@pytest.mark.parametrize(
    ("iri", "linkable"),
    [("https://example.org/x", True), ("HTTP://example.org/", True), ("http:x", True),
     *((iri, False) for iri in HOSTILE), ("example.org/x", False), ("", False), (None, False)],
)  # fmt: skip
def test_only_http_and_https_are_web_links(iri: str | None, linkable: bool) -> None:
    assert is_web_link(iri) is linkable


@pytest.fixture(scope="module")
async def pages(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    folder = tmp_path_factory.mktemp("links")
    (folder / "links.ttl").write_text(LINKS, encoding="utf-8")
    async with running_app(Settings(vocab=(Path(folder),))) as running:
        yield running.client


@pytest.mark.parametrize("path", ["/concepts/a", "/schemes/scheme"])
async def test_other_schemes_are_shown_as_text_not_links(
    pages: httpx.AsyncClient, path: str
) -> None:
    response = await pages.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200
    page = response.text
    shown = [iri for iri in HOSTILE if f'<span class="iri">{iri}</span>' in page]
    assert shown, page  # each page shows some of them, as text
    for iri in HOSTILE:
        assert f'href="{iri}' not in page
    if path == "/concepts/a":
        assert len(shown) == 4  # source, see also, two mappings
        assert '<a href="https://example.org/fine">https://example.org/fine</a>' in page
