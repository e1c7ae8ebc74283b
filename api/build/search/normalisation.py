"""Normalisation: ``fold`` (the service's one case and accent folding, which search, the
annotator and the A-Z all use), the matching key of a text (folded, spacing collapsed) and
its words."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")
#: A ``str.translate`` table turning every ASCII character that ``\w`` does not match
#: into a space (a string: immutable, indexed by code point).
_ASCII_SEPARATORS = "".join(c if c.isalnum() or c == "_" else " " for c in map(chr, range(128)))


def normalise(text: str) -> str:
    """The matching key of a text: case-folded, accents stripped (NFKD), whitespace collapsed."""
    return " ".join(fold(text).split())


def fold(text: str) -> str:
    """``text`` case-folded (``str.casefold``) with accents stripped (NFKD, combining marks
    dropped), its spacing as it was (tokenising makes spacing moot): "DŴR", "dŵr",
    "dw" + U+0302 + "r" and "dwr" fold alike, "Straße" to "strasse", "ﬁ" to "fi"."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded


def label_key(label: str) -> str:
    """``normalise(label)``, sharing the label's string when they are equal (saves memory)."""
    normalised = normalise(label)
    return label if normalised == label else normalised


def words(key: str) -> list[str]:
    """The words (``\\w+``) of a normalised text; ASCII text takes a faster route."""
    return key.translate(_ASCII_SEPARATORS).split() if key.isascii() else _WORD.findall(key)
