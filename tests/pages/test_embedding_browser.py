"""Embeds on a council's page of another origin, in chromium at 320, 375 and 1280 px.

The host (``cms/``) is served from a second port with a CSP like a CMS's (its own scripts
and the service's; style attributes allowed, as CMS editors paste them). ``<glossary-term>``
stays inside the sentence in the host's type; its pop-up speaks Welsh inside ``lang="cy"``,
shows what the glossary says of an entry without a definition and says a misspelt term is
not there; the card (the oEmbed answer's iframe, pasted as a CMS would) fits the column,
clips nothing and follows its text's height with the host snippet of ``docs/pages.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, expect

from api.pages.fitting import card_height
from api.runtime.snapshot import Snapshot
from tests.pages.conftest import HostHandler, fresh_page
from tests.pages.test_browser import violations
from tests.pages.test_entry import INTERFACE, data_strings
from tests.support.origins import static_origin

pytestmark = [pytest.mark.anyio, pytest.mark.browser, pytest.mark.server]

CMS_PAGES = Path(__file__).resolve().parent / "cms"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "pages.md"
WIDTHS = (320, 375, 1280)


class CmsHandler(HostHandler):
    """A CMS's policy: scripts from itself and the service, style attributes allowed."""

    def policy(self) -> str:
        return (
            f"default-src 'self'; script-src 'self' {self.service}; "
            f"connect-src {self.service}; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; frame-src {self.service}"
        )


