"""Normalisation: ``fold`` (the service's one case and accent folding, which search, the
annotator and the A-Z all use), the matching key of a text (folded, spacing collapsed), its
words, and its *joined* form (separators dropped), in which "co-production", "co production"
and "coproduction", or "citizens' assembly" and "citizen\u2019s assembly", are one; and the
English plural-folded key of a text (``plural_key``: Harman's S-stemmer on each word)."""

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


#: Hyphens (ASCII, soft, U+2010, non-breaking U+2011) and apostrophes (ASCII, curly, the
#: modifier letter U+02BC) in their typed forms, each with the one form a joined key keeps.
_HYPHENS = dict.fromkeys("-\u00ad\u2010\u2011", "-")
_APOSTROPHES = dict.fromkeys("'\u2018\u2019\u02bc", "'")
#: What a joined key leaves out: spaces (a key's only white space), hyphens, apostrophes and
#: double quotes (how people type compounds and possessives varies; the letters do not).
SEPARATORS = frozenset(" " + "".join(_HYPHENS) + "".join(_APOSTROPHES) + '"\u201c\u201d\u201e')
#: The separators beyond ASCII (a regular expression: several times faster than a deleting
#: ``str.translate`` on the short strings compared while bisecting).
_OTHER_SEPARATORS = re.compile(
    "[" + "".join(c for c in sorted(SEPARATORS) if not c.isascii()) + "]"
)


def joined(key: str) -> str:
    """``key`` (a folded key or token) without its separators (``SEPARATORS``), so spellings
    that differ only in hyphens, spaces, apostrophes or quotes agree: "co-production",
    "co production" and "coproduction" are all "coproduction". A leading hyphen or apostrophe
    stays, in one form ("'s-hertogenbosch" becomes "'shertogenbosch"): there it is part of
    the word, not a join. Language-neutral: only punctuation is dropped, never letters."""
    if key.isascii():  # the usual case, made fast: str.replace beats a deleting translate
        if key[:1] in ("-", "'"):
            return key[0] + _ascii_dropped(key[1:])
        return _ascii_dropped(key)
    leading = _HYPHENS.get(key[:1]) or _APOSTROPHES.get(key[:1])
    return leading + without_separators(key[1:]) if leading else without_separators(key)


def without_separators(text: str) -> str:
    """``text`` without its separators, a leading one too."""
    dropped = _ascii_dropped(text)
    return dropped if dropped.isascii() else _OTHER_SEPARATORS.sub("", dropped)


def _ascii_dropped(text: str) -> str:
    return text.replace(" ", "").replace("-", "").replace("'", "").replace('"', "")


def joins(key: str) -> frozenset[int]:
    """Where ``key`` had separators: positions in ``joined(key)`` at which one was dropped
    ("co-production": {2}; "citizens' assembly": {8}). A label may be written solid, with a
    hyphen or with a space at these places; elsewhere a space in a text splits two words."""
    found: set[int] = set()
    position = 0
    for index, char in enumerate(key):
        if char in SEPARATORS and not (index == 0 and (char in _HYPHENS or char in _APOSTROPHES)):
            found.add(position)
        else:
            position += 1
    return frozenset(found)


def label_key(label: str) -> str:
    """``normalise(label)``, sharing the label's string when they are equal (saves memory)."""
    normalised = normalise(label)
    return label if normalised == label else normalised


def words(key: str) -> list[str]:
    """The words (``\\w+``) of a normalised text; ASCII text takes a faster route."""
    return key.translate(_ASCII_SEPARATORS).split() if key.isascii() else _WORD.findall(key)


# --- English plurals (issue 13) -------------------------------------------------------
# Harman's S-stemmer (1991), the most conservative published English plural folding: one
# rule per word, the first that applies. Only for labels tagged English and English text
# (``is_english``): in other languages "-s" is no plural ("Haus", "français").

#: Apostrophes, hyphens and double quotes in their typed forms, each as its one ASCII form.
_ONE_FORM = str.maketrans({**_HYPHENS, **_APOSTROPHES, **dict.fromkeys("\u201c\u201d\u201e", '"')})
#: An English possessive's apostrophe: before a final "s" ("citizen's") or after one
#: ("citizens'"). Any other apostrophe stays, so the French "d'une" is never "dune".
_POSSESSIVE = re.compile(r"'(?=s\b)|(?<=s)'(?!\w)")


def singular(word: str) -> str:
    """Harman's S-stemmer on one folded word: "ies" -> "y" unless "eies"/"aies"
    ("assemblies" -> "assembly"), else "es" -> "e" unless "aes"/"ees"/"oes"
    ("classes" -> "classe"), else "s" -> "" unless "us"/"ss" ("citizens" -> "citizen";
    "bus", "class", "census" stay). Words of three letters or fewer ("gas", "its", "has")
    and words with a digit or "_" ("1990s") stay as they are. "news" becomes "new": the
    rule knows no exceptions, which is why a folded match ranks below the exact ones."""
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


def spelt_as_words(key: str) -> str:
    """A folded key with its words apart: possessive apostrophes dropped ("citizen's" and
    "citizens'" are "citizens"), hyphens and double quotes as spaces, spacing collapsed.
    Other punctuation stays ("c++" is not "c")."""
    if not key.isascii():
        key = key.translate(_ONE_FORM)
    if "'" in key:
        key = _POSSESSIVE.sub("", key)
    return " ".join(key.replace("-", " ").replace('"', " ").split())


def plural_key(key: str) -> str:
    """The English plural-folded key of a folded key: ``spelt_as_words`` with every word
    made ``singular``, so "citizens' assembly", "citizen's assemblies" and "citizens
    assemblies" are all "citizen assembly"."""
    return _WORD.sub(_singular_match, spelt_as_words(key))


def _singular_match(match: re.Match[str]) -> str:
    return singular(match[0])


def is_english(tag: str | None) -> bool:
    """Whether a language tag is English (``en`` or ``en-*``, any case); untagged is not."""
    return tag is not None and (tag[:2].lower() == "en" and tag[2:3] in ("", "-"))
