"""The annotator page end to end in Debian's chromium (issue 13): paste HTML, mark the
first mentions, see the preview with working pop-ups, copy the code with its script line;
and the same form without JavaScript."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.pages.conftest import fresh_page
from tests.pages.test_browser import violations

pytestmark = [pytest.mark.anyio, pytest.mark.browser, pytest.mark.server]

ARTICLE = (
    "<h2>Consultation</h2><p>We ran a <strong>consultation</strong> on coproduction. "
    'The consultation closed. <a href="https://council.example/">consultation</a></p>'
)


async def test_paste_preview_and_copy(server_url: str, browser: Browser) -> None:
    errors: list[str] = []
    async with fresh_page(
        browser,
        permissions=["clipboard-read", "clipboard-write"],
        bypass_csp=True,  # for axe's script
    ) as page:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(server_url + "/annotate")
        await page.get_by_label("Text or HTML").fill(ARTICLE)
        await expect(page.get_by_label("The first mention of each term only")).to_be_checked()
        await page.get_by_role("button", name="Mark up terms").click()
        preview = page.locator("[data-preview]")
        await expect(preview.locator("glossary-term")).to_have_count(2)
        await expect(page.locator("#preview-heading")).to_be_focused()
        await expect(preview.locator("h2")).to_have_text("Consultation")  # headings untouched
        term = preview.locator("glossary-term").first
        await term.locator("[role=button]").hover()
        await expect(term.locator(".panel")).to_be_visible()
        await expect(term.locator(".panel .body")).to_contain_text("A formal process")
        await page.locator("#annotate-result .copy-button").click()
        copied = await page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(f'<script src="{server_url}/embed.js" defer></script>\n<h2>')
        assert copied.count("<glossary-term") == 2
        assert errors == []
        assert await violations(page) == []


async def test_the_form_works_without_javascript(server_url: str, browser: Browser) -> None:
    async with fresh_page(browser, java_script_enabled=False) as page:
        await page.goto(server_url + "/annotate")
        await page.get_by_label("Text or HTML").fill("A consultation, a consultation.")
        await page.get_by_label("Plain text: blank lines become paragraphs").check()
        await page.get_by_label("Every mention").check()
        await page.get_by_role("button", name="Mark up terms").click()
        links = page.locator("[data-preview] glossary-term a")
        await expect(links).to_have_count(2)
        await expect(links.first).to_have_attribute("href", server_url + "/concepts/consultation")
        await expect(page.get_by_label("Every mention")).to_be_checked()  # the form keeps it
