"""The ids that name resources in URLs (``/concepts/{id}``), made so that a concept's id
depends only on its own IRI and its own vocabulary, never on what else is loaded.

An id is the IRI's *local name* (after its last ``/`` or ``#``; one trailing ``/`` or ``#``
is ignored) when that is made only of the characters RFC 3986 §2.3 leaves unreserved
(``A-Za-z0-9._~-``: ``78.89227`` and ``mt7.05`` keep their dots) and is unique within its
group; otherwise it is those characters of the local name, ``-`` and 8 hex digits of the
SHA-256 of the IRI. A concept's group is its own vocabulary: its first scheme by IRI, or,
in no scheme, its IRI's namespace. When concepts of different groups still share an id,
each gets the qualified id ``<qualifier>~<id>`` (the qualifier: its first scheme's id, or
a name for its namespace) and the bare id is kept as an ambiguous alias. Schemes and
collections have one group each: all the schemes, all the collections; each also answers to
its hashed form whatever else is loaded, and a local name that several share is ambiguous
(``Aliases``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

#: Characters a path segment may hold unescaped (RFC 3986 §2.3).
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")
_RESERVED = re.compile(r"[^A-Za-z0-9._~-]")
#: Between a qualifier and an id: unreserved, so that a qualified id is one path segment.
QUALIFIER = "~"


def local_name(iri: str) -> str:
    """The part of ``iri`` after its last ``/`` or ``#``, one trailing ``/`` or ``#`` ignored."""
    trimmed = iri[:-1] if iri.endswith(("/", "#")) else iri
    return trimmed[max(trimmed.rfind("/"), trimmed.rfind("#")) + 1 :]


def namespace(iri: str) -> str:
    """``iri`` without its local name (and without the trailing ``/`` or ``#`` ignored)."""
    trimmed = iri[:-1] if iri.endswith(("/", "#")) else iri
    return trimmed[: max(trimmed.rfind("/"), trimmed.rfind("#")) + 1]


def is_plain(name: str) -> bool:
    """Whether ``name`` can be an id as it is: unreserved characters, not a dot segment."""
    return bool(_UNRESERVED.fullmatch(name)) and name not in (".", "..")


def hashed(iri: str, name: str) -> str:
    """``name``'s unreserved characters, ``-`` and 8 hex digits of the SHA-256 of ``iri``."""
    digest = hashlib.sha256(iri.encode()).hexdigest()[:8]
    clean = _RESERVED.sub("", name)
    return f"{clean}-{digest}" if clean and clean not in (".", "..") else digest


def mint_ids(iris: Iterable[str], group: Callable[[str], str] | None = None) -> dict[str, str]:
    """Ids for resources of one kind: the local name when it is plain and unique within its
    ``group`` (one group for all when ``None``), else ``hashed``."""
    names = {iri: local_name(iri) for iri in iris}
    key = group or (lambda iri: "")
    counts = Counter((key(iri), name) for iri, name in names.items())
    return {
        iri: name if counts[key(iri), name] == 1 and is_plain(name) else hashed(iri, name)
        for iri, name in names.items()
    }


@dataclass(frozen=True, slots=True)
class Aliases:
    """Other names of the schemes (or the collections): each one's hashed form -> its id,
    whether or not its id is hashed, so that a link made with it survives any co-loading;
    each plain local name that several share, and so names none -> their ids, sorted."""

    hashed: Mapping[str, str]
    ambiguous: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, ids: Mapping[str, str]) -> Aliases:
        """The aliases of resources whose ``ids`` (IRI -> id) ``mint_ids`` made."""
        shared: defaultdict[str, list[str]] = defaultdict(list)
        for iri, found in ids.items():
            shared[local_name(iri)].append(found)
        taken = set(ids.values())
        return cls(
            MappingProxyType({hashed(iri, local_name(iri)): found for iri, found in ids.items()}),
            MappingProxyType(
                {
                    name: tuple(sorted(found))
                    for name, found in shared.items()
                    if len(found) > 1 and is_plain(name) and name not in taken
                }
            ),
        )


NO_ALIASES = Aliases(MappingProxyType({}), MappingProxyType({}))


def namespace_key(iri: str) -> str:
    """The qualifier of a concept in no scheme: its namespace's own id."""
    space = namespace(iri)
    name = local_name(space)
    return name if is_plain(name) else hashed(space, name)


@dataclass(frozen=True, slots=True)
class ConceptIds:
    """Concept IRI -> id, and each bare id that names concepts of several vocabularies ->
    their (qualified) ids, sorted."""

    ids: dict[str, str]
    ambiguous: dict[str, tuple[str, ...]]


def concept_ids(concepts: Iterable[str], first_schemes: Mapping[str, str]) -> ConceptIds:
    """Ids of ``concepts``; ``first_schemes``: concept IRI -> the id of its first scheme by
    IRI (a concept missing from it is in no scheme, and grouped by its namespace)."""

    def group(iri: str) -> str:
        scheme = first_schemes.get(iri)
        return "scheme " + scheme if scheme is not None else "namespace " + namespace(iri)

    ids = mint_ids(concepts, group)
    counts = Counter(ids.values())
    ambiguous: defaultdict[str, list[str]] = defaultdict(list)
    for iri, bare in ids.items():
        if counts[bare] > 1:
            qualifier = first_schemes.get(iri) or namespace_key(iri)
            ids[iri] = f"{qualifier}{QUALIFIER}{bare}"
            ambiguous[bare].append(iri)
    _unclash(ids, first_schemes)
    return ConceptIds(
        ids, {bare: tuple(sorted(ids[i] for i in iris)) for bare, iris in ambiguous.items()}
    )


def _unclash(ids: dict[str, str], first_schemes: Mapping[str, str]) -> None:
    """Hash what is still shared (two schemes with the same id, a local name that looks
    qualified): rare, and still decided by each concept's own IRI and scheme."""
    counts = Counter(ids.values())
    for iri, found in ids.items():
        if counts[found] > 1:
            qualifier = first_schemes.get(iri) or namespace_key(iri)
            ids[iri] = f"{qualifier}{QUALIFIER}{hashed(iri, local_name(iri))}"
