"""Embedding over HTTP: /embed.js, the card and POST /annotate with its errors."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.support.apps import running_app
from tests.support.pages import CONSULTATION, assert_problem

pytestmark = pytest.mark.anyio

# /embed.js and the card -----------------------------------------------------------------------


async def test_embed_js_is_a_script_any_origin_may_load(client: httpx.AsyncClient) -> None:
    response = await client.get("/embed.js", headers={"origin": "https://council.example"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "public, max-age=60"
    assert 'customElements.define("glossary-term"' in response.text


async def test_the_card_may_be_framed_and_says_the_definition(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/consultation/card")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers
    assert "A formal process" in response.text
    assert 'target="_blank" rel="noopener"' in response.text


async def test_an_unknown_card_is_a_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/nothing-here/card")
    assert_problem(response, 404, "not-found")


# POST /annotate --------------------------------------------------------------------------------


async def annotate(client: httpx.AsyncClient, body: Any, **params: str) -> httpx.Response:
    return await client.post("/annotate", json=body, params=params)


def occurrences(response: httpx.Response) -> list[dict[str, Any]]:
    """The occurrences of a JSON answer (which also says whether it was truncated)."""
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["annotations"]
    return found


async def test_annotate_finds_labels_with_code_point_offsets(client: httpx.AsyncClient) -> None:
    text = "İİ 😀 Our CONSULTATION and co\u2011production, with ŵ citizen engagement."
    response = await annotate(client, {"text": text})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    found = occurrences(response)
    assert [item["concept"]["id"] for item in found] == [
        "consultation", "co-production", "community-engagement",
    ]  # fmt: skip
    for item in found:
        assert text[item["start"] : item["end"]] == item["text"]
    first = found[0]
    assert first["text"] == "CONSULTATION"
    assert first["concept"] == {
        "id": "consultation",
        "iri": "https://w3id.org/engagement-glossary/concepts/consultation",
        "prefLabel": {"value": "consultation", "language": "en"},
        "deprecated": False,
    }
    assert first["matchedLabel"] == {"value": "consultation", "language": "en"}
    assert first["labelType"] == "prefLabel"
    assert found[2]["labelType"] == "altLabel"


async def test_annotate_takes_plain_text(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/annotate", content=b"Co-production, not consultation.",
        headers={"content-type": "text/plain; charset=utf-8"},
    )  # fmt: skip
    assert [item["text"] for item in occurrences(response)] == ["Co-production", "consultation"]


async def test_annotate_reads_plain_text_in_its_charset(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/annotate", content="Consultation à Cardiff".encode("latin-1"),
        headers={"content-type": "text/plain; charset=ISO-8859-1"},
    )  # fmt: skip
    assert occurrences(response)[0]["end"] == len("Consultation")


async def test_annotate_filters_by_lang_and_scheme(client: httpx.AsyncClient) -> None:
    text = "consultation"
    assert len(occurrences(await annotate(client, {"text": text, "lang": "en"}))) == 1
    assert occurrences(await annotate(client, {"text": text, "lang": "cy"})) == []
    scheme = {"text": text, "scheme": "engagement-glossary"}
    assert len(occurrences(await annotate(client, scheme))) == 1
    assert len(occurrences(await annotate(client, {"text": text}, lang="en-GB"))) == 1


async def test_annotate_html_wraps_terms_and_escapes_everything_else(
    client: httpx.AsyncClient,
) -> None:
    text = '<script>alert("x")</script> & consultation <b onclick=1>co-production</b>'
    response = await annotate(client, {"text": text}, format="html")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
        f'<glossary-term term="consultation"><a href="{CONSULTATION}">consultation</a>'
        "</glossary-term> &lt;b onclick=1&gt;"
        '<glossary-term term="co-production"><a href="http://testserver/concepts/co-production">'
        "co-production</a></glossary-term>&lt;/b&gt;"
    )


async def test_annotate_accepts_exactly_the_limit(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    text = "consultation " + "x" * (settings.annotate_max_chars - 13)
    assert len(text) == settings.annotate_max_chars
    response = await annotate(client, {"text": text})
    assert len(occurrences(response)) == 1


async def test_annotate_counts_characters_not_bytes(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    text = "😀" * settings.annotate_max_chars  # 4 bytes each in UTF-8, 12 as JSON escapes
    body = json.dumps({"text": text}).encode()
    response = await client.post(
        "/annotate", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    plain = await client.post(
        "/annotate", content=text.encode(), headers={"content-type": "text/plain"}
    )
    assert plain.status_code == 200


@pytest.mark.parametrize("media", ["application/json", "text/plain"])
async def test_one_character_too_many_is_413(
    client: httpx.AsyncClient, settings: Settings, media: str
) -> None:
    text = "a" * (settings.annotate_max_chars + 1)
    body = json.dumps({"text": text}).encode() if media == "application/json" else text.encode()
    response = await client.post("/annotate", content=body, headers={"content-type": media})
    assert_problem(response, 413, "payload-too-large")


async def test_a_huge_declared_length_is_refused_before_reading(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/annotate", content=b"{}", headers={"content-type": "application/json",
                                              "content-length": str(10**9)},
    )  # fmt: skip
    assert_problem(response, 413, "payload-too-large")


async def test_a_huge_streamed_body_is_refused_while_reading(client: httpx.AsyncClient) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(10_000):  # 640 MB if it were all read
            sent += 1
            yield b"a" * 65536

    response = await client.post(
        "/annotate", content=chunks(), headers={"content-type": "text/plain"}
    )
    assert_problem(response, 413, "payload-too-large")
    assert sent < 100


@pytest.mark.parametrize(
    ("content", "content_type", "status", "slug"),
    [
        (b'{"text": "x"}', None, 415, "unsupported-media-type"),
        (b'{"text": "x"}', "application/xml", 415, "unsupported-media-type"),
        (b"text=x", "multipart/form-data; boundary=x", 415, "unsupported-media-type"),
        (b"x", "text/plain; charset=no-such-charset", 415, "unsupported-media-type"),
        (b'{"text": ', "application/json", 400, "bad-request"),
        (b"\xff\xfe\x00", "application/json", 400, "bad-request"),
        (b"\xff\xfe\x00", "text/plain; charset=utf-8", 400, "bad-request"),
        (b"[" * 100_000, "application/json", 400, "bad-request"),
        (b'["text"]', "application/json", 422, "unprocessable-content"),
        (b'"text"', "application/json", 422, "unprocessable-content"),
        (b"{}", "application/json", 422, "unprocessable-content"),
        (b'{"text": 5}', "application/json", 422, "unprocessable-content"),
        (b'{"text": "x", "lang": 5}', "application/json", 422, "unprocessable-content"),
        (b'{"text": "x", "language": "en"}', "application/json", 422, "unprocessable-content"),
        (b'{"text": "x", "lang": "not_a_tag"}', "application/json", 400, "invalid-parameter"),
        (b'{"text": "x", "scheme": "nope"}', "application/json", 400, "invalid-parameter"),
        # Lone surrogates: valid JSON escapes, but no characters (and no UTF-8 to answer in).
        (b'{"text": "consultation \\ud800"}', "application/json", 422, "unprocessable-content"),
        (b'{"text": "x", "lang": "\\udfff"}', "application/json", 422, "unprocessable-content"),
        (b'{"text": "x", "scheme": "\\ud800"}', "application/json", 422, "unprocessable-content"),
    ],
)
async def test_bad_annotate_requests_are_problems(
    client: httpx.AsyncClient, content: bytes, content_type: str | None, status: int, slug: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post("/annotate", content=content, headers=headers)
    assert_problem(response, status, slug)


async def test_an_unknown_output_format_is_a_400(client: httpx.AsyncClient) -> None:
    assert_problem(await annotate(client, {"text": "x"}, format="xml"), 400, "invalid-parameter")


@pytest.mark.parametrize(
    "query",
    ["scheme=%ED%A0%80", "lang=%FF", "format=json&format=html", "scheme=a&scheme=b"],
)
async def test_query_parameters_are_utf_8_and_single(client: httpx.AsyncClient, query: str) -> None:
    response = await client.post(
        f"/annotate?{query}", content=b"consultation", headers={"content-type": "text/plain"}
    )
    assert_problem(response, 400, "invalid-parameter")


# The cap on occurrences ------------------------------------------------------------------


@pytest.fixture(scope="module")
async def capped(example_vocab: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The app over ``SMALL`` with /annotate capped at 3 occurrences."""
    settings = Settings(vocab=(example_vocab,), annotate_max_matches=3)
    async with running_app(settings) as running:
        yield running.client


