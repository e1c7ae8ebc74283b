"""Definitions inside other sites: ``/embed.js``, the framable card and ``POST /annotate``
(and the snippets on concept pages that use them; oEmbed is in ``oembed``).

``/embed.js`` defines the ``<glossary-term>`` web component (``static/embed.js``), which
fetches a concept's JSON from this service with CORS. The card (``/concepts/{id}/card``) is
the one page any site may frame (see ``security``). ``POST /annotate`` finds concept labels
in a text (``annotate``) and answers JSON, or HTML ready for ``embed.js``.
"""

from __future__ import annotations

import codecs
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from api import payloads as p
from api.build import annotator
from api.http import parameters
from api.http.errors import (
    BadRequest,
    InvalidParameter,
    NotFound,
    PayloadTooLarge,
    UnprocessableContent,
    UnsupportedMediaType,
)
from api.languages import InvalidLanguageTag, normalise_tag
from api.model import Concept, LabelType
from api.pages.templating import STATIC, Page, cached, page_for, render
from api.runtime import Snapshot, current
from api.settings import Settings
from api.widgets.oembed import (
    CARD_HEIGHT,
    CARD_WIDTH,
    NotImplementedFormat,
    concept_for_url,
    dimension,
    iframe,
    oembed_body,
    oembed_url,
)

EMBED_SCRIPT = STATIC / "embed.js"
#: Worst case bytes per character: a JSON ``\\uXXXX\\uXXXX`` escape of one astral character.
_JSON_BYTES_PER_CHAR, _TEXT_BYTES_PER_CHAR = 12, 4
_ANNOTATE_FIELDS = frozenset(("text", "lang", "scheme"))


# What a concept page offers for embedding ---------------------------------------------------


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
                "The annotator finds the glossary's terms and wraps each one for embed.js.", curl),
    ))  # fmt: skip


# Routes -------------------------------------------------------------------------------------


async def embed_script(request: Request) -> Response:
    """``/embed.js``: the web component, cacheable, usable from any origin."""
    settings: Settings = request.state.settings
    headers = {"Cache-Control": f"public, max-age={settings.cache_max_age}"}
    return FileResponse(EMBED_SCRIPT, media_type="text/javascript", headers=headers)


def find_concept(snapshot: Snapshot, concept_id: str) -> Concept:
    concept = snapshot.index.concepts.get(concept_id)
    if concept is None:
        raise NotFound(f"There is no concept '{concept_id[:100]}'.")
    return concept


async def card(request: Request) -> Response:
    """``/concepts/{id}/card``: the label, definition and a link, small enough to frame."""
    snapshot = current(request)
    concept = find_concept(snapshot, request.path_params["id"])
    page = page_for(request, snapshot, snapshot.index.language(concept))
    return cached(request, snapshot, lambda: render(page, "card.html", concept=concept))


async def oembed(request: Request) -> Response:
    """``/oembed?url=&format=json``: a ``rich`` oEmbed answer whose HTML frames the card."""
    snapshot = current(request)
    url = parameters.required_text(request, "url", max_length=parameters.MAX_IRI)
    fmt = request.query_params.get("format", "json")
    if fmt == "xml":
        raise NotImplementedFormat("Only format=json is offered.")
    if fmt != "json":
        raise InvalidParameter("format", "must be json")
    concept = concept_for_url(request, snapshot.index, url)
    if concept is None:
        raise NotFound("That URL is not a concept of this service.")
    width, height = (
        dimension(request, "maxwidth", CARD_WIDTH),
        dimension(request, "maxheight", CARD_HEIGHT),
    )
    page = page_for(request, snapshot, snapshot.index.language(concept))
    body = oembed_body(page, concept, width, height)
    return cached(request, snapshot, lambda: JSONResponse(body))


# The annotator over HTTP -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnnotateInput:
    """A text to annotate and its optional language and scheme filters."""

    text: str
    lang: str | None
    scheme: str | None


