"""Formats and content negotiation: one pure function decides a response's format.

Precedence (docs/linked-data.md): URL suffix, then ``?format=``, then ``Accept`` with
q-values, then the resource's default. Nothing here knows about HTTP frameworks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from api.http.headers import MediaRange, parse_accept

DecidedBy = Literal["suffix", "parameter", "accept", "default"]


@dataclass(frozen=True, slots=True)
class Format:
    """A representation we can serve: its short name (also the URL suffix) and media types."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    title: str = ""

    def matches(self, media_type: str) -> bool:
        return media_type == self.media_type or media_type in self.aliases


JSON = Format("json", "application/json", title="JSON")
JSONLD = Format("jsonld", "application/ld+json", title="JSON-LD")
TURTLE = Format("ttl", "text/turtle", ("application/x-turtle",), title="Turtle")
RDFXML = Format("rdf", "application/rdf+xml", title="RDF/XML")
# text/plain: the N-Triples media type before RDF 1.1, still what rdflib asks for.
NTRIPLES = Format("nt", "application/n-triples", ("text/plain",), title="N-Triples")
HTML = Format("html", "text/html", ("application/xhtml+xml",), title="HTML")

#: Every format, in the order we prefer when a client likes several equally.
FORMATS: tuple[Format, ...] = (JSON, JSONLD, TURTLE, RDFXML, NTRIPLES, HTML)
#: The RDF formats (for dumps and SPARQL graph results).
RDF_FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, RDFXML, NTRIPLES)


@dataclass(frozen=True, slots=True)
class Decision:
    """The chosen format and which input decided it (``Vary: Accept`` when it was Accept)."""

    format: Format
    decided_by: DecidedBy


def quality_of(fmt: Format, ranges: Sequence[MediaRange]) -> float:
    """The q-value the client gives ``fmt``: the most specific range that covers it wins."""
    best: MediaRange | None = None
    for media_type in (fmt.media_type, *fmt.aliases):
        for media_range in ranges:
            if media_range.covers(media_type) and (
                best is None or media_range.specificity > best.specificity
            ):
                best = media_range
    return 0.0 if best is None else best.q


def negotiate(
    offered: Sequence[Format],
    default: Format,
    *,
    suffix: str | None = None,
    parameter: str | None = None,
    accept: str | None = None,
) -> Decision | None:
    """Choose a format from ``offered``; ``None`` when nothing the client accepts is offered.

    ``suffix`` and ``parameter`` must already be names of offered formats (callers reject
    unknown ones with their own, more specific errors).
    """
    names = {f.name: f for f in offered}
    if suffix is not None and suffix in names:
        return Decision(names[suffix], "suffix")
    if parameter is not None and parameter in names:
        return Decision(names[parameter], "parameter")
    if accept is None or not accept.strip():
        return Decision(default, "default")
    if accept.strip() == "*/*":  # what most non-browser clients send: all formats tie
        return Decision(default, "accept")
    ranges = parse_accept(accept)
    if not ranges:
        return Decision(default, "default")
    return _best_by_accept(offered, default, ranges)


#: Distinct negotiations kept by :func:`negotiate_memo`: (offered, default, suffix,
#: parameter, Accept) tuples; browsers and clients send a few dozen ``Accept`` values.
NEGOTIATION_MEMO_SIZE = 1024


@lru_cache(maxsize=NEGOTIATION_MEMO_SIZE)
def negotiate_memo(
    offered: tuple[Format, ...],
    default: Format,
    suffix: str | None,
    parameter: str | None,
    accept: str | None,
) -> Decision | None:
    """:func:`negotiate`, memoised on its inputs: a pure function asked on every negotiated
    request, so parsing ``Accept`` again each time is waste. Bounded: hostile variety in
    ``Accept`` evicts decisions (cheap to redo), never prepared responses."""
    return negotiate(offered, default, suffix=suffix, parameter=parameter, accept=accept)


def _best_by_accept(
    offered: Sequence[Format], default: Format, ranges: Sequence[MediaRange]
) -> Decision | None:
    # Among equal q-values, the default wins, then the order of `offered` (server preference).
    candidates = sorted(offered, key=lambda f: f != default)
    scored = [(quality_of(f, ranges), -i, f) for i, f in enumerate(candidates)]
    q, _, best = max(scored, key=lambda item: (item[0], item[1]))
    return Decision(best, "accept") if q > 0 else None
