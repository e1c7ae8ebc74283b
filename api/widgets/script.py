"""The body of ``/embed.js``: the web component with the pop-up's words in every interface
language put in, and its comments and indentation left out; built once per process.

The pop-up's own words (its link, close button, "Loading…", the unknown-term notice) follow
the nearest ``lang`` of the host page: the script carries them in each language the
interface has, and picks one in the browser. ``static/embed.js`` holds the English ones
between ``/*words*/`` and ``/*end*/`` so that the file runs as it is.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from api.pages.templating import STATIC

EMBED_SCRIPT = STATIC / "embed.js"
_WORDS = re.compile(r"/\*words\*/.*?/\*end\*/", re.S)
_HEADER = re.compile(r"\A\s*/\*.*?\*/\s*", re.S)

#: The pop-up's words, English first (the source), then each translation. Welsh: a draft
#: awaiting review by a Welsh speaker (docs/pages.md).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "more": "Read the full entry",
        "for": " for \u201c%s\u201d",
        "close": "Close",
        "loading": "Loading\u2026",
        "unknown": "There is no entry for \u201c%s\u201d.",
        "search": "Search for \u201c%s\u201d",
        "failed": "The entry could not be loaded. Please try again.",
        "withdrawn": "This term is withdrawn.",
        "use": "This term is withdrawn; use \u201c%s\u201d instead.",
    },
    "cy": {
        "more": "Darllen y cofnod llawn",
        "for": " ar gyfer \u201c%s\u201d",
        "close": "Cau",
        "loading": "Wrthi\u2019n llwytho\u2026",
        "unknown": "Does dim cofnod ar gyfer \u201c%s\u201d.",
        "search": "Chwilio am \u201c%s\u201d",
        "failed": "Doedd dim modd llwytho\u2019r cofnod. Rhowch gynnig arall arni.",
        "withdrawn": "Mae\u2019r term hwn wedi\u2019i dynnu\u2019n \u00f4l.",
        "use": (
            "Mae\u2019r term hwn wedi\u2019i dynnu\u2019n \u00f4l; "
            "defnyddiwch \u201c%s\u201d yn ei le."
        ),
    },
}


@dataclass(frozen=True, slots=True)
class Script:
    """The served script and its strong entity tag."""

    body: bytes
    etag: str


def compact(source: str) -> str:
    """``source`` without its header comment, indentation, blank lines and whole-line
    ``//`` comments: nothing inside a line changes, so no string or regex literal can."""
    lines = (line.strip() for line in _HEADER.sub("", source, count=1).splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


def with_words(source: str, words: dict[str, dict[str, str]]) -> str:
    """``source`` with the words between its ``/*words*/`` and ``/*end*/`` replaced."""
    encoded = json.dumps(words, ensure_ascii=False, separators=(",", ":"))
    replaced, count = _WORDS.subn(lambda _: encoded, source, count=1)
    if count != 1:
        raise ValueError("embed.js has no /*words*/ ... /*end*/ block")
    return replaced


@functools.cache
def embed_script(path: Path = EMBED_SCRIPT) -> Script:
    """The script as served, built on first use (the file and the words never change while
    the process runs)."""
    body = compact(with_words(path.read_text(encoding="utf-8"), WORDS)).encode()
    return Script(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
