"""Reconciliation answers on the wire: candidates and suggestions as the specification's JSON
objects, written to bytes once so that they can be kept and joined into batch answers.

A batch answer is made of one JSON list per query (:func:`results` or :func:`candidates`),
joined under the client's keys (:func:`keyed`) or in order (:func:`listed`); the lists are
what the snapshot keeps per query (``answers``), so a batch is written without encoding again
what an earlier batch encoded. Pure: records and languages in, bytes out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from api.build.index import Index
from api.languages import pick
from api.model import Concept
from api.protocols.reconciliation.batch import CONCEPT_TYPE
from api.protocols.reconciliation.matching import Candidate


@dataclass(frozen=True, slots=True)
class Answer:
    """A whole answer as sent: its bytes, and whether they are a JSONP script."""

    body: bytes
    script: bool = False


def encoded(value: object) -> bytes:
    """``value`` as compact UTF-8 JSON (what every reconciliation answer is written as)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def called(body: bytes, callback: str | None) -> Answer:
    """JSON ``body`` as it is, or as a JSONP call of ``callback`` (a checked name); the
    comment keeps the first bytes from being read as anything but script."""
    if callback is None:
        return Answer(body)
    return Answer(b"/**/" + callback.encode() + b"(" + body + b");", script=True)


# Whole answers, joined from each query's list -----------------------------------------------


def keyed(keys: Iterable[str], lists: Iterable[bytes]) -> bytes:
    """The 0.2 answer: ``{"<key>": {"result": [...]}, ...}``, keys as the client sent them."""
    # The keys were read from JSON and checked for lone surrogates (``batch``): written back
    # as json.dumps writes them, by the same C function, without its set-up per call.
    entries = (
        encode_basestring(key).encode() + b':{"result":' + found + b"}"
        for key, found in zip(keys, lists, strict=True)
    )
    return b"{" + b",".join(entries) + b"}"


def listed(lists: Iterable[bytes]) -> bytes:
    """The 1.0 draft's answer: ``{"results": [{"candidates": [...]}, ...]}``, in order."""
    return b'{"results":[' + b",".join(b'{"candidates":' + c + b"}" for c in lists) + b"]}"


def single(found: bytes) -> bytes:
    """The 0.1 answer to one ``query=``: ``{"result": [...]}``."""
    return b'{"result":' + found + b"}"


# One query's candidates ------------------------------------------------------------------


def results(index: Index, found: Sequence[Candidate], langs: tuple[str, ...]) -> bytes:
    """The 0.2 ``result`` list of one query."""
    return encoded([result(index, c, langs) for c in found])


def candidates(index: Index, found: Sequence[Candidate], langs: tuple[str, ...]) -> bytes:
    """The 1.0 draft's ``candidates`` list of one query."""
    return encoded([draft(index, c, langs) for c in found])


def types_of(index: Index, concept: Concept, langs: tuple[str, ...]) -> list[dict[str, str]]:
    found = [{"id": CONCEPT_TYPE, "name": "Concept"}]
    for scheme_id in concept.schemes:
        scheme = index.schemes.get(scheme_id)
        if scheme is not None:
            title = pick(scheme.titles, langs, scheme.default_language)
            found.append({"id": scheme.iri, "name": title.value if title else scheme.id})
    return found


def description(index: Index, concept: Concept, langs: tuple[str, ...]) -> str | None:
    found = pick(concept.definitions, langs, index.language(concept))
    return None if found is None else found.value


def result(index: Index, candidate: Candidate, langs: tuple[str, ...]) -> dict[str, Any]:
    """A 0.2 candidate: id, name (the preferred label), description, score, match, type."""
    concept = candidate.concept
    found = {
        "id": concept.id,
        "name": index.label(concept.id, langs).value,
        "score": candidate.score,
        "match": candidate.match,
        "type": types_of(index, concept, langs),
    }
    text = description(index, concept, langs)
    return found if text is None else {**found, "description": text}


def draft(index: Index, candidate: Candidate, langs: tuple[str, ...]) -> dict[str, Any]:
    """A 1.0 draft candidate: as 0.2, but ``name`` is a list of language-tagged strings."""
    label = index.label(candidate.concept.id, langs)
    name = {"str": label.value}
    if label.language is not None:
        name["lang"] = label.language
    return {**result(index, candidate, langs), "name": [name]}


def suggestion(index: Index, concept_id: str, langs: tuple[str, ...]) -> dict[str, Any]:
    """A suggest service's entity: id, name, ``notable`` types and description (0.2 §6)."""
    concept = index.concepts[concept_id]
    found = {
        "id": concept_id,
        "name": index.label(concept_id, langs).value,
        "notable": types_of(index, concept, langs),
    }
    text = description(index, concept, langs)
    return found if text is None else {**found, "description": text}
