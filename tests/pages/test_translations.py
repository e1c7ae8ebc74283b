"""The interface in Welsh and English: the catalogues are complete, the language is chosen by
``?lang=`` and ``Accept-Language``, and the glossary's own texts are never translated."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from api.pages.translations import (
    LOCALE,
    catalogue_path,
    interface_language,
    interface_languages,
    translations,
)

pytestmark = pytest.mark.anyio

HTML = {"accept": "text/html"}

ROOT = Path(__file__).resolve().parents[2]


def extracted() -> dict[str | tuple[str, str], None]:
    """Every interface string in the sources, as ``pybabel extract`` finds them now."""
    with (LOCALE / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    found: dict[str | tuple[str, str], None] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        found[message if isinstance(message, str) else (message[0], message[1])] = None
    return found


def test_every_interface_string_has_a_welsh_entry() -> None:
    with catalogue_path("cy").open("rb") as handle:
        welsh = read_po(handle, locale="cy")
    missing = []
    for message in extracted():
        entry = welsh.get(message)
        if entry is None or entry.fuzzy or not entry.string:
            missing.append(message)
        elif not isinstance(entry.string, str) and not all(entry.string):
            missing.append(message)  # a plural form left empty
    assert missing == [], "run python3 tasks.py messages, then translate these"


def test_the_welsh_catalogue_keeps_every_placeholder() -> None:
    with catalogue_path("cy").open("rb") as handle:
        welsh = read_po(handle, locale="cy")
    problems = [(message.id, errors) for message, errors in welsh.check()]
    assert problems == []


def test_the_template_is_current() -> None:
    """``locale/messages.pot`` lists what the sources hold (``tasks.py messages`` made it)."""
    with (LOCALE / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert set(extracted()) <= template


def test_welsh_and_english_are_offered_and_chosen_by_preference() -> None:
    assert interface_languages() == ("en", "cy")
    assert interface_language(("cy",)) == "cy"
    assert interface_language(("cy-GB", "en")) == "cy"
    assert interface_language(("fr", "cy")) == "cy"
    assert interface_language(("en-GB", "cy")) == "en"
    assert interface_language(("fr",)) == "en"
    assert interface_language(()) == "en"
    assert translations("cy").gettext("Search") == "Chwilio"
    assert translations("en").gettext("Search") == "Search"


async def welsh_words(response: httpx.Response) -> bool:
    assert response.status_code == 200
    return "Neidio i'r prif gynnwys" in response.text and 'lang="cy"' in response.text


@pytest.mark.parametrize(
    "path", ["/", "/concepts/co-production", "/pages/a-z/c", "/pages/search?q=co",
             "/collections/engagement-spectrum", "/schemes/engagement-glossary",
             "/pages/accessibility", "/pages/problems"],
)  # fmt: skip
async def test_accept_language_cy_gives_the_welsh_interface(
    client: httpx.AsyncClient, path: str
) -> None:
    html = {"accept": "text/html"}
    welsh = await client.get(path, headers={**html, "accept-language": "cy"})
    assert await welsh_words(welsh)
    assert "Accept-Language" in welsh.headers["vary"]
    english = await client.get(path, headers={**html, "accept-language": "en-GB,cy;q=0.5"})
    assert "Skip to main content" in english.text
    assert english.headers["etag"] != welsh.headers["etag"]


async def test_lang_cy_switches_and_the_page_links_back_to_english(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/concepts/consultation?lang=cy", headers={"accept": "text/html"})
    assert await welsh_words(page)
    assert '<a href="?lang=en" hreflang="en" lang="en">English</a>' in page.text
    english = await client.get("/concepts/consultation", headers={"accept": "text/html"})
    assert '<a href="?lang=cy" hreflang="cy" lang="cy">Cymraeg</a>' in english.text


async def test_the_switch_keeps_the_other_parameters(client: httpx.AsyncClient) -> None:
    page = (await client.get("/pages/search?q=co-production")).text
    assert 'href="?q=co-production&amp;lang=cy"' in page


async def test_the_glossary_text_stays_english_and_is_marked_so(
    client: httpx.AsyncClient,
) -> None:
    definition = "In the context of public services, co-production is an asset-based approach"
    for language in ("en", "cy"):
        page = (await client.get(f"/concepts/co-production.html?lang={language}")).text
        assert f'<p lang="en">{definition}' in page
    welsh = (await client.get("/concepts/co-production.html?lang=cy")).text
    assert '<h2 id="definition-heading" lang="cy">Diffiniad</h2>' in welsh


async def test_a_language_chosen_by_link_holds_from_page_to_page(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/concepts/consultation?lang=cy", headers=HTML)).text
    assert 'href="http://testserver/concepts/participation?lang=cy"' in body  # terms
    assert 'href="http://testserver/?lang=cy"' in body  # navigation
    assert 'href="http://testserver/collections/engagement-spectrum?lang=cy"' in body
    assert '<input type="hidden" name="lang" value="cy">' in body  # the search form
    letter = (await client.get("/pages/a-z/c?lang=cy&page=1")).text
    assert 'href="http://testserver/pages/a-z/d?lang=cy"' in letter
    # the canonical link and the data stay the resource's own
    assert '<link rel="canonical" href="http://testserver/concepts/consultation">' in body
    # chosen by the browser, nothing is carried
    browser = (
        await client.get("/concepts/consultation", headers={**HTML, "accept-language": "cy"})
    ).text
    assert "?lang=cy" not in browser.replace('href="?lang=cy"', "")


async def test_a_malformed_lang_is_not_carried(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/consultation?lang=not_a_tag", headers=HTML)
    assert response.status_code == 400  # the error page's links lead somewhere
    assert 'href="http://testserver/?lang=' not in response.text
    assert 'type="hidden" name="lang"' not in response.text
