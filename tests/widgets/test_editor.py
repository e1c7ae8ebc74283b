"""The annotator page (issue 13): ``GET /annotate`` in a browser shows the form; the form
posts to ``/annotate`` and, without JavaScript, gets the page back with a preview and the
code to copy (the marked-up HTML and its script line)."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from tests.support.pages import assert_problem

pytestmark = pytest.mark.anyio


async def test_the_page_has_the_form_with_first_mention_by_default(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/annotate", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<form class="annotate-form" action="http://testserver/annotate" method="post">' in page
    assert re.search(r'id="mentions-first" name="mentions" value="first" checked', page)
    assert 'id="mentions-every" name="mentions" value="every">' in page
    assert '<meta name="viewport"' in page
    assert "/embed.js" in page
    assert 'id="preview-heading"' not in page


async def post(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    return await client.post("/annotate", data=fields)


async def test_a_form_post_renders_the_preview_and_the_code(client: httpx.AsyncClient) -> None:
    sent = "<p>Our consultation on <em>coproduction</em>. A consultation.</p><h2>consultation</h2>"
    response = await post(client, text=sent, input="html", mentions="first")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = response.text
    preview = page.split("data-preview>")[1].split("</div>")[0]
    assert preview.count('<glossary-term term="consultation">') == 1
    assert '<glossary-term term="co-production">' in preview
    assert "<h2>consultation</h2>" in preview
    code = html.unescape(page.split("<code data-code>")[1].split("</code>")[0])
    assert code.startswith('<script src="http://testserver/embed.js" defer></script>\n<p>Our ')
    assert code.endswith(preview)
    assert "1 term marked" not in page
    assert "2 terms marked." in page
    assert "<textarea" in page
    assert html.escape(sent, quote=False) in page


async def test_every_mention_and_headings_when_asked(client: httpx.AsyncClient) -> None:
    sent = "<h2>consultation</h2><p>consultation and consultation</p>"
    page = (await post(client, text=sent, mentions="every", headings="on")).text
    preview = page.split("data-preview>")[1].split("</div>")[0]
    assert preview.count("<glossary-term") == 3


async def test_plain_text_becomes_paragraphs(client: httpx.AsyncClient) -> None:
    page = (await post(client, text="A consultation.\n\nA <b>second</b>\nline", input="text")).text
    preview = page.split("data-preview>")[1].split("</div>")[0]
    assert preview == (
        '<p>A <glossary-term term="consultation"><a href="http://testserver/concepts/'
        'consultation" rel="noopener noreferrer">consultation</a></glossary-term>.</p>\n'
        "<p>A &lt;b&gt;second&lt;/b&gt;<br>\nline</p>"
    )


async def test_hostile_html_is_sanitised_in_the_preview(client: httpx.AsyncClient) -> None:
    sent = '<p onmouseover="x()">consultation<script>bad()</script><a href="javascript:x">y</a>'
    page = (await post(client, text=sent)).text
    preview = page.split("data-preview>")[1].split("</div>")[0]
    assert "onmouseover" not in preview
    assert "bad()" not in preview
    assert "javascript:" not in preview


async def test_an_empty_form_shows_the_form_again(client: httpx.AsyncClient) -> None:
    page = (await post(client, text="  ")).text
    assert 'id="preview-heading"' not in page


async def test_form_limits_are_the_apis(client: httpx.AsyncClient) -> None:
    bomb = await post(client, text="<div>" * 20_000)
    assert_problem(bomb, 413)
    too_long = await post(client, text="x" * 100_001)
    assert_problem(too_long, 413)


async def test_the_interface_language_stays_after_posting(client: httpx.AsyncClient) -> None:
    page = (await client.get("/annotate?lang=cy")).text
    assert 'action="http://testserver/annotate?lang=cy"' in page
    answer = await client.post("/annotate?lang=cy", data={"text": "<p>consultation</p>"})
    assert "Skip to main content" not in answer.text  # the interface's words are Welsh
    assert '<glossary-term term="consultation">' in answer.text  # labels still in English
