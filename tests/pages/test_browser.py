"""The pages, the card and ``<glossary-term>`` in a real browser (Debian's chromium).

Every page type renders without console errors (a blocked inline script or style would
be one); axe-core finds no serious or critical WCAG 2.2 AA violation; the popover opens by
mouse, keyboard and touch on a page of another origin that sends a strict CSP of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, ConsoleMessage, Locator, Page, Request, Response, expect

from tests.pages.conftest import fresh_page

pytestmark = [pytest.mark.anyio, pytest.mark.browser, pytest.mark.server]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = {
    "home": "/",
    "concept": "/concepts/consultation",
    "concept-suffix": "/concepts/co-production.html",
    "scheme": "/schemes/engagement-glossary",
    "collection": "/collections/engagement-spectrum",
    "unordered-collection": "/collections/good-practice-guidance",
    "search": "/pages/search?q=engagement",
    "search-empty": "/pages/search",
    "search-nothing": "/pages/search?q=zzzzqqq",
    "a-z": "/pages/a-z/c",
    "card": "/concepts/consultation/card",
}
DEFINITION = "A formal process"


@pytest.fixture
def errors(page: Page) -> list[str]:
    """Console errors, uncaught exceptions and failed loads (CSP violations are errors)."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            found.append(message.text)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            found.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on("response", on_response)
    return found


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
async def test_every_page_type_renders(
    server_url: str, page: Page, errors: list[str], path: str
) -> None:
    response = await page.goto(server_url + path)
    assert response is not None
    assert response.status == 200
    await expect(page.locator("h1")).to_be_visible()
    assert await page.title()
    await page.wait_for_load_state("networkidle")
    assert errors == []


@pytest.mark.parametrize("path", ["/", "/concepts/consultation"])
async def test_pages_reflow_without_sideways_scrolling_at_320_px(
    server_url: str, page: Page, path: str
) -> None:
    await page.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10
    await page.goto(server_url + path)
    assert await page.evaluate("document.documentElement.scrollWidth") <= 320


async def test_the_spectrum_shows_the_approaches_in_order(server_url: str, page: Page) -> None:
    await page.goto(server_url + "/")
    bands = page.locator(".spectrum > li .band-name")
    await expect(bands).to_have_text(["doing to", "doing for", "doing with"])
    approaches = page.locator(".spectrum .approach-name")
    await expect(approaches).to_have_text([
        "coercion", "protection", "education", "persuasion", "information", "consultation",
        "participation", "co-production", "involvement",
    ])  # fmt: skip


async def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of WCAG 2.x A and AA on the page."""
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert result["passes"], "axe checked nothing"
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
async def test_axe_finds_no_serious_violations(
    server_url: str, permissive: Page, path: str
) -> None:
    await permissive.goto(server_url + path)
    await permissive.wait_for_load_state("networkidle")
    assert await violations(permissive) == []


async def test_axe_would_catch_a_violation(server_url: str, permissive: Page) -> None:
    await permissive.goto(server_url + "/")
    await permissive.evaluate(
        "() => { const b = document.createElement('button'); document.body.append(b); }"
    )
    assert [v["id"] for v in await violations(permissive)] == ["button-name"]


async def test_everything_reads_without_javascript(server_url: str, browser: Browser) -> None:
    async with fresh_page(browser, java_script_enabled=False) as page:
        await page.goto(server_url + "/concepts/consultation")
        await expect(page.locator(".definition p")).to_contain_text(DEFINITION)
        demo = page.locator(".embed glossary-term a")
        await expect(demo).to_have_attribute("href", server_url + "/concepts/consultation")


async def test_snippets_can_be_copied(server_url: str, browser: Browser) -> None:
    async with fresh_page(browser, permissions=["clipboard-read", "clipboard-write"]) as page:
        await page.goto(server_url + "/concepts/consultation")
        await page.locator(".developer > summary").click()  # the snippets are folded
        await page.locator(".copy-button").first.click()
        await expect(page.locator(".copy-status").first).to_have_text("Copied")
        copied = await page.evaluate("navigator.clipboard.readText()")
        assert '<glossary-term term="consultation">' in copied


# <glossary-term> on another origin ---------------------------------------------------------


def term(page: Page, index: int = 0) -> Locator:
    return page.locator("glossary-term").nth(index)


def panel(page: Page, index: int = 0) -> Locator:
    return term(page, index).locator(".panel")  # Playwright's CSS pierces open shadow roots


def trigger(page: Page, index: int = 0) -> Locator:
    """The control that opens the pop-up: the host's own link, or the term's text."""
    return term(page, index).locator("[role=button]")


async def open_article(page: Page, other_origin: str) -> None:
    await page.goto(other_origin + "/article.html")
    await expect(trigger(page)).to_be_visible()


async def test_the_popover_opens_by_mouse_on_another_origin(
    other_origin: str, page: Page, errors: list[str]
) -> None:
    await open_article(page, other_origin)
    await expect(panel(page)).to_be_hidden()
    await trigger(page).hover()
    await expect(panel(page)).to_be_visible()
    await expect(panel(page)).to_have_attribute("role", "dialog")
    await expect(panel(page).locator(".body")).to_contain_text(DEFINITION)
    await expect(trigger(page)).to_have_attribute("aria-expanded", "true")
    await page.mouse.move(0, 0)
    await expect(panel(page)).to_be_hidden()
    await expect(trigger(page)).to_have_attribute("aria-expanded", "false")
    assert errors == []


async def test_a_click_keeps_it_open_and_a_click_outside_closes_it(
    other_origin: str, page: Page
) -> None:
    await open_article(page, other_origin)
    await trigger(page).click()
    await expect(panel(page)).to_be_visible()
    await page.mouse.move(0, 0)
    await page.wait_for_timeout(500)
    await expect(panel(page)).to_be_visible()
    await page.locator("h1").click()
    await expect(panel(page)).to_be_hidden()


async def focused_part(page: Page) -> str:
    """``term`` when a term's control (its host link) has focus, else the class or id of what
    has focus inside the focused component's shadow root."""
    return str(await page.evaluate(
        "() => { const d = document.activeElement;"
        " if (d.closest('glossary-term') && d.getAttribute('role') === 'button') return 'term';"
        " const a = d.shadowRoot?.activeElement; return a ? (a.id || a.className) : d.tagName; }"
    ))  # fmt: skip