@pytest.fixture(scope="module")
def cms(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The council's site, on another port: another origin."""
    with static_origin(CMS_PAGES, tmp_path_factory.mktemp("cms"), CmsHandler, server_url) as url:
        yield url


def term(page: Page, name: str, paragraph: str = "") -> Locator:
    scope = page.locator(f"#{paragraph}") if paragraph else page
    return scope.locator(f'glossary-term[term="{name}"]').first


def control(page: Page, name: str, paragraph: str = "") -> Locator:
    return term(page, name, paragraph).locator("[role=button]")


def panel(page: Page, name: str, paragraph: str = "") -> Locator:
    return term(page, name, paragraph).locator(".panel")


async def no_sideways_scroll(page: Page) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= innerWidth"))


# <glossary-term> in the host's sentence ----------------------------------------------------

#: Every term followed by punctuation, at every column width from 200 to 640 px: is the
#: mark on the term's last line? (The column is narrowed with CSSOM, which a CSP allows.)
PUNCTUATION_SWEEP = """() => {
  const main = document.getElementById("text"), apart = [];
  for (let width = 200; width <= 640; width += 1) {
    main.style.width = width + "px";
    for (const element of document.querySelectorAll("p > glossary-term")) {
      const next = element.nextSibling;
      if (!next || next.nodeType !== 3 || !/^[.,]/.test(next.data)) continue;
      const range = document.createRange();
      range.setStart(next, 0);
      range.setEnd(next, 1);
      const mark = range.getClientRects()[0], lines = element.getClientRects();
      const last = lines[lines.length - 1], middle = (mark.top + mark.bottom) / 2;
      const name = element.getAttribute("term");
      if (middle < last.top || middle > last.bottom) apart.push([width, name]);
    }
  }
  main.style.width = "";
  return apart;
}"""


async def test_punctuation_stays_on_the_terms_line_at_every_width(cms: str, page: Page) -> None:
    await page.goto(cms + "/sentences.html")
    await expect(control(page, "coercion")).to_be_visible()
    assert await page.evaluate(PUNCTUATION_SWEEP) == []


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_term_reads_as_part_of_the_host_text(
    cms: str, page: Page, width: int, tmp_path: Path
) -> None:
    await page.set_viewport_size({"width": width, "height": 800})
    await page.goto(cms + "/sentences.html")
    linked = control(page, "asset-based-community-development")
    await expect(linked).to_be_visible()
    assert await no_sideways_scroll(page)
    style = (
        "e => { const s = getComputedStyle(e);"
        " return [s.display, s.color, s.fontWeight, s.fontFamily]; }"
    )
    # The host's own link is the control: the host's link colour, weight and font.
    assert await linked.evaluate(style) == ["inline", "rgb(128, 0, 64)", "700", "Georgia, serif"]
    assert await term(page, "coercion").evaluate("e => getComputedStyle(e).display") == "inline"
    plain = control(page, "coercion")
    assert (await plain.evaluate(style))[1:] == ["rgb(34, 34, 34)", "400", "Georgia, serif"]
    await page.screenshot(path=tmp_path / f"sentences-{width}.png", full_page=True)


async def test_a_welsh_paragraph_gets_welsh_controls(cms: str, page: Page) -> None:
    await page.goto(cms + "/sentences.html")
    await control(page, "consultation", "welsh").click()
    welsh = panel(page, "consultation", "welsh")
    await expect(welsh).to_be_visible()
    await expect(welsh).to_have_attribute("lang", "cy")
    await expect(welsh.locator(".close")).to_have_attribute("aria-label", "Cau")
    await expect(welsh.locator(".more a")).to_contain_text("Darllen y cofnod llawn")
    await expect(welsh.locator(".body")).to_contain_text("A formal process")  # data stays English
    await page.keyboard.press("Escape")
    await control(page, "coercion", "welsh").click()
    undefined = panel(page, "coercion", "welsh")
    await expect(undefined.locator(".entry-notice")).to_contain_text("ond nid yw'n ei ddiffinio")
    await expect(undefined.locator(".entry-notice")).to_have_attribute("lang", "cy")
    await page.keyboard.press("Escape")
    await control(page, "consultation", "linked").click()
    english = panel(page, "consultation", "linked")
    await expect(english.locator(".close")).to_have_attribute("aria-label", "Close")
    await expect(english.locator(".more a")).to_contain_text("Read the full entry")


async def test_a_misspelt_term_is_not_in_the_glossary_and_offers_a_search(
    cms: str, server_url: str, page: Page
) -> None:
    await page.goto(cms + "/sentences.html")
    await control(page, "consultaton").click()
    shown = panel(page, "consultaton")
    await expect(shown.locator(".body")).to_contain_text("There is no entry for “consultaton”.")
    await expect(shown.locator(".body")).not_to_contain_text("could not be loaded")
    search = shown.locator(".body a")
    await expect(search).to_have_attribute("href", server_url + "/pages/search?q=consultaton")
    await expect(shown.locator(".more")).to_be_hidden()


async def body_text_nodes(shown: Locator) -> list[str]:
    nodes: list[str] = await shown.locator(".body").evaluate(
        """e => { const w = document.createTreeWalker(e, NodeFilter.SHOW_TEXT), out = [];
          while (w.nextNode()) { const t = w.currentNode.data.trim(); if (t) out.push(t); }
          return out; }"""
    )
    return nodes


async def test_an_entry_without_a_definition_says_what_the_glossary_says(
    cms: str, page: Page, snapshot: Snapshot
) -> None:
    await page.goto(cms + "/sentences.html")
    await control(page, "coercion").click()
    shown = panel(page, "coercion")
    await expect(shown.locator(".entry-notice")).to_contain_text(
        "gives this term a place in a sequence but does not define it."
    )
    await expect(shown.locator(".body")).to_contain_text("We have a duty to act")
    await expect(shown.locator(".body")).not_to_contain_text("No definition")
    known = data_strings(snapshot)
    nodes = await body_text_nodes(shown)
    assert nodes
    assert [n for n in nodes if n not in known and not INTERFACE.fullmatch(n)] == []


async def test_a_term_without_a_link_works_by_keyboard(cms: str, page: Page) -> None:
    await page.goto(cms + "/sentences.html")
    plain = control(page, "coercion")
    await plain.focus()
    await page.keyboard.press("Enter")
    await expect(panel(page, "coercion")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(panel(page, "coercion")).to_be_hidden()
    assert await term(page, "coercion").evaluate("e => e.shadowRoot.activeElement.className") == (
        "term"
    )
    await page.keyboard.press(" ")
    await expect(panel(page, "coercion")).to_be_visible()


async def test_terms_open_by_touch_on_a_phone(cms: str, browser: Browser) -> None:
    async with fresh_page(
        browser, viewport={"width": 375, "height": 700}, has_touch=True, is_mobile=True
    ) as page:
        await page.goto(cms + "/sentences.html")
        for name in ("coercion", "asset-based-community-development"):
            await control(page, name).tap()
            await expect(panel(page, name)).to_be_visible()
            box = await panel(page, name).bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 375
            await panel(page, name).locator(".close").tap()
            await expect(panel(page, name)).to_be_hidden()
        assert await no_sideways_scroll(page)


async def test_the_open_welsh_popup_is_accessible(cms: str, browser: Browser) -> None:
    async with fresh_page(browser, bypass_csp=True) as page:
        await page.goto(cms + "/sentences.html")
        await control(page, "coercion").click()
        await expect(panel(page, "coercion").locator(".entry-notice")).to_be_visible()
        await page.keyboard.press("Escape")
        await control(page, "consultation", "welsh").click()
        await expect(panel(page, "consultation", "welsh").locator(".body")).to_contain_text(
            "A formal process"
        )
        assert await violations(page) == []


# The card, pasted as a CMS pastes oEmbed's HTML --------------------------------------------

CARDS = ("consultation", "co-production", "coercion", "doing-to")


async def paste_cards(page: Page, server_url: str) -> None:
    """The oEmbed answer's HTML of each card, asked at the column's width."""
    column = int(await page.evaluate("document.getElementById('cards').clientWidth"))
    html = []
    async with httpx.AsyncClient(base_url=server_url) as client:
        for name in CARDS:
            params = {"url": f"{server_url}/concepts/{name}", "maxwidth": str(column)}
            html.append((await client.get("/oembed", params=params)).json()["html"])
    await page.evaluate(
        "html => { document.getElementById('cards').innerHTML = html; }", "".join(html)
    )
    for index in range(len(CARDS)):
        await expect(page.frame_locator("iframe").nth(index).locator(".card-more")).to_be_visible()


async def frames(page: Page) -> list[dict[str, float]]:
    """Each card frame's box and border, and its document's height and width."""
    found = []
    for index, frame in enumerate(page.frames[1:]):
        element = page.locator("iframe").nth(index)
        size = await frame.evaluate(
            "() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth,"
            " innerHeight, innerWidth]"
        )
        border = await element.evaluate("e => parseFloat(getComputedStyle(e).borderTopWidth)")
        found.append(
            {"content": size[0], "content_width": size[1], "height": size[2],
             "width": size[3], "border": border}
        )  # fmt: skip
    return found


@pytest.mark.parametrize("width", WIDTHS)
async def test_oembed_cards_fit_the_column_and_clip_nothing(
    cms: str, server_url: str, page: Page, width: int, tmp_path: Path
) -> None:
    await page.set_viewport_size({"width": width, "height": 900})
    await page.goto(cms + "/cards.html")
    await paste_cards(page, server_url)
    assert await no_sideways_scroll(page)
    for name, frame in zip(CARDS, await frames(page), strict=True):
        assert frame["border"] == 0, name  # one border: the card's own
        assert frame["width"] <= width - 32, name
        assert frame["content_width"] <= frame["width"], name
        assert frame["content"] <= frame["height"], name  # oEmbed's height fits the text
    await page.screenshot(path=tmp_path / f"cards-{width}.png", full_page=True)


async def test_the_host_snippet_follows_the_cards_height(
    cms: str, server_url: str, page: Page
) -> None:
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto(cms + "/sentences.html")
    await paste_cards(page, server_url)
    for width in (1280, 320):
        await page.set_viewport_size({"width": width, "height": 900})
        for index, frame in enumerate(page.frames[1:]):
            element = page.locator("iframe").nth(index)
            # Chromium pauses rendering in cross-origin frames out of view: scroll to each.
            await element.scroll_into_view_if_needed()
            content = await frame.evaluate(
                "Math.ceil(document.documentElement.getBoundingClientRect().height)"
            )
            await expect(element).to_have_js_property("offsetHeight", content)


def test_the_documented_host_snippet_is_the_one_tested() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    snippet = re.search(r"<script>\n(.*?)</script>", docs, re.S)
    assert snippet is not None
    tested = (CMS_PAGES / "resize.js").read_text(encoding="utf-8")
    assert snippet.group(1) == tested.replace("{{SERVICE}}", "https://glossary.example")
    assert len(snippet.group(1).splitlines()) <= 10


# oEmbed's estimate against chromium's layout ----------------------------------------------


@pytest.mark.slow
async def test_the_estimated_card_height_is_never_short(
    server_url: str, page: Page, snapshot: Snapshot
) -> None:
    """Every card at a phone's, a small tablet's and the widest column: the estimate covers
    the laid-out height, and is not more than a third (plus two lines) too tall."""
    async with httpx.AsyncClient(base_url=server_url) as client:
        for name in snapshot.index.concepts:
            html = (await client.get(f"/concepts/{name}/card")).text
            await page.set_viewport_size({"width": 400, "height": 200})
            await page.goto(f"{server_url}/concepts/{name}/card")
            for width in (288, 343, 400):
                await page.set_viewport_size({"width": width, "height": 200})
                laid_out = await page.evaluate(
                    "document.documentElement.getBoundingClientRect().height"
                )
                estimate = card_height(html, width)
                assert laid_out <= estimate <= laid_out * 4 / 3 + 48, (name, width, laid_out)


@pytest.mark.parametrize("path", ["/concepts/coercion/card", "/concepts/doing-to/card?lang=cy"])
async def test_a_card_without_a_definition_is_accessible(
    server_url: str, browser: Browser, path: str
) -> None:
    async with fresh_page(browser, bypass_csp=True, viewport={"width": 320, "height": 600}) as page:
        await page.goto(server_url + path)
        await expect(page.locator(".entry-notice")).to_be_visible()
        assert await no_sideways_scroll(page)
        assert await violations(page) == []
