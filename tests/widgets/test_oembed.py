"""oEmbed over HTTP: a rich answer framing the card, sizes within bounds, errors as problems."""

from __future__ import annotations

import httpx
import pytest

from tests.support.pages import CONSULTATION, assert_problem

pytestmark = pytest.mark.anyio


async def oembed(client: httpx.AsyncClient, **params: str) -> httpx.Response:
    return await client.get("/oembed", params=params)


@pytest.mark.parametrize(
    "url",
    [
        CONSULTATION,
        CONSULTATION + ".html",
        CONSULTATION + "/card",
        "https://w3id.org/engagement-glossary/concepts/consultation",
    ],
)
async def test_oembed_answers_a_rich_card_for_a_concept(
    client: httpx.AsyncClient, url: str
) -> None:
    response = await oembed(client, url=url, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "1.0"
    assert body["type"] == "rich"
    assert body["title"] == "consultation"
    assert body["width"] == 400
    assert body["html"] == (
        '<iframe src="http://testserver/concepts/consultation/card" '
        f'title="consultation: entry card" height="{body["height"]}" '
        'style="width: 100%; max-width: 400px; border: 0" loading="lazy"></iframe>'
    )
    assert body["provider_url"] == "http://testserver/"


async def height(client: httpx.AsyncClient, url: str, **params: str) -> int:
    body = (await oembed(client, url=url, **params)).json()
    assert f'height="{body["height"]}"' in body["html"]
    assert f"max-width: {body['width']}px" in body["html"]
    assert "width=" not in body["html"]  # no fixed width attribute to scroll a phone sideways
    return int(body["height"])


async def test_oembed_height_fits_the_text_at_the_width_asked(client: httpx.AsyncClient) -> None:
    wide = await height(client, CONSULTATION)
    narrow = await height(client, CONSULTATION, maxwidth="300")
    assert narrow > wide  # the same text wraps to more lines
    longer = await height(client, CONSULTATION.replace("consultation", "co-production"))
    assert longer > wide


async def test_oembed_keeps_within_maxwidth_and_maxheight(client: httpx.AsyncClient) -> None:
    body = (await oembed(client, url=CONSULTATION, maxwidth="300", maxheight="100")).json()
    assert (body["width"], body["height"]) == (300, 100)
    body = (await oembed(client, url=CONSULTATION, maxwidth="9000", maxheight="9000")).json()
    assert body["width"] == 400  # the card's widest
    assert body["height"] < 9000


@pytest.mark.parametrize(
    ("params", "status", "slug"),
    [
        ({"url": "https://elsewhere.example/concepts/consultation"}, 404, "not-found"),
        ({"url": "http://testserver/concepts/no-such-concept"}, 404, "not-found"),
        ({"url": "http://testserver/schemes/engagement-glossary"}, 404, "not-found"),
        ({"url": CONSULTATION, "format": "xml"}, 501, "not-implemented"),
        ({"url": CONSULTATION, "format": "yaml"}, 400, "invalid-parameter"),
        ({"url": CONSULTATION, "maxwidth": "wide"}, 400, "invalid-parameter"),
        ({"url": CONSULTATION, "maxheight": "0"}, 400, "invalid-parameter"),
        ({}, 400, "invalid-parameter"),
        ({"url": "x" * 3000}, 400, "invalid-parameter"),
        ({"url": "http://[::1"}, 400, "invalid-parameter"),  # urlsplit raises on it
        ({"url": "http://[::1]:99999/concepts/consultation"}, 404, "not-found"),
    ],
)
async def test_oembed_errors_are_problems(
    client: httpx.AsyncClient, params: dict[str, str], status: int, slug: str
) -> None:
    assert_problem(await oembed(client, **params), status, slug)
