"""The shipped glossary as a snapshot; Debian's chromium driven by Playwright; a second origin.

The second origin is a plain static server on another port whose page embeds
``/embed.js`` from the service, under a strict content security policy of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, Playwright, async_playwright

from tests.support.origins import static_origin

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
HOST_PAGES = Path(__file__).resolve().parent / "host"


@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    # The async API: the sync one would hold an event loop that anyio's tests then can't run.
    async with async_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
async def browser(playwright: Playwright) -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("browser tests need Debian's chromium: apt-get install -y chromium")
    launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    await launched.close()


@asynccontextmanager
async def fresh_page(browser: Browser, **options: Any) -> AsyncIterator[Page]:
    """A page in a browser context of its own (``options`` as Playwright's ``new_context``
    takes them), closed with its context however the test ends."""
    context = await browser.new_context(**options)
    try:
        yield await context.new_page()
    finally:
        await context.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh page that obeys the pages' content security policy."""
    async with fresh_page(browser) as opened:
        yield opened


@pytest.fixture
async def permissive(browser: Browser) -> AsyncIterator[Page]:
    """A page that lets the test inject axe (``bypass_csp``); the pages' own CSP is tested
    by ``test_browser.test_every_page_type_renders``."""
    async with fresh_page(browser, bypass_csp=True) as opened:
        yield opened


class HostHandler(SimpleHTTPRequestHandler):
    """Serves the host pages with the policy a careful council website might send."""

    service = ""

    def policy(self) -> str:
        return (
            f"default-src 'self'; script-src 'self' {self.service}; connect-src {self.service}; "
            f"style-src 'self'; img-src 'self' data:; frame-src {self.service}"
        )

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy())
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def other_origin(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A static site on another port (another origin) whose pages use the service."""
    with static_origin(HOST_PAGES, tmp_path_factory.mktemp("host"), HostHandler, server_url) as url:
        yield url
