"""``POST /annotate`` with HTML (issue 13): only text nodes are marked, the markup is kept,
nothing inside links, code, pre or (unless asked) headings; the output is sanitised by nh3;
each concept's first mention or every one; a hostile document is refused, never a hang."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.support.apps import running_app
from tests.support.pages import assert_problem

pytestmark = pytest.mark.anyio

ARTICLE = (
    "<h2>Co-production</h2>"
    "<p class=lead>We use <strong>co production</strong> and consultation. "
    'See <a href="/x">consultation</a>, <code>consultation</code>.</p>'
    "<pre>consultation</pre>"
    '<p onclick="alert(1)">Then coproduction &amp; consultation again.'
    "<script>alert(2)</script><img src=x onerror=alert(3)></p>"
)


async def annotate(client: httpx.AsyncClient, body: Any, **params: str) -> httpx.Response:
    return await client.post("/annotate", json=body, params=params)


async def test_html_keeps_its_markup_and_marks_only_prose(client: httpx.AsyncClient) -> None:
    response = await annotate(client, {"html": ARTICLE}, format="html")
    assert response.status_code == 200
    marked = response.text
    assert marked.startswith("<h2>Co-production</h2>")  # headings are left alone
    assert '<strong><glossary-term term="co-production">' in marked
    assert '<a href="/x" rel="noopener noreferrer">consultation</a>' in marked
    assert "<code>consultation</code>" in marked
    assert "<pre>consultation</pre>" in marked
    assert marked.count("<glossary-term") == 4  # co production, consultation x2, coproduction
    for hostile in ("onclick", "<script", "alert(2)", "onerror", "lead"):
        assert hostile not in marked


async def test_first_mention_marks_each_concept_once(client: httpx.AsyncClient) -> None:
    response = await annotate(client, {"html": ARTICLE, "mentions": "first"}, format="html")
    assert response.text.count('term="consultation"') == 1
    assert response.text.count('term="co-production"') == 1
    plain = await annotate(client, {"text": "consultation, consultation"}, mentions="first")
    assert [a["text"] for a in plain.json()["annotations"]] == ["consultation"]


async def test_headings_are_marked_when_asked(client: httpx.AsyncClient) -> None:
    response = await annotate(client, {"html": ARTICLE, "headings": True}, format="html")
    assert response.text.startswith('<h2><glossary-term term="co-production">')


async def test_json_offsets_count_the_text_content(client: httpx.AsyncClient) -> None:
    html = "<p>A <em>caf&eacute;</em> with consultation</p>"
    response = await annotate(client, {"html": html})
    body = response.json()
    (found,) = body["annotations"]
    text = "A café with consultation"  # the document's textContent
    assert text[found["start"] : found["end"]] == found["text"] == "consultation"
    assert 'term="consultation"' in body["html"]
    assert (await annotate(client, {"text": "consultation"})).json()["html"] is None


async def test_text_html_bodies_are_html(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/annotate?format=html",
        content="<p>Our <b>consultation</b></p>",
        headers={"content-type": "text/html; charset=utf-8"},
    )
    assert response.text.startswith('<p>Our <b><glossary-term term="consultation">')


@pytest.mark.parametrize(
    "body",
    [{"text": "a", "html": "b"}, {}, {"html": 3}, {"text": "a", "mentions": "some"},
     {"text": "a", "headings": "yes"}],
)  # fmt: skip
async def test_bad_fields_are_422(client: httpx.AsyncClient, body: Any) -> None:
    assert_problem(await annotate(client, body), 422)


async def test_a_bad_mentions_parameter_is_400(client: httpx.AsyncClient) -> None:
    assert_problem(await annotate(client, {"text": "a"}, mentions="all"), 400)


@pytest.mark.parametrize(
    "bomb",
    ["<div>" * 20_000, "<b>" * 20_000, "<ul><li>" * 3_000, "<p>x" * 6_000, "<i></i>" * 6_000],
)
async def test_an_html_bomb_is_a_413_at_once(client: httpx.AsyncClient, bomb: str) -> None:
    start = time.perf_counter()
    response = await annotate(client, {"html": bomb})
    assert_problem(response, 413)
    assert time.perf_counter() - start < 5


async def test_unclosed_paragraphs_do_not_count_as_depth(client: httpx.AsyncClient) -> None:
    response = await annotate(client, {"html": "<p>consultation" * 500}, format="html")
    assert response.status_code == 200
    assert response.text.count("<glossary-term") == 500


async def test_the_limits_are_settings(settings: Settings) -> None:
    tight = settings.model_copy(update={"annotate_max_elements": 3, "annotate_max_depth": 2})
    async with running_app(tight) as running:
        ok = await annotate(running.client, {"html": "<p><b>consultation</b></p>"})
        assert ok.status_code == 200
        deep = await annotate(running.client, {"html": "<p><b><i>x</i></b></p>"})
        assert_problem(deep, 413)
        many = await annotate(running.client, {"html": "<p>a</p><p>b</p><p>c</p><p>d</p>"})
        assert_problem(many, 413)


async def test_the_cap_holds_across_text_nodes(settings: Settings) -> None:
    capped = settings.model_copy(update={"annotate_max_matches": 2})
    async with running_app(capped) as running:
        html = "<p>consultation</p><p>consultation</p><p>consultation</p>"
        response = await annotate(running.client, {"html": html}, format="html")
        assert response.text.count("<glossary-term") == 2
        assert response.headers["annotations-truncated"] == "true"
        assert response.text.endswith("-->")


@pytest.mark.parametrize(
    ("text", "concept"),
    [("coproduction", "co-production"), ("co production", "co-production"),
     ("codesign", "co-design"), ("asset-based community development",
      "asset-based-community-development"), ("citizens\u2019 assemblies", "citizens-assemblies"),
     ("citizen's assemblies", "citizens-assemblies")],
)  # fmt: skip
async def test_the_glossary_forgives_spellings(
    client: httpx.AsyncClient, text: str, concept: str
) -> None:
    body = (await annotate(client, {"text": f"We tried {text}."})).json()
    assert [(a["text"], a["concept"]["id"]) for a in body["annotations"]] == [(text, concept)]
    (hit, *_) = (await client.get("/search", params={"q": text})).json()["items"]
    assert hit["concept"]["id"] == concept
