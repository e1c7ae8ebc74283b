"""The interface's own words in the reader's language: gettext catalogues, English and Welsh.

Every string the pages, error pages, card and pop-up show (headings, buttons, notices) is
wrapped for gettext: ``_("...")`` in templates (Jinja's ``i18n`` extension) and in Python.
English is the source language (the msgids); each other language has a catalogue,
``locale/<language>/LC_MESSAGES/messages.po``, compiled in memory on first use (no binary
``.mo`` in the repository: the ``.po`` is the one source a reviewer edits). The vocabulary's
own texts are never translated: they keep the languages the data gives them.

``locale/messages.pot`` is the extracted template (``python3 tasks.py messages`` refreshes it
and the catalogues with ``pybabel``; ``locale/babel.cfg`` says where strings live).
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Sequence
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from api.languages import pick
from api.model import Text

#: Where the catalogues live (one folder per language, gettext's layout).
LOCALE = Path(__file__).resolve().parent / "locale"
#: The gettext domain of every catalogue.
DOMAIN = "messages"
#: The language the interface is written in: the msgids, needing no catalogue.
SOURCE_LANGUAGE = "en"


def catalogue_path(language: str) -> Path:
    """The ``.po`` file of ``language``'s catalogue."""
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def interface_languages() -> tuple[str, ...]:
    """The languages the interface is offered in: the source, then each catalogue's, sorted."""
    found = sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *(tag for tag in found if tag != SOURCE_LANGUAGE))


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """``language``'s catalogue, compiled from its ``.po`` on first use (once per process);
    the source language (or one without a catalogue) answers every msgid with itself."""
    path = catalogue_path(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt leaves them
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def interface_language(preferred: Sequence[str]) -> str:
    """Of the interface's languages, the one that best fits ``preferred`` (``?lang=``, else
    ``Accept-Language``, as :mod:`api.languages` matches them), else the source language."""
    offered = [Text("", tag) for tag in interface_languages()]
    chosen = pick(offered, preferred, SOURCE_LANGUAGE)
    return SOURCE_LANGUAGE if chosen is None or chosen.language is None else chosen.language


def native_name(language: str) -> str:
    """A language's name in itself, for the switch between interface languages."""
    return {"en": "English", "cy": "Cymraeg"}.get(language, language)


def gettext_in(language: str, message: str) -> str:
    """``message`` in ``language`` (itself when the catalogue lacks it)."""
    return translations(language).gettext(message)


def ngettext_in(language: str, singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in ``language``."""
    return translations(language).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark for extraction only")
    """Marks ``message`` for extraction where it is defined, translated where it is shown."""
    return message
