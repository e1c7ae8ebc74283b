"""What the HTML pages show of withdrawn concepts, notations and languages, and that they
name nothing of the shipped glossary when another vocabulary is served (issue 11)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser

import httpx
import pytest

from tests.data.surfaces import CLASSIFICATION, load, serve

pytestmark = pytest.mark.anyio
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(load(CLASSIFICATION)) as http:
        yield http


async def html(client: httpx.AsyncClient, path: str, **headers: str) -> str:
    response = await client.get(path, headers={**HTML, **headers})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


class Languages(HTMLParser):
    """Each text's language (its nearest ``lang``, up to ``<html lang>``), and the page's."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: dict[str, str | None] = {}
        self.page: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang")
        if tag == "html":
            self.page = lang
            return
        if tag not in ("meta", "link", "input", "br", "img"):
            self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if text:
            own = [lang for _, lang in self.stack if lang is not None]
            self.texts.setdefault(text, own[-1] if own else self.page)


def languages(source: str) -> Languages:
    parser = Languages()
    parser.feed(source)
    return parser


# Withdrawn concepts --------------------------------------------------------------------


async def test_a_withdrawn_concept_page_says_what_to_use(client: httpx.AsyncClient) -> None:
    page = await html(client, "/concepts/c1-1")
    notice = re.search(r'<div class="notice withdrawn-notice".*?</div>', page, re.S)
    assert notice is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", notice.group(0))).strip()
    assert text == "This term is withdrawn; use 1.2 Birds instead."
    assert 'href="http://testserver/concepts/c1-2"' in notice.group(0)
    assert "Use this entry on your site" not in page  # no invitation to embed it


async def test_a_replacement_outside_the_data_is_linked_by_iri(client: httpx.AsyncClient) -> None:
    page = await html(client, "/concepts/c3")
    assert '<a href="http://example.org/elsewhere/chemistry">' in page
    assert "This term is withdrawn" in page


async def test_a_current_concept_has_no_notice_and_names_what_it_replaces(
    client: httpx.AsyncClient,
) -> None:
    page = await html(client, "/concepts/c1-2")
    assert "withdrawn-notice" not in page
    assert re.search(r'Replaces .*href="http://testserver/concepts/c1-1"', page)
    assert "Use this entry on your site" in page


async def test_browsing_leaves_withdrawn_concepts_out(client: httpx.AsyncClient) -> None:
    shown = {"/": "c1-2", "/pages/a-z/a": "c1-10", "/schemes/scheme": "c1"}
    for path, current in shown.items():
        page = await html(client, path)
        assert '/concepts/c1-1"' not in page, path  # Aves
        assert '/concepts/c3"' not in page, path  # Alchemy
        assert f'/concepts/{current}"' in page, path


async def test_an_a_to_z_with_withdrawn_concepts_marks_them(client: httpx.AsyncClient) -> None:
    page = await html(client, "/pages/a-z/a?deprecated=include")
    aves = '<a href="http://testserver/concepts/c1-1" lang="en">Aves</a>'
    assert f'{aves} <span class="withdrawn">(withdrawn)</span>' in page
    assert 'href="http://testserver/concepts/c1-10"' in page  # Amphibians, not withdrawn
    assert page.count('class="withdrawn"') == 2  # Aves, Alchemy
    assert 'href="http://testserver/pages/a-z/b?deprecated=include"' in page  # kept on
    assert "withdrawn terms too" in await html(client, "/pages/a-z/a")
    bad = await client.get("/pages/a-z/a?deprecated=all", headers=HTML)
    assert bad.status_code == 400


# Notations -----------------------------------------------------------------------------


async def test_notations_stand_beside_labels(client: httpx.AsyncClient) -> None:
    page = await html(client, "/pages/a-z/b")
    assert '<span class="notation">1.2</span> <a href="http://testserver/concepts/c1-2"' in page
    assert "Notation: <code>1.10</code>" in await html(client, "/concepts/c1-10")


async def test_a_classification_s_top_concepts_are_in_notation_order(
    client: httpx.AsyncClient,
) -> None:
    page = await html(client, "/schemes/scheme")
    tops = re.findall(r'<span class="notation">([^<]+)</span>', page)
    assert tops == ["1", "2"]  # Zoology before Botany: by notation, not label


# Languages -----------------------------------------------------------------------------


async def test_every_language_of_a_concept_is_shown_with_its_tag(
    client: httpx.AsyncClient,
) -> None:
    page = await html(client, "/concepts/c1-10")
    found = languages(page)
    assert found.page == "en"
    assert '<h1 id="concept-heading" lang="en">Amphibians</h1>' in page
    assert found.texts["Sammakkoeläimet"] == "fi"
    assert found.texts["Groddjur"] == "sv"
    assert found.texts["In other languages"] == "en"


async def test_an_untagged_label_carries_no_lang_and_says_so(client: httpx.AsyncClient) -> None:
    page = await html(client, "/concepts/c1-10", **{"accept-language": "fi"})
    assert '<span class="alt-label">Batrachia</span>' in page  # no lang attribute
    assert "No language tag" in page


@pytest.mark.parametrize(
    ("path", "headers", "expected"),
    [
        ("/concepts/c1-2?lang=fi", {}, "fi"),
        ("/concepts/c1-2", {"accept-language": "sv, fi;q=0.5"}, "sv"),
        ("/concepts/c1-2", {"accept-language": "de"}, "en"),
        ("/concepts/c1-2", {}, "en"),
        ("/?lang=fi", {}, "fi"),
        ("/pages/a-z/l?lang=fi", {}, "fi"),
    ],
)
async def test_the_page_language_follows_the_request(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], expected: str
) -> None:
    found = languages(await html(client, path, **headers))
    assert found.page == expected
    if expected != "en":  # the pages' own words keep their language
        assert found.texts["Skip to main content"] == "en"


