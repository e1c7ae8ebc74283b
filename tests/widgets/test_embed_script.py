"""``/embed.js`` as served: the pop-up's words in English and Welsh, compacted, conditional,
and no heavier than 10 % over the script before issue 13; the card's weight beside it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from api.widgets import script
from api.widgets.script import MESSAGES, compact, with_words, words

pytestmark = pytest.mark.anyio

#: Bytes served before issue 13 (measured on the commit before it): /embed.js, and the
#: consultation card with its stylesheet.
EMBED_BEFORE = 13_471
CARD_BEFORE = 1_065


async def test_the_script_carries_the_words_of_each_interface_language(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/embed.js")).text
    assert "/*words*/" not in body
    assert '"more":"Read the full entry"' in body
    assert '"more":"Darllen y cofnod llawn"' in body
    assert '"close":"Cau"' in body


def test_every_word_of_the_popup_comes_from_the_catalogue_in_welsh() -> None:
    found = words()
    assert list(found) == ["en", "cy"]
    assert found["en"] == MESSAGES
    untranslated = [key for key, text in found["cy"].items() if text == MESSAGES[key]]
    assert untranslated == []


async def test_the_script_is_conditional(client: httpx.AsyncClient) -> None:
    first = await client.get("/embed.js")
    etag = first.headers["etag"]
    again = await client.get("/embed.js", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert (await client.get("/embed.js", headers={"if-none-match": '"other"'})).status_code == 200


async def test_the_script_weighs_within_a_tenth_of_what_it_did(client: httpx.AsyncClient) -> None:
    body = (await client.get("/embed.js")).content
    assert len(body) <= EMBED_BEFORE * 1.1, len(body)


async def test_the_card_document_weighs_within_a_tenth_of_what_it_did(
    client: httpx.AsyncClient,
) -> None:
    card = (await client.get("/concepts/consultation/card")).content
    assert len(card) <= CARD_BEFORE * 1.1, len(card)


def test_compacting_changes_no_line_but_drops_comments_and_indentation() -> None:
    source = '/* header\n * more */\n(function () {\n  // why\n  var a = "x  // y";\n\n})();\n'
    assert compact(source) == '(function () {\nvar a = "x  // y";\n})();\n'


def test_words_go_between_the_markers_and_a_file_without_them_is_refused() -> None:
    assert with_words('var W = /*words*/{"en": {}}/*end*/;', {"cy": {"a": "b"}}) == (
        'var W = {"cy":{"a":"b"}};'
    )
    with pytest.raises(ValueError, match="no /\\*words\\*/"):
        with_words("var W = {};", words())


def test_the_file_as_it_is_holds_the_english_words(tmp_path: Path) -> None:
    source = script.EMBED_SCRIPT.read_text(encoding="utf-8")
    block = re.search(r"/\*words\*/(.*?)/\*end\*/", source, re.S)
    assert block is not None
    for key, message in MESSAGES.items():
        escaped = message.replace("\u201c", "\\u201c").replace("\u201d", "\\u201d")
        escaped = escaped.replace("\u2026", "\\u2026")
        assert f'"{key}": "{escaped}"' in block.group(1)
