"""``POST /annotate``: where concept labels occur in a text or HTML, as JSON or HTML for
``embed.js``; every mention, or the first of each concept (as editors mark them).

The matching itself is ``api.build.annotator`` (an index built once per snapshot, owned by
the runtime), HTML input goes through ``markup``; this module reads the request, checks it
and writes the answer (``editor`` hands it every post but a browser's form).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from api import payloads as p
from api.build import annotator
from api.http import parameters
from api.http.bodies import BodyLimit
from api.http.errors import (
    DISCONNECTS,
    BadRequest,
    InvalidParameter,
    PayloadTooLarge,
    UnprocessableContent,
    UnsupportedMediaType,
    disconnected,
)
from api.http.headers import content_type
from api.languages import InvalidLanguageTag, normalise_tag
from api.model import LabelType
from api.runtime.serving import Serving, current
from api.runtime.snapshot import Snapshot
from api.settings import Settings
from api.widgets import markup

#: Worst case bytes per character: a JSON ``\\uXXXX\\uXXXX`` escape of one astral character.
_JSON_BYTES_PER_CHAR, _TEXT_BYTES_PER_CHAR = 12, 4
_ANNOTATE_FIELDS = frozenset(("text", "html", "lang", "scheme", "mentions", "headings"))
#: Which occurrences are marked: all of them, or each concept's first.
MENTIONS = ("every", "first")
Mentions = Literal["every", "first"]
_MEDIA = ("application/json", "text/plain", "text/html")
#: Says on either format whether the answer stopped at the ``annotate_max_matches`` cap.
TRUNCATED_HEADER = "Annotations-Truncated"
#: Ends a truncated HTML answer (as a comment: the markup is inserted into pages as is).
TRUNCATED_NOTE = "annotations truncated: only the first {cap} occurrences are marked"


@dataclass(frozen=True, slots=True)
class AnnotateInput:
    """A text to annotate and its optional language and scheme filters; withdrawn concepts
    only when ``deprecated`` (``?deprecated=include``)."""

    text: str
    lang: str | None
    scheme: str | None
    deprecated: bool = False
    #: ``text`` is HTML: its markup is kept, only its text nodes are annotated.
    html: bool = False
    mentions: Mentions = "every"
    #: Annotate inside headings too (HTML input).
    headings: bool = False


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
    return None if value is None else without_surrogates(name, value)


def without_surrogates(name: str, value: str) -> str:
    """``value``, unless a JSON escape such as ``"\\ud800"`` put a lone surrogate in it: that
    is no character, and could not be written back in the answer."""
    if parameters.has_surrogates(value):
        raise UnprocessableContent(f"'{name}' must not contain lone surrogates.")
    return value


def from_json(source: str) -> dict[str, Any]:
    """The fields of a JSON body: an object with a string ``text`` or ``html`` (the HTML
    becomes ``text``, with ``html`` true)."""
    try:
        fields = json.loads(source)
    except (ValueError, RecursionError) as error:
        raise BadRequest(f"The body is not valid JSON: {str(error)[:200]}") from None
    if not isinstance(fields, dict):
        raise UnprocessableContent("The body must be a JSON object with a 'text' string.")
    unknown = sorted(set(fields) - _ANNOTATE_FIELDS)
    if unknown:
        raise UnprocessableContent(f"Unknown field(s): {', '.join(unknown)[:200]}.")
    if ("text" in fields) == ("html" in fields):
        raise UnprocessableContent("Send one of 'text' or 'html', a string.")
    if "html" in fields:
        fields = {**fields, "text": fields.pop("html"), "html": True}
    if not isinstance(fields.get("text"), str):
        raise UnprocessableContent("'text' (or 'html') must be a string.")
    if not isinstance(fields.get("headings", False), bool):
        raise UnprocessableContent("'headings' must be true or false.")
    return fields


async def annotate_input(request: Request, max_chars: int) -> AnnotateInput:
    """The text and filters from a JSON, ``text/plain`` or ``text/html`` body (query
    ``lang``, ``scheme``, ``mentions`` and ``headings`` apply when the body does not set
    them; ``deprecated`` is a query parameter only)."""
    media, charset = content_type(request.headers.get("content-type"))
    if media not in _MEDIA:
        raise UnsupportedMediaType("Send application/json, text/plain or text/html.")
    per_char = _JSON_BYTES_PER_CHAR if media == "application/json" else _TEXT_BYTES_PER_CHAR
    limit = max_chars * per_char + 4096
    body = await BodyLimit(limit, f"The body must be at most {limit} bytes.").read(request)
    source = decode(body, "utf-8" if media == "application/json" else charset or "utf-8")
    if media == "application/json":
        fields = from_json(source)
    else:
        fields = {"text": source, "html": media == "text/html"}
    if len(fields["text"]) > max_chars:
        raise PayloadTooLarge(f"The text must be at most {max_chars} characters.")
    lang = optional_string(fields, "lang") or parameters.value(request, "lang")
    scheme = optional_string(fields, "scheme") or parameters.value(request, "scheme")
    text = without_surrogates("text", fields["text"])
    headings = fields.get("headings", parameters.boolean(request, "headings"))
    return AnnotateInput(
        text, lang, scheme, parameters.include_deprecated(request), bool(fields.get("html")),
        mentions_of(request, fields), headings,
    )  # fmt: skip


def mentions_of(request: Request, fields: dict[str, Any]) -> Mentions:
    """``mentions`` from the body, else the query: ``every`` (the default) or ``first``."""
    given = fields.get("mentions")
    if given is None:
        given = parameters.choice(request, "mentions", MENTIONS, "every")
    if given not in MENTIONS:
        raise UnprocessableContent("'mentions' must be 'every' or 'first'.")
    return "first" if given == "first" else "every"


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
    return replace(given, lang=lang)


class Annotation(p.Payload):
    """One occurrence on the wire: offsets are code points into the text sent."""

    start: int
    end: int
    text: str
    concept: p.ConceptRef
    matched_label: p.LanguageText
    label_type: LabelType


class Annotations(p.Payload):
    """The JSON answer: the occurrences in text order, at most ``max_matches`` of them;
    ``truncated`` when the text holds more (the rest are not marked)."""

    annotations: list[Annotation]
    truncated: bool
    max_matches: int
    #: The marked-up HTML, for HTML input (offsets then count its text content); else null.
    html: str | None = None


def wire_annotations(
    request: Request,
    snapshot: Snapshot,
    given: AnnotateInput,
    found: tuple[annotator.Occurrence, ...],
) -> list[Annotation]:
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
                   matched_label=p.text(o.label), label_type=o.label_type)
        for o in found
    ]  # fmt: skip


def output_format(request: Request) -> Literal["json", "html"]:
    fmt = parameters.choice(request, "format", ("json", "html"), "json")
    return "html" if fmt == "html" else "json"


@dataclass
class Found:
    """The occurrences found so far in one request, across an HTML input's text nodes: up
    to one more than ``cap`` (to tell a text with exactly that many from one with more),
    each concept's first only when ``mentions`` is ``first``."""

    serving: Serving
    given: AnnotateInput
    cap: int
    occurrences: list[annotator.Occurrence] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def __call__(self, text: str, offset: int = 0) -> list[annotator.Occurrence]:
        """The occurrences to mark in ``text`` (a text node starting at ``offset`` in the
        document's text, for the recorded offsets), within the cap."""
        room = self.cap + 1 - len(self.occurrences)
        if room <= 0:
            return []
        first = self.given.mentions == "first"
        found = annotator.annotate(
            self.serving.annotator, text, self.given.lang, self.given.scheme,
            None if first else room, include_deprecated=self.given.deprecated,
        )  # fmt: skip
        if first:
            found = tuple(o for o in found if self.first_mention(o.concept))
        kept = list(found[:room])
        marked = kept[: max(0, self.cap - len(self.occurrences))]
        self.occurrences.extend(
            replace(o, start=o.start + offset, end=o.end + offset) for o in kept
        )
        return marked

    def first_mention(self, concept: str) -> bool:
        if concept in self.seen:
            return False
        self.seen.add(concept)
        return True


