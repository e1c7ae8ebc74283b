"""The HTML pages over HTTP: negotiation, alternates, JSON-LD, language tags, no inline code."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from api.pages import presenters, routes
from api.payloads.listings import Browse
from api.settings import Settings
from tests.support.apps import running_app
from tests.support.pages import Document, client_for
from tests.support.server import running_server
from tests.support.vocabularies import COLLECTIONS, PREFIXES, SMALL, generate_vocabulary

pytestmark = pytest.mark.anyio

HTML = {"accept": "text/html"}
RESOURCES = {
    "concept": "/concepts/consultation",
    "scheme": "/schemes/engagement-glossary",
    "collection": "/collections/engagement-spectrum",
}
PAGES = {
    **RESOURCES,
    "home": "/",
    "search": "/pages/search?q=engagement",
    "a-z": "/pages/a-z/c",
    "card": "/concepts/consultation/card",
}


async def page(client: httpx.AsyncClient, path: str, **headers: str) -> Document:
    response = await client.get(path, headers={**HTML, **headers})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return Document(response.text)


@pytest.mark.parametrize("path", RESOURCES.values(), ids=RESOURCES.keys())
async def test_resources_negotiate_html_by_accept_and_by_suffix(
    client: httpx.AsyncClient, path: str
) -> None:
    by_accept = await client.get(path, headers=HTML)
    by_suffix = await client.get(path + ".html")
    assert by_accept.text == by_suffix.text
    assert "Accept" in by_accept.headers["vary"]
    assert by_accept.headers["etag"]
    again = await client.get(path, headers={**HTML, "if-none-match": by_accept.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", RESOURCES.values(), ids=RESOURCES.keys())
async def test_resource_pages_link_every_other_format(client: httpx.AsyncClient, path: str) -> None:
    document = await page(client, path)
    linked = {a["type"] for a in document.all("link", rel="alternate")} - {
        "application/json+oembed"
    }
    header = (await client.get(path + ".json")).headers["link"]
    offered = set(re.findall(r'type="([^"]+)"', header)) - {"text/html"}
    assert linked == offered
    assert "application/json" in linked


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
async def test_pages_need_no_inline_script_or_style(client: httpx.AsyncClient, path: str) -> None:
    document = await page(client, path)
    assert document.inline_scripts == []
    assert not [tag for tag, _ in document.tags if tag == "style"]
    for _, attrs in document.tags:
        assert "style" not in attrs
        assert not [name for name in attrs if name.startswith("on")]


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
async def test_pages_have_a_language_a_main_landmark_and_one_h1(
    client: httpx.AsyncClient, path: str
) -> None:
    document = await page(client, path)
    assert document.all("html", lang="en")
    assert len(document.all("main")) == 1
    assert len(document.all("h1")) == 1


async def test_a_concept_page_embeds_a_defined_term(client: httpx.AsyncClient) -> None:
    document = await page(client, "/concepts/consultation")
    (term,) = document.jsonld
    assert term["@context"] == "https://schema.org"
    assert term["@type"] == "DefinedTerm"
    assert term["@id"] == "https://w3id.org/engagement-glossary/concepts/consultation"
    assert term["name"] == {"@value": "consultation", "@language": "en"}
    assert term["description"]["@value"].startswith("A formal process")
    assert term["inDefinedTermSet"].endswith("/schemes/engagement-glossary")
    assert term["url"] == "http://testserver/concepts/consultation"


async def test_scheme_and_collection_pages_embed_defined_term_sets(
    client: httpx.AsyncClient,
) -> None:
    scheme = (await page(client, "/schemes/engagement-glossary")).jsonld[0]
    assert scheme["@type"] == "DefinedTermSet"
    assert len(scheme["hasDefinedTerm"]) > 10
    collection = (await page(client, "/collections/engagement-spectrum")).jsonld[0]
    names = [term["name"]["@value"] for term in collection["hasDefinedTerm"]]
    assert names[:3] == ["coercion", "protection", "education"]


async def test_a_concept_page_offers_oembed_and_the_snippets(client: httpx.AsyncClient) -> None:
    document = await page(client, "/concepts/consultation")
    (discovery,) = document.all("link", type="application/json+oembed")
    href = str(discovery["href"])
    oembed = (await client.get(href)).json()
    assert oembed["type"] == "rich"
    assert "/concepts/consultation/card" in oembed["html"]
    response = await client.get("/concepts/consultation", headers=HTML)
    assert response.text.count('class="code" data-copy') == 4
    assert "&lt;script src=&#34;http://testserver/embed.js&#34; defer&gt;&lt;/script&gt;" in (
        response.text
    )
    assert "&lt;glossary-term term=&#34;consultation&#34;&gt;" in response.text


async def test_a_concept_page_shows_distinctions_and_criteria(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/consultation", headers=HTML)
    assert "How it differs" in response.text
    assert 'href="http://testserver/concepts/participation"' in response.text
    assert "the organisation determines the questions" in response.text


async def test_the_home_page_shows_the_spectrum_in_order(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    spectrum = response.text.split('class="spectrum', 1)[1].split("</ol>\n</section>", 1)[0]
    linked = re.findall(r'href="http://testserver/concepts/([a-z-]+)"', spectrum)
    assert linked == [
        "doing-to", "coercion", "protection", "education", "persuasion",
        "doing-for", "information", "consultation", "participation",
        "doing-with", "co-production", "involvement",
    ]  # fmt: skip


async def test_the_home_page_lists_every_concept_a_to_z(client: httpx.AsyncClient) -> None:
    total = (await client.get("/health")).json()["counts"]["concepts"]
    response = await client.get("/")
    a_to_z = response.text.split('id="a-to-z"', 1)[1]
    assert len(re.findall(r'href="http://testserver/concepts/', a_to_z)) == total
    assert 'role="search"' in response.text


async def test_the_search_page_lists_hits_best_first(client: httpx.AsyncClient) -> None:
    document = await page(client, "/pages/search?q=citizen%20engagement")
    links = [a["href"] for a in document.all("a") if "/concepts/" in str(a["href"])]
    assert links[0] == "http://testserver/concepts/community-engagement"


@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20"])
async def test_an_empty_search_shows_the_form(client: httpx.AsyncClient, query: str) -> None:
    document = await page(client, "/pages/search" + query)
    assert document.all("input", name="q")
    assert not document.all("ol", class_="results")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/pages/search?q=" + "x" * 201, 400),
        ("/pages/search?q=a&lang=not_a_tag", 400),
        ("/pages/search?q=a&q=b", 400),
        ("/pages/search?q=%FF", 400),
        ("/pages/a-z/zz", 404),
        ("/concepts/consultation.html?lang=123", 400),
        ("/concepts/no-such-concept.html", 404),
    ],
)
async def test_bad_page_requests_are_problems(
    client: httpx.AsyncClient, path: str, status: int
) -> None:
    response = await client.get(path, headers=HTML)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    problem = await client.get(path, headers={"accept": "application/json"})
    assert problem.json()["status"] == status


async def test_each_letter_page_lists_its_concepts(client: httpx.AsyncClient) -> None:
    document = await page(client, "/pages/a-z/c")
    links = [str(a["href"]) for a in document.all("a") if "/concepts/" in str(a["href"])]
    assert "http://testserver/concepts/consultation" in links
    assert "http://testserver/concepts/engagement" not in links


async def test_texts_carry_their_language_and_the_reader_can_pick_one(tmp_path: Path) -> None:
    async with client_for(SMALL, tmp_path) as client:
        english = await page(client, "/concepts/A")
        welsh = await page(client, "/concepts/A", **{"accept-language": "cy"})
        by_parameter = await page(client, "/concepts/A?lang=cy")
    assert english.all("h1", lang="en")
    assert welsh.all("h1", lang="cy")
    assert by_parameter.all("h1", lang="cy")
    assert welsh.jsonld[0]["name"] == {"@value": "Anifeiliaid", "@language": "cy"}


async def test_markup_in_the_vocabulary_is_escaped_everywhere(tmp_path: Path) -> None:
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"'
    turtle = (
        PREFIXES
        + f"""
