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
    assert (body["width"], body["height"]) == (400, 240)
    assert body["html"] == (
        '<iframe src="http://testserver/concepts/consultation/card" '
        'title="consultation: definition" width="400" height="240" loading="lazy"></iframe>'
    )
    assert body["provider_url"] == "http://testserver/"


async def test_oembed_keeps_within_maxwidth_and_maxheight(client: httpx.AsyncClient) -> None:
    body = (await oembed(client, url=CONSULTATION, maxwidth="300", maxheight="1000")).json()
    assert (body["width"], body["height"]) == (300, 240)
    assert 'width="300" height="240"' in body["html"]


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