def content_type(request: Request) -> tuple[str, str | None]:
    """The media type (lower case) and ``charset`` parameter of the request body."""
    media, *params = request.headers.get("content-type", "").split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as ``Content-Length`` or the bytes read exceed it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The body must be at most {limit} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The body must be at most {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(codecs.lookup(charset).name)
    except LookupError:
        raise UnsupportedMediaType(f"Unknown charset '{charset[:40]}'.") from None
    except UnicodeDecodeError:
        raise BadRequest(f"The body is not valid {charset[:40]}.") from None


def optional_string(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, str):
        raise UnprocessableContent(f"'{name}' must be a string.")
    return value


def from_json(source: str) -> dict[str, Any]:
    """The fields of a JSON body: an object with a string ``text``."""
    try:
        fields = json.loads(source)
    except (ValueError, RecursionError) as error:
        raise BadRequest(f"The body is not valid JSON: {str(error)[:200]}") from None
    if not isinstance(fields, dict):
        raise UnprocessableContent("The body must be a JSON object with a 'text' string.")
    unknown = sorted(set(fields) - _ANNOTATE_FIELDS)
    if unknown:
        raise UnprocessableContent(f"Unknown field(s): {', '.join(unknown)[:200]}.")
    if not isinstance(fields.get("text"), str):
        raise UnprocessableContent("'text' is required and must be a string.")
    return fields


async def annotate_input(request: Request, max_chars: int) -> AnnotateInput:
    """The text and filters from a JSON or ``text/plain`` body (query ``lang``/``scheme``
    apply when the body does not set them)."""
    media, charset = content_type(request)
    if media not in ("application/json", "text/plain"):
        raise UnsupportedMediaType("Send application/json or text/plain.")
    per_char = _JSON_BYTES_PER_CHAR if media == "application/json" else _TEXT_BYTES_PER_CHAR
    body = await read_body(request, max_chars * per_char + 4096)
    source = decode(body, "utf-8" if media == "application/json" else charset or "utf-8")
    fields = from_json(source) if media == "application/json" else {"text": source}
    if len(fields["text"]) > max_chars:
        raise PayloadTooLarge(f"The text must be at most {max_chars} characters.")
    query = request.query_params
    lang = optional_string(fields, "lang") or query.get("lang")
    scheme = optional_string(fields, "scheme") or query.get("scheme")
    return AnnotateInput(fields["text"], lang, scheme)


def checked(snapshot: Snapshot, given: AnnotateInput) -> AnnotateInput:
    """The input with ``lang`` in canonical form; 400 for a bad tag or an unknown scheme."""
    lang = given.lang
    if lang is not None:
        try:
            lang = normalise_tag(lang[: parameters.MAX_LANG + 1])
        except InvalidLanguageTag:
            raise InvalidParameter("lang", "must be a BCP 47 language tag, such as en") from None
    if given.scheme is not None and given.scheme not in snapshot.index.schemes:
        raise InvalidParameter("scheme", f"there is no concept scheme '{given.scheme[:100]}'")
    return AnnotateInput(given.text, lang, given.scheme)


class Annotation(p.Payload):
    """One occurrence on the wire: offsets are code points into the text sent."""

    start: int
    end: int
    text: str
    concept: p.ConceptRef
    matched_label: p.LanguageText
    label_type: LabelType


def wire_annotations(
    request: Request,
    snapshot: Snapshot,
    given: AnnotateInput,
    found: tuple[annotator.Occurrence, ...],
) -> list[dict[str, Any]]:
    preferred = (given.lang,) if given.lang else parameters.languages(request)
    refs: dict[str, p.ConceptRef] = {}

    def ref(concept_id: str) -> p.ConceptRef:
        if concept_id not in refs:
            schemes = snapshot.index.concepts[concept_id].schemes
            refs[concept_id] = p.concept_ref(
                snapshot, concept_id, p.languages_for(snapshot, preferred, schemes)
            )
        return refs[concept_id]

    return [
        Annotation(start=o.start, end=o.end, text=o.text, concept=ref(o.concept),
                   matched_label=p.text(o.label), label_type=o.label_type,
                   ).model_dump(mode="json", by_alias=True)
        for o in found
    ]  # fmt: skip


def output_format(request: Request) -> Literal["json", "html"]:
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "html"):
        raise InvalidParameter("format", "must be json or html")
    return "html" if fmt == "html" else "json"


def run(snapshot: Snapshot, given: AnnotateInput) -> tuple[annotator.Occurrence, ...]:
    """Build the snapshot's annotator if need be, then annotate (off the event loop)."""
    return annotator.annotate(snapshot.annotator, given.text, given.lang, given.scheme)


async def annotate(request: Request) -> Response:
    """``POST /annotate``: where concept labels occur in a text, as JSON or marked-up HTML."""
    settings: Settings = request.state.settings
    fmt = output_format(request)
    snapshot = current(request)
    given = checked(snapshot, await annotate_input(request, settings.annotate_max_chars))
    found = await to_thread.run_sync(run, snapshot, given)
    headers = {"Cache-Control": "no-store"}
    if fmt == "html":
        href: Callable[[str], str] = lambda i: str(request.url_for("concept", id=i))  # noqa: E731
        return HTMLResponse(annotator.to_html(given.text, found, href), headers=headers)
    return JSONResponse(wire_annotations(request, snapshot, given, found), headers=headers)


def routes() -> list[BaseRoute]:
    """The embedding routes (before the catch-all that resolves IRI paths)."""
    return [
        Route("/embed.js", embed_script, methods=["GET"], name="embed-js"),
        Route("/concepts/{id}/card", card, methods=["GET"], name="concept-card"),
        Route("/oembed", oembed, methods=["GET"], name="oembed"),
        Route("/annotate", annotate, methods=["POST"], name="annotate"),
    ]
