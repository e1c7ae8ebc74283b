"""The body of ``/embed.js``: the web component with the pop-up's words in every interface
language put in, and its comments and indentation left out; built once per process.

The pop-up's own words (its link, close button, "Loading…", the unknown-term notice) follow
the nearest ``lang`` of the host page: the script carries them in each language the
interface has (from the message catalogues, ``api.pages.translations``), and picks one in
the browser. ``static/embed.js`` holds the English ones
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
from api.pages.translations import N_, gettext_in, interface_languages

EMBED_SCRIPT = STATIC / "embed.js"
_WORDS = re.compile(r"/\*words\*/.*?/\*end\*/", re.S)
_HEADER = re.compile(r"\A\s*/\*.*?\*/\s*", re.S)

#: The pop-up's words: the key the script reads, and its English, the catalogue's msgid
#: (``api/pages/locale``; the card's own words share these where they are the same).
MESSAGES: dict[str, str] = {
    "more": N_("Read the full entry"),
    "for": N_("for \u201c%s\u201d"),
    "close": N_("Close"),
    "loading": N_("Loading\u2026"),
    "unknown": N_("There is no entry for \u201c%s\u201d."),
    "search": N_("Search for \u201c%s\u201d"),
    "failed": N_("The entry could not be loaded. Please try again."),
    "withdrawn": N_("This term is withdrawn"),
    "use": N_("This term is withdrawn; use %(replacements)s instead."),
}


def words() -> dict[str, dict[str, str]]:
    """The pop-up's words in each interface language, English first."""
    return {
        language: {key: gettext_in(language, message) for key, message in MESSAGES.items()}
        for language in interface_languages()
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
    body = compact(with_words(path.read_text(encoding="utf-8"), words())).encode()
    return Script(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
