"""How tall a card is at a given width, estimated from its HTML, for oEmbed's ``height``.

An oEmbed consumer sizes the iframe from the answer's ``height`` before the card has loaded
(the card then reports its real height with ``postMessage``: ``static/card.js``), so the
estimate errs on the tall side: wide average glyphs, each block's words wrapped greedily.
The metrics mirror ``static/card.css``; ``tests/pages/test_fitting.py`` compares the
estimate with the height chromium lays the card out at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html.parser import HTMLParser

#: The card's frame around its text: horizontal padding and borders (px).
CARD_INSET_X = 2 * 16 + 2 * 1
#: Vertical padding (12 + 12), the top border (6) and the bottom one (1).
CARD_INSET_Y = 12 + 12 + 6 + 1


@dataclass(frozen=True, slots=True)
class Metrics:
    """A kind of block: its average glyph width, line height and bottom margin (px)."""

    glyph: float
    line: float
    margin: float


#: Generous averages at the card's sizes, for the widest common fallback of system-ui
#: (DejaVu Sans, Linux's): narrower faces (Segoe UI, San Francisco, Roboto) leave room.
BODY = Metrics(glyph=9.4, line=24.0, margin=8.0)
#: The notice is inset (a 4 px rule and 10 px of padding): as if its glyphs were wider.
INSET = Metrics(glyph=10.2, line=24.0, margin=8.0)
SOURCE = Metrics(glyph=8.4, line=20.4, margin=8.0)
HEADING = Metrics(glyph=14.2, line=26.0, margin=9.6)
LAST = Metrics(glyph=9.4, line=24.0, margin=0.0)


def _metrics(tag: str, classes: str) -> Metrics:
    if tag == "h1":
        return HEADING
    if "card-source" in classes:
        return SOURCE
    if "entry-notice" in classes:
        return INSET
    return LAST if "card-more" in classes else BODY


class _Blocks(HTMLParser):
    """The visible text of each paragraph and heading in the card's ``<main>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[Metrics, str]] = []
        self._open: tuple[Metrics, list[str]] | None = None
        self._hidden = 0  # depth inside a visually hidden span

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if self._hidden or "visually-hidden" in classes:
            self._hidden += tag == "span"
        elif tag in ("p", "h1"):
            self._open = (_metrics(tag, classes), [])

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and tag == "span":
            self._hidden -= 1
        elif tag in ("p", "h1") and self._open is not None:
            metrics, parts = self._open
            self.blocks.append((metrics, "".join(parts)))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._hidden:
            self._open[1].append(data)


def lines(text: str, glyph: float, width: float) -> int:
    """How many lines ``text`` wraps to at ``width`` px, words never split (greedy)."""
    count, used = 1, 0.0
    for word in text.split():
        needed = len(word) * glyph
        if used and used + glyph + needed > width:
            count, used = count + 1, 0.0
        used += (glyph if used else 0.0) + needed
        count += max(0, math.ceil(needed / width) - 1)  # a word wider than the line
    return count


def card_height(card_html: str, width: int) -> int:
    """The height (px) the card's text needs in a frame ``width`` px wide."""
    parser = _Blocks()
    parser.feed(card_html)
    text_width = max(1, width - CARD_INSET_X)
    body = sum(
        lines(text, metrics.glyph, text_width) * metrics.line + metrics.margin
        for metrics, text in parser.blocks
    )
    return math.ceil(CARD_INSET_Y + body)