def run(
    serving: Serving,
    given: AnnotateInput,
    cap: int,
    href: Callable[[str], str],
    limits: markup.Limits,
) -> tuple[tuple[annotator.Occurrence, ...], str]:
    """Build the snapshot's annotator if need be, then annotate (off the event loop): the
    occurrences (up to ``cap`` + 1) and the HTML with the first ``cap`` marked. Without
    ``lang``, labels match in their vocabulary's default language (and untagged ones)."""
    found = Found(serving, given, cap)
    if not given.html:
        marked = found(given.text)
        return tuple(found.occurrences), annotator.to_html(given.text, marked, href)
    try:
        markup.check(given.text, limits)
    except markup.TooComplex as error:
        raise PayloadTooLarge(str(error)) from None
    html = markup.mark(markup.cleaned(given.text), found, href, headings=given.headings)
    return tuple(found.occurrences), html


async def annotate(request: Request) -> Response:
    """``POST /annotate``: where concept labels occur in a text, as JSON or marked-up HTML."""
    settings: Settings = request.state.settings
    fmt = output_format(request)
    serving = current(request)
    snapshot = serving.snapshot
    try:
        sent = await annotate_input(request, settings.annotate_max_chars)
    except DISCONNECTS as error:  # a Problem, so it is not re-raised to the server's log
        raise disconnected(error) from None
    given = checked(snapshot, sent)
    result = await annotated(request, given)
    headers = {
        "Cache-Control": "no-store",
        TRUNCATED_HEADER: "true" if result.truncated else "false",
    }
    if fmt == "html":
        return HTMLResponse(result.html, headers=headers)
    annotations = wire_annotations(request, snapshot, given, result.occurrences)
    body = Annotations(
        annotations=annotations, truncated=result.truncated, max_matches=result.cap,
        html=result.html if given.html else None,
    )  # fmt: skip
    return JSONResponse(body.model_dump(mode="json", by_alias=True), headers=headers)


@dataclass(frozen=True, slots=True)
class Result:
    """What an annotation made: the occurrences (at most ``cap``), whether there were more,
    and the marked-up HTML (ending with a note when truncated)."""

    occurrences: tuple[annotator.Occurrence, ...]
    truncated: bool
    cap: int
    html: str


async def annotated(request: Request, given: AnnotateInput) -> Result:
    """Annotate ``given`` (checked) off the event loop, within the settings' limits."""
    settings: Settings = request.state.settings
    cap = settings.annotate_max_matches
    limits = markup.Limits(settings.annotate_max_elements, settings.annotate_max_depth)
    href: Callable[[str], str] = lambda i: str(request.url_for("concept", id=i))  # noqa: E731
    # One more than the cap, to tell a text with exactly that many from one with more.
    found, html = await to_thread.run_sync(run, current(request), given, cap, href, limits)
    truncated = len(found) > cap
    if truncated:
        html += f"<!-- {TRUNCATED_NOTE.format(cap=cap)} -->"
    return Result(found[:cap], truncated, cap, html)
