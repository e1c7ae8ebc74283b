"""What a concept page offers for embedding it elsewhere: the card, oEmbed and code snippets.

The card and oEmbed themselves are served by ``api.widgets``; this module only builds the
URLs and copy-paste snippets a concept page shows, and the iframe both use.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import quote

from api.model import Concept
from api.pages.entry import Entry, entry
from api.pages.fitting import card_height
from api.pages.templating import Page, render

#: The card's widest (px): it fills its frame up to this, and oEmbed answers this width
#: unless the consumer asks for less. ``CARD_HEIGHT``: a fixed preview frame's height, for
#: consumers that cannot follow the card's own (the reconciliation manifest's preview).
CARD_WIDTH, CARD_HEIGHT = 400, 240
#: The frame width a copy-paste snippet's height is estimated at: a 320 px phone's page less
#: its margins, so the text is never cut short there (wider frames leave room below it).
NARROW_FRAME = 288


def card_html(page: Page, concept: Concept) -> str:
    """The card of ``concept`` (``/concepts/{id}/card``) as HTML."""
    replaced_by = [(page.index.concept_by_iri(iri), iri) for iri in concept.replaced_by]
    found = entry(page.index, concept)
    response = render(page, "card.html", concept=concept, entry=found, replaced_by=replaced_by)
    return bytes(response.body).decode()


def iframe(card: str, label: str, width: int, height: int) -> str:
    """The iframe that frames a card: as wide as the host's column up to ``width``, as tall
    as the card's text (``height``); no border of its own, as the card draws one. Where a
    host's CSP forbids style attributes, its stylesheet gives the same (docs/pages.md)."""
    return (
        f'<iframe src="{html.escape(card)}" title="{html.escape(label)}: entry card" '
        f'height="{height}" style="width: 100%; max-width: {width}px; border: 0" '
        'loading="lazy"></iframe>'
    )


def shows(page: Page, found: Entry) -> str:
    """What an embed of the entry shows, in a sentence for its snippets."""
    if found.defined:
        return page.gettext("It shows the definition.")
    if found.says_more:
        return page.gettext(
            "This entry has no definition: the embed says so, then shows what the "
            "vocabulary does say about it."
        )
    return page.gettext(
        "This entry has no definition: the embed says so and links to the full entry."
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
    _ = page.gettext
    says = shows(page, entry(page.index, concept))
    url = page.url("concept", id=concept.id)
    card = page.url("concept-card", id=concept.id)
    oembed = oembed_url(page, url)
    term = (
        f'<script src="{page.url("embed-js")}" defer></script>\n'
        f'<glossary-term term="{concept.id}"><a href="{html.escape(url)}">'
        f"{html.escape(label)}</a></glossary-term>"
    )
    frame = iframe(card, label, CARD_WIDTH, card_height(card_html(page, concept), NARROW_FRAME))
    curl = (
        f"curl -X POST '{page.url('annotate')}?format=html' "
        "-H 'Content-Type: text/plain' --data-binary 'Your text here'"
    )
    return Embedding(card, oembed, (
        Snippet("term", _("A pop-up on your page"),
                _("Load the script once, then wrap the word. Without JavaScript it is a link.")
                + " " + says, term),
        Snippet("card", _("A card"),
                _("An iframe of this entry, for pages that cannot run scripts.") + " " + says,
                frame),
        Snippet("oembed", "oEmbed",
                _("Paste this page's address into a site that supports oEmbed; or ask:"),
                oembed),
        Snippet("annotate", _("Mark up every term in your own text"),
                _("The annotator finds this vocabulary's terms and wraps each for embed.js."),
                curl),
    ))  # fmt: skip
