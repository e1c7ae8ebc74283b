"""What a concept page offers for embedding it elsewhere: the card, oEmbed and code snippets.

The card and oEmbed themselves are served by ``api.widgets``; this module only builds the
URLs and copy-paste snippets a concept page shows, and the iframe both use.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import quote

from api.model import Concept
from api.pages.templating import Page

#: The card's size in an oEmbed answer unless the consumer asks for less.
CARD_WIDTH, CARD_HEIGHT = 400, 240


def iframe(card: str, label: str, width: int, height: int) -> str:
    """The iframe that frames a card; the label is escaped into its accessible title."""
    return (
        f'<iframe src="{html.escape(card)}" title="{html.escape(label)}: definition" '
        f'width="{width}" height="{height}" loading="lazy"></iframe>'
    )


def oembed_url(page: Page, concept_url: str) -> str:
    return f"{page.url('oembed')}?url={quote(concept_url, safe='')}&format=json"


@dataclass(frozen=True, slots=True)
class Snippet:
    """A copy-paste block on a concept page: what it is for and the code."""

    key: str
    title: str
    description: str
    code: str


@dataclass(frozen=True, slots=True)
class Embedding:
    """A concept's card and oEmbed URLs and the snippets that use them."""

    card: str
    oembed: str
    snippets: tuple[Snippet, ...]


def embedding_for(page: Page, concept: Concept) -> Embedding:
    """The embedding URLs and snippets of one concept."""
    label = page.label(concept.id).value
    url = page.url("concept", id=concept.id)
    card = page.url("concept-card", id=concept.id)
    oembed = oembed_url(page, url)
    term = (
        f'<script src="{page.url("embed-js")}" defer></script>\n'
        f'<glossary-term term="{concept.id}"><a href="{html.escape(url)}">'
        f"{html.escape(label)}</a></glossary-term>"
    )
    frame = iframe(card, label, CARD_WIDTH, CARD_HEIGHT)
    curl = (
        f"curl -X POST '{page.url('annotate')}?format=html' "
        "-H 'Content-Type: text/plain' --data-binary 'Your text here'"
    )
    return Embedding(card, oembed, (
        Snippet("term", "A pop-up definition on your page",
                "Load the script once, then wrap the word. Without JavaScript it is a link.", term),
        Snippet("card", "A definition card",
                "An iframe of this definition, for pages that cannot run scripts.", frame),
        Snippet("oembed", "oEmbed",
                "Paste this page's address into a site that supports oEmbed; or ask:", oembed),
        Snippet("annotate", "Mark up every term in your own text",
                "The annotator finds this vocabulary's terms and wraps each for embed.js.", curl),
    ))  # fmt: skip
