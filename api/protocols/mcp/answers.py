"""What the MCP tools and resources answer, as JSON-ready dicts: pure projections of one
snapshot's read model (and its annotator). Every answer names the vocabulary's version so an
assistant can cite it, and every concept its IRI. Nothing here knows about MCP or HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from api import __version__
from api.build import annotator
from api.languages import pick
from api.model import Concept, Distinction, Source, Text
from api.pages.presenters import find_spectrum
from api.runtime.serving import Pinned
from api.runtime.snapshot import Snapshot

Answer = dict[str, Any]


class NotFoundError(LookupError):
    """The question names nothing in the vocabulary; the message says what was asked."""


@dataclass(frozen=True, slots=True)
class Asked(Pinned):
    """The snapshot a question is answered from (pinned for the whole answer) and the
    languages the answer prefers (``()``: each scheme's default)."""

    langs: tuple[str, ...] = ()

    def text(self, texts: Sequence[Text], concept: Concept) -> str | None:
        found = pick(texts, self.langs, self.index.language(concept))
        return None if found is None else found.value

    def label(self, concept_id: str) -> str:
        return self.index.label(concept_id, self.langs).value


def version(snapshot: Snapshot) -> Answer:
    """What to cite: each scheme's title, IRI and version, the digest of the files (as
    ``/health`` gives it) and when they were loaded."""
    schemes = []
    for scheme in snapshot.index.schemes.values():
        title = pick(scheme.titles, (), scheme.default_language)
        name = title.value if title else scheme.id
        schemes.append({"iri": scheme.iri, "title": name, "version": scheme.version})
    return {
        "schemes": schemes,
        "digest": snapshot.digest,
        "loaded_at": snapshot.loaded_at.isoformat(),
        "service_version": __version__,
    }


def cited(asked: Asked, answer: Answer) -> Answer:
    """``answer`` with the vocabulary version it came from."""
    return {**answer, "vocabulary": version(asked.snapshot)}


def reference(asked: Asked, concept_id: str) -> Answer:
    """A concept named: id, IRI and preferred label."""
    concept = asked.index.concepts[concept_id]
    found: Answer = {"id": concept.id, "iri": concept.iri, "label": asked.label(concept.id)}
    if concept.deprecated:
        found["deprecated"] = True
    return found


def resolve(asked: Asked, term: str) -> tuple[Concept, str]:
    """The concept ``term`` names and how it was found: its id or IRI, an exact label
    (preferred, alternative or hidden), else the best search hit."""
    index = asked.index
    found = index.concept(term) or index.concept_by_iri(term)
    if found is not None:
        return found, "identifier"
    exact = index.lookup(term)
    if exact:
        return index.concepts[exact[0].concept], exact[0].label_type
    hits = index.search(term, limit=1)
    if hits:
        return index.concepts[hits[0].concept], f"search ({hits[0].match})"
    raise NotFoundError(f"The vocabulary has no concept for '{term}'.")


def sources(found: Sequence[Source]) -> list[Answer]:
    return [{k: v for k, v in (("iri", s.iri), ("citation", s.citation)) if v} for s in found]


def distinction(asked: Asked, concept: Concept, item: Distinction) -> Answer:
    """One "it's not X because ..." statement, said in full either way round."""
    this, other = asked.label(concept.id), asked.label(item.other)
    subject, target = (this, other) if item.direction == "outgoing" else (other, this)
    reason = asked.text(item.reason, concept) or ""
    found: Answer = {
        "statement": f"{subject} is not {target}: {reason}"
        if reason
        else f"{subject} is not {target}",
        "is": subject,
        "is_not": target,
        "reason": reason,
        "other": reference(asked, item.other),
    }
    verbatim = asked.text(item.statement, concept)
    return {**found, "verbatim": verbatim} if verbatim else found


def define(asked: Asked, term: str) -> Answer:
    """A concept's definition, where it comes from, and what it is not."""
    concept, matched = resolve(asked, term)
    found = {
        "concept": reference(asked, concept.id),
        "matched_by": matched,
        "definition": asked.text(concept.definitions, concept),
        "alternative_labels": [t.value for t in concept.alt_labels],
        "sources": sources(concept.sources),
        "is_not": [distinction(asked, concept, d) for d in concept.distinctions
                   if d.direction == "outgoing"],
        "distinguished_from_it": [distinction(asked, concept, d) for d in concept.distinctions
                                  if d.direction == "incoming"],
        "broader": [reference(asked, i) for i in concept.broader if i in asked.index.concepts],
        "recognition_criteria": [t.value for t in concept.criteria],
        "statements": [t.value for t in concept.stances],
    }  # fmt: skip
    return cited(asked, found)


def lookup(asked: Asked, label: str) -> Answer:
    """The concepts with exactly this label (case and accents aside)."""
    matches = asked.index.lookup(label)
    if not matches:
        raise NotFoundError(f"No concept has the label '{label}'.")
    items = [
        {**reference(asked, m.concept), "matched_label": m.label.value, "label_type": m.label_type}
        for m in matches
    ]
    return cited(asked, {"label": label, "concepts": items})


def search(asked: Asked, query: str, limit: int) -> Answer:
    """Ranked matches, best first."""
    hits = asked.index.search(query, limit=limit)
    items = [
        {**reference(asked, h.concept), "matched_label": h.label.value, "match": h.match}
        for h in hits
    ]
    return cited(asked, {"query": query, "concepts": items})


def compare(asked: Asked, first: str, second: str) -> Answer:
    """Two concepts side by side: definitions, the distinctions between them both ways, and
    how the hierarchy relates them."""
    a, _ = resolve(asked, first)
    b, _ = resolve(asked, second)
    between = [d for d in a.distinctions if d.other == b.id]
    return cited(
        asked,
        {
            "first": side(asked, a),
            "second": side(asked, b),
            "first_is_not_second": [distinction(asked, a, d) for d in between
                                    if d.direction == "outgoing"],
            "second_is_not_first": [distinction(asked, a, d) for d in between
                                    if d.direction == "incoming"],
            "relations": relations(asked, a, b),
        },
    )  # fmt: skip


def side(asked: Asked, concept: Concept) -> Answer:
    """One of two concepts compared: its definition and broader concepts (where each sits)."""
    return {
        **reference(asked, concept.id),
        "definition": asked.text(concept.definitions, concept),
        "broader": [reference(asked, i) for i in concept.broader if i in asked.index.concepts],
    }


def relations(asked: Asked, a: Concept, b: Concept) -> list[str]:
    """What the hierarchy and SKOS links say of the two, as sentences."""
    index, found = asked.index, []
    first, second = asked.label(a.id), asked.label(b.id)
    if b.id in index.broader_transitive(a.id):
        found.append(f"{first} is narrower than {second}")
    if a.id in index.broader_transitive(b.id):
        found.append(f"{second} is narrower than {first}")
    if b.id in a.related or a.id in b.related:
        found.append(f"{first} and {second} are related")
    if b.id in a.broader_partitive:
        found.append(f"{first} is a part of {second}")
    if a.id in b.broader_partitive:
        found.append(f"{second} is a part of {first}")
    return found


def spectrum(asked: Asked) -> Answer:
    """The ordered collection that reads as a spectrum (as the home page finds it), in order,
    each member with its statements; says so when the vocabulary has none."""
    found = find_spectrum(asked.index)
    if found is None:
        return cited(asked, {"spectrum": None, "message": "This vocabulary has no ordered "
                             "collection, so it states no spectrum."})  # fmt: skip
    collection = asked.index.collections[found.collection]
    bands = [
        {
            "band": None if band.concept is None else reference(asked, band.concept),
            "members": [member(asked, i) for i in band.members],
        }
        for band in found.bands
    ]
    name = pick(collection.labels, asked.langs, asked.index.default_language)
    return cited(
        asked,
        {
            "spectrum": {"iri": collection.iri, "label": name.value if name else collection.id},
            "bands": bands,
        },
    )


def member(asked: Asked, concept_id: str) -> Answer:
    concept = asked.index.concepts[concept_id]
    return {
        **reference(asked, concept_id),
        "definition": asked.text(concept.definitions, concept),
        "statements": [t.value for t in concept.stances],
    }


def annotate(asked: Asked, text: str, lang: str | None, cap: int) -> Answer:
    """The concept labels in ``text``, at most ``cap`` of them, in text order."""
    found = annotator.annotate(asked.serving.annotator, text, lang, None, cap + 1)
    items = [
        {"start": o.start, "end": o.end, "text": o.text, "concept": reference(asked, o.concept)}
        for o in found[:cap]
    ]
    return cited(asked, {"occurrences": items, "truncated": len(found) > cap})


def concept_resource(asked: Asked, concept: Concept) -> Answer:
    """A concept as a resource: what ``define`` says, read by IRI."""
    return define(asked, concept.iri)