ex:s a skos:ConceptScheme ; dct:title "Scheme"@en ; skos:hasTopConcept ex:evil .
ex:evil a skos:Concept ; skos:topConceptOf ex:s ; skos:prefLabel {evil!r}@en ;
    skos:definition "</script><script>alert(3)</script>"@en .
"""
    )
    async with client_for(turtle, tmp_path) as client:
        for path in ("/concepts/evil.html", "/", "/concepts/evil/card", "/pages/search?q=script"):
            response = await client.get(path)
            document = Document(response.text)
            assert document.inline_scripts == [], path
            assert not document.all("img"), path
            assert "<script>alert" not in response.text, path
        term = Document((await client.get("/concepts/evil.html")).text).jsonld[0]
    assert term["name"]["@value"] == evil


async def test_a_vocabulary_without_a_banded_collection_shows_its_longest_one(
    tmp_path: Path,
) -> None:
    async with client_for(COLLECTIONS, tmp_path) as client:
        response = await client.get("/")
    spectrum = response.text.split('class="spectrum', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"/concepts/(\w+)", spectrum) == ["three", "two", "one"]
    assert "band-name" not in spectrum


async def test_static_assets_are_served(client: httpx.AsyncClient) -> None:
    for name in ("glossary.css", "card.css", "pages.js", "embed.js", "favicon.svg"):
        response = await client.get(f"/static/{name}")
        assert response.status_code == 200, name
    document = await page(client, "/")
    stylesheet = document.all("link", rel="stylesheet")[0]["href"]
    assert urlsplit(str(stylesheet)).path == "/static/glossary.css"


def many_concepts(count: int) -> str:
    """A scheme of ``count`` concepts all under "A" ("a0001", "a0002", ...)."""
    concepts = "".join(
        f'ex:c{i} a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "a{i:04d}"@en .\n'
        for i in range(1, count + 1)
    )
    return PREFIXES + 'ex:s a skos:ConceptScheme ; dct:title "Many"@en .\n' + concepts


async def test_a_big_vocabulary_gets_a_page_per_letter_in_pages(tmp_path: Path) -> None:
    async with client_for(many_concepts(1001), tmp_path) as client:
        home = (await client.get("/")).text
        first = await page(client, "/pages/a-z/a")
        second = await page(client, "/pages/a-z/a?page=2")
        beyond = await client.get("/pages/a-z/a?page=3")
        zero = await client.get("/pages/a-z/a?page=0")
    assert 'href="http://testserver/pages/a-z/a"' in home
    assert "/concepts/c1001" not in home  # no full A-Z above 1,000 concepts
    concepts = [a for a in first.all("a") if "/concepts/" in str(a["href"])]
    assert len(concepts) == 1000
    assert first.all("a", rel="next")
    assert [a["href"] for a in second.all("a") if "/concepts/" in str(a["href"])] == [
        "http://testserver/concepts/c1001"
    ]
    assert second.all("a", rel="prev")
    assert (beyond.status_code, zero.status_code) == (404, 400)


async def test_a_concept_page_s_breadcrumb_honours_the_transitive_cap(tmp_path: Path) -> None:
    chain = "".join(
        f"ex:c{i} a skos:Concept ; skos:inScheme ex:s ; skos:broader ex:c{i - 1} .\n"
        for i in range(1, 51)
    )
    turtle = PREFIXES + "ex:s a skos:ConceptScheme .\nex:c0 a skos:Concept ; skos:inScheme ex:s .\n"
    async with client_for(turtle + chain, tmp_path, max_transitive=5) as client:
        document = await page(client, "/concepts/c50")
    links = [a["href"] for a in document.all("a") if "/concepts/c" in str(a["href"])]
    # The nearest four broader concepts and the concept itself, not all fifty ways up.
    assert links[:5] == [f"http://testserver/concepts/c{i}" for i in range(46, 51)]
    assert "http://testserver/concepts/c45" not in links


async def test_the_home_page_and_the_a_to_z_are_made_once_per_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Spies around the real functions: how often the A-Z is grouped and a page rendered.
    groupings, renderings = (
        count_calls(monkeypatch, presenters, "a_to_z"),
        count_calls(monkeypatch, routes, "body"),
    )
    vocabulary = tmp_path / "many.ttl"
    vocabulary.write_text(many_concepts(1500), encoding="utf-8")
    paths = ["/"] * 4 + ["/pages/a-z/a"] * 3 + ["/pages/a-z/a?page=2"] * 2
    async with running_app(Settings(vocab=(vocabulary,))) as running:
        for _ in range(2):  # concurrent first requests, then the same again
            answers = await asyncio.gather(*(running.client.get(p, headers=HTML) for p in paths))
            assert [a.status_code for a in answers] == [200] * len(paths)
        serving = running.runtime.current
        # One A-Z, made as the snapshot started (payloads.listings.Browse keeps it); home
        # and two letter pages, each made once and kept with the snapshot's documents.
        assert (len(groupings), len(renderings)) == (1, 3)
        assert serving.service(Browse).memo(("a-z", "en"), list) != []
        assert len(serving.caches.documents) == 3
        running.runtime.swap(running.runtime.snapshot)  # as a reload does: a new Serving
        assert len(groupings) == 2  # the new snapshot's A-Z, made as it started
        assert (await running.client.get("/", headers=HTML)).status_code == 200
        assert (len(groupings), len(renderings)) == (2, 4)


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[None]:
    """Replace ``owner.name`` by itself, noting each call in the list returned."""
    calls: list[None] = []
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(None)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.slow
@pytest.mark.server
def test_health_answers_while_a_large_vocabulary_s_pages_and_dumps_are_made(
    tmp_path: Path,
) -> None:
    # Each home or A-Z page of 40,000 concepts cost the event loop ~0.25 s when it was made
    # per request on it: 40 of them at once kept /health waiting ~10 s.
    vocabulary = tmp_path / "large.ttl"
    vocabulary.write_text(generate_vocabulary(40_000), encoding="utf-8")
    paths = ["/", "/pages/a-z/a", "/pages/a-z/b", "/pages/a-z/c"] * 10
    paths += ["/dumps/scheme.ttl", "/dumps/scheme.nt"]
    with running_server({"GLOSSARY_VOCAB": str(vocabulary)}) as base:
        answered: list[int] = []
        threads = [
            threading.Thread(target=lambda p=p: answered.append(fetch(base + p))) for p in paths
        ]
        for thread in threads:
            thread.start()
        checks = 0
        with httpx.Client(base_url=base, timeout=HEALTH_WAIT) as health:
            while any(thread.is_alive() for thread in threads) or checks < 3:
                assert health.get("/health").status_code == 200  # a timeout fails the test
                checks += 1
        for thread in threads:
            thread.join()
    assert answered == [200] * len(paths)


#: The longest /health may take while pages are made: a bound for a stuck loop, not a benchmark.
HEALTH_WAIT = 5.0


def fetch(url: str) -> int:
    return httpx.get(url, headers=HTML, timeout=300).status_code
