"""Rendering pages: the Jinja2 environment and the :class:`Page` every template reads.

Shared by ``pages`` (the glossary's own pages) and ``widgets`` (the card other sites
frame). Autoescaping is on for every template; texts reach templates as ``Text`` records and
templates put each one's language tag on its element.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from babel.dates import format_date
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.build.index import Index
from api.http import parameters
from api.http.caching import conditional
from api.languages import InvalidLanguageTag, filter_language, normalise_tag, pick
from api.model import Text
from api.pages.translations import (
    SOURCE_LANGUAGE,
    gettext_in,
    interface_language,
    interface_languages,
    native_name,
    ngettext_in,
    translations,
)
from api.payloads.listings import browse
from api.runtime.serving import current
from api.runtime.snapshot import Snapshot
from api.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
#: Most items a page lists inline (top concepts); the A-Z has the rest.
LIST_LIMIT = 200
#: The language the pages' own words (headings, buttons) are written in; each reader gets
#: them in the interface language that fits (``translations``); texts carry their own tags.
UI_LANGUAGE = SOURCE_LANGUAGE


#: Schemes an IRI from vocabulary content may have to become a link: escaping stops markup,
#: not ``javascript:`` or ``data:`` URLs, which a click would run or open.
WEB_SCHEMES = ("http", "https")


def is_web_link(iri: object) -> bool:
    """Whether ``iri`` is an http(s) URL, safe as an ``href`` (the ``web_link`` test)."""
    if not isinstance(iri, str):
        return False
    scheme, colon, _ = iri.partition(":")
    return bool(colon) and scheme.lower() in WEB_SCHEMES


class _CompiledOnce(jinja2.BytecodeCache):
    """The compiled templates, shared by every language's environment: the environments
    differ only in the translations installed as globals, not in the code a template
    compiles to, so each template is compiled once per process (compiling is most of what
    the pages cost a start: 0.09 s a language for the first pages)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # refused by the bucket if the source changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledOnce()


