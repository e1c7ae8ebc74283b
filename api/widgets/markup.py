"""Annotating HTML: the labels in an editor's HTML marked up for ``embed.js``, its markup kept.

The input is measured first (elements and nesting, in one streaming pass of the standard
library's tokenizer: a hostile document is refused before anything builds a tree of it),
then cleaned by ``nh3`` (the ammonia sanitiser: well-formed, no scripts, no event handlers).
Its text nodes are annotated one by one, except inside links, code, preformatted text and
the like (``SKIPPED``) and, unless asked, headings; the result is cleaned by ``nh3`` again,
allowing only our ``<glossary-term term>`` besides its defaults. Nothing here sanitises by
hand: the tokenizer only finds text nodes, and both ends of the work go through ``nh3``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from api.build.annotator import Occurrence, to_html

#: Elements whose text is never annotated: a link cannot hold another link, code and its
#: kin are literal, form controls and embedded languages are not prose.
SKIPPED = frozenset(
    ("a", "code", "pre", "kbd", "samp", "var", "tt", "script", "style", "textarea", "button",
     "select", "option", "svg", "math", "title", "glossary-term")
)  # fmt: skip
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
#: Elements without an end tag (HTML Living Standard §13.1.2, void elements).
VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr")
)  # fmt: skip
#: Elements an open one of the same kind is closed by (``<li>a<li>b``, ``<p>a<p>b``), so
#: measuring nesting does not count unclosed paragraphs and list items as depth.
SELF_CLOSING = frozenset(("p", "li", "dt", "dd", "tr", "td", "th", "option"))
#: What the output may hold: ``nh3``'s defaults and the element ``embed.js`` defines.
OUTPUT_TAGS = frozenset(nh3.ALLOWED_TAGS | {"glossary-term"})
OUTPUT_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "glossary-term": {"term"}}


_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n")


class TooComplex(ValueError):
    """The HTML has more elements, or nests deeper, than the limits allow."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The most elements a document may have, and the deepest it may nest."""

    elements: int
    depth: int


class _Shape(HTMLParser):
    """Counts elements and open nesting while the tokenizer streams; raises past a limit."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.elements = 0
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if self.elements > self.limits.elements:
            raise TooComplex(f"The HTML has more than {self.limits.elements} elements.")
        if tag in VOID:
            return
        if tag in SELF_CLOSING and self.open and self.open[-1] == tag:
            self.open.pop()
        self.open.append(tag)
        if len(self.open) > self.limits.depth:
            raise TooComplex(f"The HTML nests deeper than {self.limits.depth} elements.")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def check(source: str, limits: Limits) -> None:
    """Raise :class:`TooComplex` when ``source`` is over ``limits`` (before any tree is built:
    nesting costs ``nh3`` quadratic time, 25,000 nested ``<div>`` about 9 s)."""
    shape = _Shape(limits)
    shape.feed(source)
    shape.close()


def from_text(text: str) -> str:
    """Plain text as HTML: a paragraph per block between blank lines, a ``<br>`` per line
    break inside one, every character escaped."""
    blocks = (block.strip() for block in _BLANK_LINES.split(text))
    return "\n".join(
        "<p>"
        + "<br>\n".join(html.escape(line, quote=False) for line in block.splitlines())
        + "</p>"
        for block in blocks
        if block
    )


def cleaned(source: str) -> str:
    """``source`` sanitised by ``nh3`` with its default, conservative allow-list."""
    return nh3.clean(source)


def cleaned_output(marked: str) -> str:
    """Marked-up HTML sanitised again, allowing ``<glossary-term term>`` too."""
    return nh3.clean(marked, tags=set(OUTPUT_TAGS), attributes=OUTPUT_ATTRIBUTES)


#: Annotates one text node: its text and where in the document's text it starts, to the
#: occurrences to mark (offsets into the node's text).
Finder = Callable[[str, int], Iterable[Occurrence]]


class _Marker(HTMLParser):
    """Re-emits sanitised HTML with its text nodes annotated; ``length`` counts the code
    points of text so far (the document's ``textContent``), skipped text included."""

    def __init__(self, find: Finder, href: Callable[[str], str], headings: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.find, self.href, self.headings = find, href, headings
        self.out: list[str] = []
        self.inside: list[str] = []
        self.length = 0

    def skipping(self) -> bool:
        return any(tag in SKIPPED or (tag in HEADINGS and not self.headings) for tag in self.inside)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag not in VOID:
            self.inside.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in self.inside:
            while self.inside.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        start, self.length = self.length, self.length + len(data)
        if self.skipping():
            self.out.append(html.escape(data, quote=False))
        else:
            self.out.append(to_html(data, self.find(data, start), self.href))


def mark(source: str, find: Finder, href: Callable[[str], str], *, headings: bool = False) -> str:
    """``source`` (already :func:`cleaned`) with the occurrences ``find`` gives for each text
    node wrapped for ``embed.js``, then cleaned again. ``headings``: annotate headings too."""
    marker = _Marker(find, href, headings)
    marker.feed(source)
    marker.close()
    return cleaned_output("".join(marker.out))
