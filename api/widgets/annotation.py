"""``POST /annotate``: where concept labels occur in a text, as JSON or HTML for ``embed.js``.

The matching itself is ``api.build.annotator`` (an index built once per snapshot, owned by
the runtime); this module reads the request, checks it and writes the answer.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from dataclasses import dataclass
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

#: Worst case bytes per character: a JSON ``\\uXXXX\\uXXXX`` escape of one astral character.
_JSON_BYTES_PER_CHAR, _TEXT_BYTES_PER_CHAR = 12, 4
_ANNOTATE_FIELDS = frozenset(("text", "lang", "scheme"))
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
    apply when the body does not set them; ``deprecated`` is a query parameter only)."""
    media, charset = content_type(request.headers.get("content-type"))
    if media not in ("application/json", "text/plain"):
        raise UnsupportedMediaType("Send application/json or text/plain.")
    per_char = _JSON_BYTES_PER_CHAR if media == "application/json" else _TEXT_BYTES_PER_CHAR
    limit = max_chars * per_char + 4096
    body = await BodyLimit(limit, f"The body must be at most {limit} bytes.").read(request)
    source = decode(body, "utf-8" if media == "application/json" else charset or "utf-8")
    fields = from_json(source) if media == "application/json" else {"text": source}
    if len(fields["text"]) > max_chars:
        raise PayloadTooLarge(f"The text must be at most {max_chars} characters.")
    lang = optional_string(fields, "lang") or parameters.value(request, "lang")
    scheme = optional_string(fields, "scheme") or parameters.value(request, "scheme")
    text = without_surrogates("text", fields["text"])
    return AnnotateInput(text, lang, scheme, parameters.include_deprecated(request))


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
    return AnnotateInput(given.text, lang, given.scheme, given.deprecated)


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


def run(serving: Serving, given: AnnotateInput, limit: int) -> tuple[annotator.Occurrence, ...]:
    """Build the snapshot's annotator if need be, then annotate (off the event loop). Without
    ``lang``, labels match in their vocabulary's default language (and untagged ones)."""
    return annotator.annotate(
        serving.annotator, given.text, given.lang, given.scheme, limit,
        include_deprecated=given.deprecated,
    )  # fmt: skip


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
    cap = settings.annotate_max_matches
    # One more than the cap, to tell a text with exactly that many from one with more.
    found = await to_thread.run_sync(run, serving, given, cap + 1)
    truncated, found = len(found) > cap, found[:cap]
    headers = {"Cache-Control": "no-store", TRUNCATED_HEADER: "true" if truncated else "false"}
    if fmt == "html":
        href: Callable[[str], str] = lambda i: str(request.url_for("concept", id=i))  # noqa: E731
        marked = annotator.to_html(given.text, found, href)
        if truncated:
            marked += f"<!-- {TRUNCATED_NOTE.format(cap=cap)} -->"
        return HTMLResponse(marked, headers=headers)
    annotations = wire_annotations(request, snapshot, given, found)
    body = Annotations(annotations=annotations, truncated=truncated, max_matches=cap)
    return JSONResponse(body.model_dump(mode="json", by_alias=True), headers=headers)