@functools.cache
def environment(language: str = SOURCE_LANGUAGE) -> jinja2.Environment:
    """The template environment of one interface language, built on first use (one per
    language, so macros imported without context translate too); autoescaping everything.
    Templates wrap their words as ``_("...")`` (newstyle gettext: ``%(name)s`` placeholders
    filled from keywords, escaped like any other value)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("api.pages", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_COMPILED,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.tests["web_link"] = is_web_link
    return env


@dataclass(frozen=True)
class Page:
    """What templates read: the request, the snapshot and the reader's languages."""

    request: Request
    snapshot: Snapshot
    preferred: tuple[str, ...]
    default: str
    #: The languages of the vocabulary's preferred labels, most used first.
    languages: tuple[str, ...] = ()

    @property
    def index(self) -> Index:
        return self.snapshot.index

    def pick(self, texts: Sequence[Text]) -> Text | None:
        return pick(texts, self.preferred, self.default)

    def texts(self, texts: Sequence[Text]) -> tuple[Text, ...]:
        return filter_language(texts, self.preferred, self.default)

    def label(self, concept_id: str) -> Text:
        return self.index.label(concept_id, self.preferred)

    def labels(self, concept_ids: Sequence[str]) -> list[Text]:
        return [self.label(concept_id) for concept_id in concept_ids]

    def collection_label(self, collection_id: str) -> Text:
        found = self.index.collections[collection_id]
        return self.pick(found.labels) or Text(collection_id)

    def scheme_title(self, scheme_id: str) -> Text:
        return self.pick(self.index.schemes[scheme_id].titles) or Text(scheme_id)

    def url(self, route: str, **params: str) -> str:
        return str(self.request.url_for(route, **params))

    @functools.cached_property
    def _concept_base(self) -> str:
        return self.url("concept", id="_").removesuffix("_")

    def concept_url(self, concept_id: str) -> str:
        """``url("concept", id=...)`` without a route-table walk per link (ids need no
        escaping: they are unreserved characters, ``[A-Za-z0-9._~-]+``)."""
        return self._concept_base + concept_id

    def concept_link(self, concept_id: str) -> Markup:
        """A link to a concept by its label (with its ``lang``), after its notation when it
        has one, "(withdrawn)" after it when deprecated: the ``concept_link`` macro, in
        Python because an A-Z page holds a thousand of them."""
        label, found = self.label(concept_id), self.index.concepts[concept_id]
        lang = f' lang="{escape(label.language)}"' if label.language else ""
        notation = (
            f'<span class="notation">{escape(found.notations[0])}</span> '
            if found.notations
            else ""
        )
        href = self.concept_url(concept_id) + self.carried
        link = f'<a href="{escape(href)}"{lang}>{escape(label.value)}</a>'
        marked = escape(self.gettext("(withdrawn)"))
        withdrawn = f' <span class="withdrawn"{self.ui_lang}>{marked}</span>'
        return Markup(notation + link + (withdrawn if found.deprecated else ""))

    def concept_items(self, concept_ids: Sequence[str]) -> Markup:
        """``<li>`` items of :meth:`concept_link` for a list of concepts."""
        return Markup("".join(f"  <li>{self.concept_link(i)}</li>\n" for i in concept_ids))

    def link(self, route: str, resource_id: str) -> str:
        """``url(route, id=...)`` for a scheme or collection, one route-table walk per route
        (a home page of many vocabularies links hundreds)."""
        base = self._bases.get(route)
        if base is None:
            base = self._bases[route] = self.url(route, id="_").removesuffix("_")
        return base + resource_id + self.carried

    @functools.cached_property
    def _bases(self) -> dict[str, str]:
        return {}

    def static(self, path: str) -> str:
        return str(self.request.url_for("static", path=path))

    @property
    def settings(self) -> Settings:
        settings: Settings = self.request.state.settings
        return settings

    @property
    def site_name(self) -> Text:
        """The ``site_title`` setting, else the only scheme's title, else how many are loaded:
        never a name the vocabulary does not give."""
        if self.settings.site_title:
            return Text(self.settings.site_title)
        schemes = list(self.index.schemes)
        if len(schemes) == 1:
            return self.scheme_title(schemes[0])
        count = len(schemes)
        words = self.ngettext("%(num)d vocabulary", "%(num)d vocabularies", count)
        return Text(words % {"num": count}, self.ui_language)

    @property
    def site_publisher(self) -> str | None:
        """The ``site_publisher`` setting, else the schemes' publishers (``dct:publisher``)."""
        if self.settings.site_publisher:
            return self.settings.site_publisher
        names = dict.fromkeys(p for s in self.index.schemes.values() for p in s.publishers)
        return ", ".join(names) or None

    @property
    def feedback_url(self) -> str | None:
        """The ``site_feedback`` setting as a link (an email address becomes ``mailto:``)."""
        return contact_link(self.settings.site_feedback)

    @property
    def accessibility_contact(self) -> str | None:
        """Where to report accessibility problems: its setting, else the feedback route."""
        return contact_link(self.settings.site_accessibility_contact) or self.feedback_url

    @functools.cached_property
    def licences(self) -> tuple[str, ...]:
        """The licences (``dct:license``) and rights statements the schemes state, as the
        data gives them; empty when they state none (pages then say so, naming none)."""
        found: dict[str, None] = {}
        for scheme in self.index.schemes.values():
            if scheme.license:
                found[scheme.license] = None
            rights = self.pick(scheme.rights)
            if rights is not None:
                found[rights.value] = None
        return tuple(found)

    @property
    def interface_languages(self) -> tuple[str, ...]:
        return interface_languages()

    def native_name(self, language: str) -> str:
        return native_name(language)

    def date(self, value: str) -> str:
        """An ISO date from the data or settings (``2022``, ``2022-08``, ``2022-08-01``) as
        people write it in the interface language ("August 2022"); else as given."""
        return readable_date(value, self.ui_language)

    @functools.cached_property
    def carried_language(self) -> str | None:
        """The ``?lang=`` the reader chose by a link (a well-formed tag), which the pages'
        links carry so that the choice holds from page to page; ``None`` without one (the
        browser's ``Accept-Language`` decides then)."""
        chosen = self.request.query_params.get("lang")
        if not chosen:
            return None
        try:
            return normalise_tag(chosen)
        except InvalidLanguageTag:
            return None

    @property
    def carried(self) -> str:
        """``?lang=…`` to append to a link to another page, or nothing."""
        tag = self.carried_language
        return "" if tag is None else "?" + urlencode({"lang": tag})

    def nav(self, route: str, **params: str) -> str:
        """``url()`` for a link to another page of the site, carrying ``?lang=``."""
        return self.url(route, **params) + self.carried

    def switch_url(self, language: str) -> str:
        """This page with ``?lang=language``, its other parameters kept: a query-only
        relative reference (RFC 3986 §5.2.2), so a page reached at ``/x`` and ``/x.html``
        is the same bytes."""
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        return "?" + urlencode([*params, ("lang", language)])

    @functools.cached_property
    def language(self) -> str:
        """The page's language (``<html lang>``): the vocabulary's language that best fits
        the request (``?lang=``, else ``Accept-Language``), else the default language."""
        return page_language(self.languages, self.preferred, self.default)

    @functools.cached_property
    def ui_language(self) -> str:
        """The language of the pages' own words: the interface language that best fits the
        request (``?lang=``, else ``Accept-Language``), else English."""
        return interface_language(self.preferred)

    def gettext(self, message: str) -> str:
        """``message`` (an interface string) in the interface language."""
        return gettext_in(self.ui_language, message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return ngettext_in(self.ui_language, singular, plural, count)

    @property
    def ui_lang(self) -> Markup:
        """` lang="…"` on elements holding the pages' own words when the page (the
        vocabulary's language) is in another language (WCAG 3.1.2), else nothing."""
        if _primary(self.language) == _primary(self.ui_language):
            return Markup("")
        return Markup(f' lang="{escape(self.ui_language)}"')


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def readable_date(value: str, language: str) -> str:
    """``value`` (an ISO 8601 year, year-month or date, as ``dct:issued`` gives them) in
    ``language``'s words, by CLDR (babel); anything else unchanged."""
    found = _ISO_DATE.fullmatch(value.strip())
    if found is None or found.group(2) is None:
        return value
    try:
        day = datetime.date(int(found.group(1)), int(found.group(2)), int(found.group(3) or 1))
    except ValueError:
        return value
    pattern = "d MMMM y" if found.group(3) else "LLLL y"
    return format_date(day, pattern, locale=language.replace("-", "_"))


def contact_link(contact: str | None) -> str | None:
    """An email address as a ``mailto:`` link, an http(s) URL as itself (settings hold one
    or the other: ``Settings.site_feedback``)."""
    if not contact:
        return None
    return contact if is_web_link(contact) else f"mailto:{contact}"


def page_language(languages: Sequence[str], preferred: Sequence[str], default: str) -> str:
    """Of a vocabulary's ``languages``, the one that best fits ``preferred`` (``pick``'s
    fallbacks), else ``default``."""
    chosen = pick([Text("", tag) for tag in languages], preferred, default)
    return default if chosen is None or chosen.language is None else chosen.language


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def page_for(request: Request, snapshot: Snapshot, default: str | None = None) -> Page:
    """The reader's languages (``?lang=``, else ``Accept-Language``) and a fallback."""
    preferred = parameters.languages(request)
    languages = browse(current(request)).languages
    return Page(request, snapshot, preferred, default or snapshot.index.default_language, languages)


def render(page: Page, template: str, **context: Any) -> HTMLResponse:
    """A template rendered to a response (``page`` is always in the context)."""
    body = (
        environment(page.ui_language)
        .get_template(template)
        .render(page=page, ui_language=page.ui_language, list_limit=LIST_LIMIT, **context)
    )
    return HTMLResponse(body)


def cached(request: Request, build: Callable[[], Response]) -> Response:
    """A cacheable page: 304 when the client has it, else ``build()`` with ETag."""
    return conditional(request, "html", build, {"Vary": "Accept-Language"})