@pytest.mark.parametrize("key", ["Enter", " "])
async def test_the_popover_opens_by_keyboard_and_escape_returns_focus(
    other_origin: str, page: Page, key: str
) -> None:
    await open_article(page, other_origin)
    await page.keyboard.press("Tab")
    assert await focused_part(page) == "term"
    await page.keyboard.press(key)
    await expect(panel(page)).to_be_visible()
    await expect(panel(page).locator(".body")).to_contain_text(DEFINITION)
    assert await focused_part(page) == "panel"
    await page.keyboard.press("Tab")  # into the dialog: the close button, then the link
    assert await focused_part(page) == "close"
    await page.keyboard.press("Tab")
    assert await focused_part(page) == ""  # the link has neither id nor class
    await page.keyboard.press("Escape")
    await expect(panel(page)).to_be_hidden()
    assert await focused_part(page) == "term"
    await expect(trigger(page)).to_have_attribute("aria-expanded", "false")


async def test_tabbing_out_of_the_popover_closes_it(other_origin: str, page: Page) -> None:
    await open_article(page, other_origin)
    await trigger(page).focus()
    await page.keyboard.press("Enter")
    await expect(panel(page)).to_be_visible()
    for _ in range(3):  # the close button, the link, then out to the next term
        await page.keyboard.press("Tab")
    await expect(panel(page)).to_be_hidden()
    assert await focused_part(page) == "term"


async def test_the_popover_opens_by_touch(other_origin: str, browser: Browser) -> None:
    async with fresh_page(browser, has_touch=True, is_mobile=True) as page:
        await open_article(page, other_origin)
        await trigger(page).tap()
        await expect(panel(page)).to_be_visible()
        await expect(panel(page).locator(".body")).to_contain_text(DEFINITION)
        await panel(page).locator(".close").tap()
        await expect(panel(page)).to_be_hidden()


async def test_definitions_are_fetched_once_per_page(other_origin: str, page: Page) -> None:
    fetched: list[str] = []

    def on_request(request: Request) -> None:
        if "/concepts/consultation" in request.url and request.resource_type == "fetch":
            fetched.append(request.url)

    page.on("request", on_request)
    await open_article(page, other_origin)
    for index in (0, 2, 0):  # the same term twice, and the first again
        await trigger(page, index).click()
        await expect(panel(page, index).locator(".body")).to_contain_text(DEFINITION)
        await page.keyboard.press("Escape")
    assert len(fetched) == 1


async def test_a_term_without_an_id_is_looked_up_by_its_words(
    other_origin: str, page: Page
) -> None:
    await open_article(page, other_origin)
    await trigger(page, 3).click()
    await expect(panel(page, 3).locator(".title")).to_have_text("community engagement")


async def test_styles_do_not_leak_either_way(other_origin: str, page: Page) -> None:
    await open_article(page, other_origin)
    host = page.locator("#host-term")
    assert await host.evaluate("e => getComputedStyle(e).textDecorationStyle") != "dotted"
    close = panel(page).locator(".close")
    background = await close.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background != "rgb(255, 0, 0)"
    await expect(panel(page)).to_be_hidden()  # despite the host's `.panel {display: block}`


async def test_the_open_popover_is_accessible(other_origin: str, permissive: Page) -> None:
    await open_article(permissive, other_origin)
    await trigger(permissive).click()
    await expect(panel(permissive).locator(".body")).to_contain_text(DEFINITION)
    assert await violations(permissive) == []


async def test_only_the_card_may_be_framed_by_another_origin(other_origin: str, page: Page) -> None:
    await page.goto(other_origin + "/frames.html")
    card = page.frame_locator("#card")
    await expect(card.locator("h1")).to_have_text("consultation")
    await expect(card.locator(".card-definition")).to_contain_text(DEFINITION)
    await page.wait_for_load_state("networkidle")
    await expect(page.frame_locator("#page").locator("#concept-heading")).to_have_count(0)
    urls = [frame.url for frame in page.frames]
    assert any(url.startswith("chrome-error:") for url in urls)  # the page refused framing
