"""The annotator page for editors (``GET /annotate`` in a browser): paste text or HTML, mark
each term's first mention (or every one), preview it with working pop-ups and copy the
marked-up HTML with its script line.

It works without JavaScript: the form posts to ``/annotate`` itself and gets this page back
with the result (:func:`post` hands every other post to the JSON/HTML API). Its words are
wrapped for the message catalogue in ``templates/annotate.html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import Response

from api.http import parameters
from api.http.bodies import BodyLimit
from api.http.errors import (
    DISCONNECTS,
    BadRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
    disconnected,
)
from api.http.headers import content_type
from api.pages.templating import page_for, render
from api.runtime.serving import current
from api.widgets import annotation, markup

#: The content types of a browser's form post.
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
#: The form's fields; anything else in a post is ignored (browsers send the button too).
_FIELDS = frozenset(("text", "input", "mentions", "headings"))


@dataclass(frozen=True, slots=True)
class Form:
    """What the form holds: the text, whether it is HTML, and the options (the page's
    defaults: HTML, each term's first mention, not inside headings)."""

    text: str = ""
    html: bool = True
    mentions: annotation.Mentions = "first"
    headings: bool = False


async def page(request: Request) -> Response:
    """``GET /annotate``: the empty form."""
    return _render(request, Form(), None)


async def post(request: Request) -> Response:
    """``POST /annotate``: a browser's form gets the page with the result; anything else
    is the API (``annotation.annotate``)."""
    if content_type(request.headers.get("content-type"))[0] in FORMS:
        return await submitted(request)
    return await annotation.annotate(request)


async def submitted(request: Request) -> Response:
    """The page again, with the form as sent and its result."""
    form = await _read(request, request.state.settings.annotate_max_chars)
    snapshot = current(request).snapshot
    source = form.text if form.html else markup.from_text(form.text)
    given = annotation.checked(
        snapshot,
        # ``?lang=`` picks the page's interface language here, not the labels': those
        # match in the vocabulary's default language, as the JSON API does without ``lang``.
        annotation.AnnotateInput(source, None, None, False, True, form.mentions, form.headings),
    )  # fmt: skip
    result = await annotation.annotated(request, given) if form.text.strip() else None
    return _render(request, form, result)


async def _read(request: Request, max_chars: int) -> Form:
    """The form from a urlencoded body (a multipart one is a 415: the page never sends one),
    within the API's limits."""
    media, _ = content_type(request.headers.get("content-type"))
    if media != FORMS[0]:
        raise UnsupportedMediaType(
            "The annotator's form is sent as application/x-www-form-urlencoded."
        )
    # Percent-encoding makes a character up to 12 bytes (an astral one: 4 bytes as %XX).
    limit = max_chars * 12 + 4096
    try:
        body = await BodyLimit(limit, f"The form must be at most {limit} bytes.").read(request)
    except DISCONNECTS as error:
        raise disconnected(error) from None
    try:
        pairs = parse_qsl(body.decode("utf-8"), max_num_fields=20, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("The form is not valid UTF-8 form data.") from None
    fields = {name: value for name, value in pairs if name in _FIELDS}
    text = annotation.without_surrogates("text", fields.get("text", ""))
    if len(text) > max_chars:
        raise PayloadTooLarge(f"The text must be at most {max_chars} characters.")
    return Form(
        text,
        fields.get("input", "html") != "text",
        "every" if fields.get("mentions") == "every" else "first",
        fields.get("headings") == "on",
    )


def _render(request: Request, form: Form, result: annotation.Result | None) -> Response:
    page = page_for(request, current(request).snapshot)
    script = f'<script src="{page.url("embed-js")}" defer></script>'
    code = f"{script}\n{result.html}" if result is not None else ""
    action = page.url("annotate")
    chosen = parameters.value(request, "lang")  # the interface language stays after posting
    if chosen:
        action += "?" + urlencode({"lang": chosen})
    response = render(page, "annotate.html", form=form, result=result, code=code, action=action)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Accept-Language"
    return response
