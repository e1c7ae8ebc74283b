"""GraphiQL in Debian's chromium with the network cut off (issue 13): every request to
anything but the service is refused (``page.route``), as on a network that blocks CDNs;
GraphiQL still loads from the service's own files and runs a query, without console errors
(a CSP violation would be one)."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Route, expect

from tests.pages.conftest import browser, playwright  # noqa: F401  (the chromium fixtures)
from tests.pages.test_browser import violations

pytestmark = [pytest.mark.anyio, pytest.mark.browser, pytest.mark.server]


async def test_graphiql_works_offline(server_url: str, browser: Browser) -> None:  # noqa: F811
    context = await browser.new_context(bypass_csp=True)  # for axe's script, at the end
    blocked: list[str] = []
    errors: list[str] = []

    async def only_the_service(route: Route) -> None:
        if route.request.url.startswith(server_url + "/"):
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort("blockedbyclient")

    try:
        await context.route("**/*", only_the_service)
        page = await context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(server_url + "/graphql")
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        run = page.locator(".graphiql-execute-button")
        await expect(run).to_be_visible(timeout=20_000)
        await run.click()
        result = page.locator(".graphiql-response")
        await expect(result).to_contain_text('"totalCount": 60', timeout=20_000)
        await expect(result).to_contain_text('"prefLabel"')
        assert blocked == []  # it never even asked for anything elsewhere
        assert errors == []
        assert await violations(page) == []
    finally:
        await context.close()
