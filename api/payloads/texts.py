"""Texts on the wire: projecting a ``Text``, and choosing texts in the client's languages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from api.languages import filter_language, pick
from api.model import Text
from api.payloads.models import LanguageText
from api.runtime.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class Languages:
    """The client's preferred language tags (best first) and the scheme's default."""

    preferred: tuple[str, ...]
    default: str

    def pick(self, texts: Sequence[Text]) -> LanguageText | None:
        chosen = pick(texts, self.preferred, self.default)
        return None if chosen is None else text(chosen)

    def filter(self, texts: Sequence[Text]) -> list[LanguageText]:
        return texts_of(filter_language(texts, self.preferred, self.default))


def text(value: Text) -> LanguageText:
    return LanguageText(value=value.value, language=value.language)


def texts_of(values: Iterable[Text]) -> list[LanguageText]:
    return [text(value) for value in values]


def languages_for(
    snapshot: Snapshot, preferred: tuple[str, ...], schemes: Sequence[str]
) -> Languages:
    """The preference for a resource: the client's tags, then its first scheme's default."""
    index = snapshot.index
    for scheme_id in schemes:
        scheme = index.schemes.get(scheme_id)
        if scheme is not None:
            return Languages(preferred, scheme.default_language)
    return Languages(preferred, index.default_language)