async def test_a_language_switch_links_each_language(client: httpx.AsyncClient) -> None:
    page = await html(client, "/concepts/c1-2", **{"accept-language": "fi"})
    switch = re.search(r'<nav aria-label="Languages of the terms".*?</nav>', page, re.S)
    assert switch is not None
    links = re.findall(r'<a href="\?lang=(\w+)" hreflang="(\w+)"', switch.group(0))
    assert links == [("en", "en"), ("fi", "fi"), ("sv", "sv")]
    assert 'hreflang="fi" aria-current="true"' in switch.group(0)
    finnish = languages(await html(client, "/concepts/c1-2?lang=fi"))
    assert finnish.texts["Linnut"] == "fi"  # the heading, in the language chosen


async def test_one_language_has_no_switch(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("one-language")
    (folder / "v.ttl").write_text(
        CLASSIFICATION.read_text(encoding="utf-8").replace('"@fi', '"@en').replace('"@sv', '"@en'),
        encoding="utf-8",
    )
    async with serve(load(folder / "v.ttl")) as one:
        assert 'aria-label="Languages"' not in await html(one, "/concepts/c1-2")


# Neutral pages -------------------------------------------------------------------------

#: Every kind of page, document and representation a visitor or client meets.
EVERYWHERE = [
    "/", "/pages/a-z/a", "/pages/a-z/b?page=1", "/pages/search?q=birds", "/pages/search",
    "/concepts/c1-2", "/concepts/c1-1", "/concepts/c1-2/card", "/schemes/scheme",
    "/concepts/c1-2.json", "/concepts/c1-2.jsonld", "/concepts/c1-2.ttl", "/schemes/scheme.jsonld",
    "/concepts", "/schemes", "/health", "/docs", "/openapi.json", "/context.jsonld",
    "/void", "/void?format=jsonld", "/oembed?url=http://testserver/concepts/c1-2",
    "/concepts/nothing", "/no/such/page", "/concepts?limit=0", "/embed.js",
]  # fmt: skip
#: Names that stay because they are interfaces, not words about the glossary: the embed
#: element (<glossary-term>, used by pages that embed definitions) and the stylesheet's URL.
INTERFACE_NAMES = re.compile(r"glossary-term|/static/glossary\.css")
MENTIONS = re.compile(r"glossary|co-production|engagement", re.IGNORECASE)


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
async def test_nothing_served_mentions_the_glossary(client: httpx.AsyncClient, accept: str) -> None:
    for path in EVERYWHERE:
        response = await client.get(path, headers={"accept": accept})
        assert response.status_code < 500, path
        body = INTERFACE_NAMES.sub("", response.text)
        found = [body[max(0, m.start() - 40) : m.end() + 40] for m in MENTIONS.finditer(body)]
        assert found == [], (path, found[:3])


async def test_the_site_is_named_by_the_scheme_and_its_publisher(
    client: httpx.AsyncClient,
) -> None:
    page = await html(client, "/")
    assert "<title>Home · Example Classification</title>" in page
    assert "Published by Example Standards Body." in page
    docs = await html(client, "/docs")
    assert "<title>SKOS terminology service: REST API · Example Classification</title>" in docs
    assert "/concepts/c1-10.json" in docs  # examples from this vocabulary
    oembed = (await client.get("/oembed", params={"url": "http://testserver/concepts/c1-2"})).json()
    assert oembed["provider_name"] == "Example Classification"


async def test_settings_name_the_site() -> None:
    named = {"site_title": "Our Terms", "site_publisher": "Our Team"}
    async with serve(load(CLASSIFICATION), **named) as configured:
        page = await html(configured, "/concepts/c1-2")
        assert "<title>Birds · Our Terms</title>" in page
        assert "Published by Our Team." in page


def many_schemes(count: int) -> str:
    """``count`` one-concept schemes, each with its own namespace."""
    parts = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
             "@prefix dct: <http://purl.org/dc/terms/> .\n"]  # fmt: skip
    for n in range(count):
        ns = f"http://example.org/s{n}/"
        parts.append(
            f'<{ns}scheme> a skos:ConceptScheme ; dct:title "Scheme {n}"@en ;'
            f" skos:hasTopConcept <{ns}t{n}> .\n"
            f"<{ns}t{n}> a skos:Concept ; skos:inScheme <{ns}scheme> ;"
            f' skos:topConceptOf <{ns}scheme> ; skos:prefLabel "Term {n}"@en .\n'
        )
    return "".join(parts)


@pytest.mark.parametrize(("count", "listed"), [(6, False), (7, True)])
async def test_a_home_page_of_many_vocabularies_lists_them(
    tmp_path_factory: pytest.TempPathFactory, count: int, listed: bool
) -> None:
    path = tmp_path_factory.mktemp("schemes") / "many.ttl"
    path.write_text(many_schemes(count), encoding="utf-8")
    async with serve(load(path)) as several:
        page = await html(several, "/")
        assert f"<title>Home · {count} vocabularies</title>" in page
        assert (f"{count} vocabularies</h2>" in page) is listed
        # Main terms are not listed: the A to Z below lists every term already.
        assert ": main terms" not in page