@pytest.mark.parametrize(("words", "truncated"), [(3, False), (4, True)])
async def test_annotate_stops_at_the_cap_and_says_so(
    capped: httpx.AsyncClient, words: int, truncated: bool
) -> None:
    response = await annotate(capped, {"text": " ".join(["birds"] * words)})
    body = response.json()
    assert len(occurrences(response)) == 3
    assert body["truncated"] is truncated
    assert body["maxMatches"] == 3
    assert response.headers["annotations-truncated"] == str(truncated).lower()


async def test_a_truncated_html_answer_says_so(capped: httpx.AsyncClient) -> None:
    text = "birds birds birds birds & more"
    response = await annotate(capped, {"text": text}, format="html")
    assert response.text.count("<glossary-term") == 3
    assert response.text.endswith(
        "birds</a></glossary-term> birds &amp; more"
        "<!-- annotations truncated: only the first 3 occurrences are marked -->"
    )
    assert response.headers["annotations-truncated"] == "true"
    whole = await annotate(capped, {"text": "birds"}, format="html")
    assert "<!--" not in whole.text
    assert whole.headers["annotations-truncated"] == "false"


async def test_annotate_is_post_for_programs_and_a_page_for_browsers(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/annotate")).headers["content-type"].startswith("text/html")
    assert_problem(await client.put("/annotate", json={"text": "x"}), 405)
