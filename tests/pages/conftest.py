"""The shipped glossary as a snapshot; Debian's chromium driven by Playwright; a second origin.

The second origin is a plain static server on another port whose page embeds
``/embed.js`` from the service, under a strict content security policy of its own.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Playwright, async_playwright

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


class HostHandler(SimpleHTTPRequestHandler):
    """Serves the host pages with the policy a careful council website might send."""

    service = ""

    def end_headers(self) -> None:
        policy = (
            f"default-src 'self'; script-src 'self' {self.service}; connect-src {self.service}; "
            f"style-src 'self'; img-src 'self' data:; frame-src {self.service}"
        )
        self.send_header("Content-Security-Policy", policy)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def other_origin(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A static site on another port (another origin) whose pages use the service."""
    folder = tmp_path_factory.mktemp("host")
    for template in HOST_PAGES.iterdir():
        text = template.read_text(encoding="utf-8").replace("{{SERVICE}}", server_url)
        (folder / template.name).write_text(text, encoding="utf-8")
    handler = type("Handler", (HostHandler,), {"service": server_url})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
