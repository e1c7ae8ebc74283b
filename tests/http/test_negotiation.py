"""``negotiation.negotiate`` and ``parse_accept`` as tables: precedence, q-values, garbage."""

from __future__ import annotations

import pytest

from api.http.headers import LANGUAGE_MEMO_SIZE, accept_languages
from api.http.negotiation import (
    FORMATS,
    HTML,
    JSON,
    JSONLD,
    NEGOTIATION_MEMO_SIZE,
    NTRIPLES,
    RDF_FORMATS,
    RDFXML,
    TURTLE,
    Format,
    MediaRange,
    negotiate,
    negotiate_memo,
    parse_accept,
)

Row = tuple[str | None, str | None, str | None, Format | None, str | None]

#: suffix, ?format=, Accept → expected format and what decided it (None: 406).
TABLE: list[Row] = [
    (None, None, None, JSON, "default"),
    (None, None, "", JSON, "default"),
    (None, None, "   ", JSON, "default"),
    (None, None, "*/*", JSON, "accept"),
    (None, None, "text/turtle", TURTLE, "accept"),
    (None, None, "application/x-turtle", TURTLE, "accept"),
    (None, None, "application/ld+json", JSONLD, "accept"),
    (None, None, "application/rdf+xml", RDFXML, "accept"),
    (None, None, "application/n-triples", NTRIPLES, "accept"),
    (None, None, "text/html", HTML, "accept"),
    (None, None, "application/xhtml+xml", HTML, "accept"),
    (None, None, "TEXT/TURTLE", TURTLE, "accept"),
    (None, None, "text/turtle;q=0.5, application/rdf+xml", RDFXML, "accept"),
    (None, None, "text/turtle;q=0.9, application/rdf+xml;q=0.8", TURTLE, "accept"),
    (None, None, "text/*", TURTLE, "accept"),
    (None, None, "text/*;q=0.9, text/html", HTML, "accept"),
    (None, None, "*/*;q=0.1, text/turtle;q=0.2", TURTLE, "accept"),
    (None, None, "text/turtle;q=0, */*", JSON, "accept"),
    (None, None, "application/json;q=0, */*;q=0.5", JSONLD, "accept"),
    (None, None, "image/png", None, None),
    (None, None, "text/turtle;q=0", None, None),
    (None, None, "image/png, */*;q=0.1", JSON, "accept"),
    # Browsers: HTML first, */* low.
    (None, None, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", HTML, "accept"),
    # Garbage elements are skipped; nothing usable at all means the default.
    (None, None, "garbage", JSON, "default"),
    (None, None, ";;;,,,", JSON, "default"),
    (None, None, "*/turtle", JSON, "default"),
    (None, None, "text/turtle;q=abc", None, None),
    (None, None, "text/turtle;q=7", None, None),
    (None, None, "garbage, text/turtle", TURTLE, "accept"),
    (None, None, "\x00\xff/\x01", None, None),
    # Precedence: suffix > ?format= > Accept > default.
    ("ttl", "rdf", "application/ld+json", TURTLE, "suffix"),
    (None, "rdf", "application/ld+json", RDFXML, "parameter"),
    ("nt", None, "image/png", NTRIPLES, "suffix"),
    (None, "jsonld", "image/png", JSONLD, "parameter"),
    ("html", None, None, HTML, "suffix"),
]


@pytest.mark.parametrize(("suffix", "parameter", "accept", "expected", "decided_by"), TABLE)
def test_negotiate(
    suffix: str | None,
    parameter: str | None,
    accept: str | None,
    expected: Format | None,
    decided_by: str | None,
) -> None:
    decision = negotiate(FORMATS, JSON, suffix=suffix, parameter=parameter, accept=accept)
    if expected is None:
        assert decision is None
        return
    assert decision is not None
    assert (decision.format, decision.decided_by) == (expected, decided_by)


def test_the_default_wins_ties_among_rdf_formats() -> None:
    decision = negotiate(RDF_FORMATS, TURTLE, accept="*/*")
    assert decision is not None
    assert decision.format is TURTLE


def test_server_order_breaks_ties_after_the_default() -> None:
    decision = negotiate(RDF_FORMATS, TURTLE, accept="application/rdf+xml, application/n-triples")
    assert decision is not None
    assert decision.format is RDFXML


def test_unoffered_suffix_and_parameter_fall_through() -> None:
    decision = negotiate(RDF_FORMATS, TURTLE, suffix="json", parameter="html", accept=None)
    assert decision is not None
    assert (decision.format, decision.decided_by) == (TURTLE, "default")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/turtle", (MediaRange("text", "turtle", 1.0),)),
        ("text/turtle; q=0.5", (MediaRange("text", "turtle", 0.5),)),
        ("text/turtle;charset=utf-8;q=0.3", (MediaRange("text", "turtle", 0.3),)),
        ("*/*;q=0.1", (MediaRange("*", "*", 0.1),)),
        ("text/*", (MediaRange("text", "*", 1.0),)),
        ("text/turtle;q=-1", (MediaRange("text", "turtle", 0.0),)),
        ("text/turtle;q=", (MediaRange("text", "turtle", 0.0),)),
        ("a, b/, /c, */x", ()),
        ("", ()),
    ],
)
def test_parse_accept(header: str, expected: tuple[MediaRange, ...]) -> None:
    assert parse_accept(header) == expected


def test_a_huge_accept_header_is_parsed_quickly() -> None:
    header = ", ".join(f"type{i}/sub{i};q=0.{i % 10}" for i in range(5000))
    assert len(parse_accept(header)) == 5000
    assert negotiate(FORMATS, JSON, accept=header) is None


@pytest.mark.parametrize(("suffix", "parameter", "accept", "expected", "decided_by"), TABLE)
def test_the_memo_decides_as_negotiate_does_every_time(
    suffix: str | None,
    parameter: str | None,
    accept: str | None,
    expected: Format | None,
    decided_by: str | None,
) -> None:
    """Asked twice (the second answer is the memo's), with another offer in between."""
    fresh = negotiate(FORMATS, JSON, suffix=suffix, parameter=parameter, accept=accept)
    assert negotiate_memo(FORMATS, JSON, suffix, parameter, accept) == fresh
    negotiate_memo(RDF_FORMATS, TURTLE, suffix, parameter, accept)
    assert negotiate_memo(FORMATS, JSON, suffix, parameter, accept) == fresh


def test_the_memo_is_bounded() -> None:
    for n in range(NEGOTIATION_MEMO_SIZE + 10):
        negotiate_memo(FORMATS, JSON, None, None, f"text/x-{n}, application/json")
    assert negotiate_memo.cache_info().currsize <= NEGOTIATION_MEMO_SIZE


def test_accept_language_is_parsed_once_per_value_and_bounded() -> None:
    assert accept_languages("fr-CH, fr;q=0.9, en;q=0.8") == ("fr-CH", "fr", "en")
    before = accept_languages.cache_info().hits
    assert accept_languages("fr-CH, fr;q=0.9, en;q=0.8") == ("fr-CH", "fr", "en")
    assert accept_languages.cache_info().hits == before + 1
    for n in range(LANGUAGE_MEMO_SIZE + 10):
        accept_languages(f"x-{n}")
    assert accept_languages.cache_info().currsize <= LANGUAGE_MEMO_SIZE
