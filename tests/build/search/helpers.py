"""Tiny search indexes over hand-made concepts, ranked as the read model ranks them."""

from __future__ import annotations

from collections.abc import Sequence

from api.build.search import SearchIndex, build_search, normalise
from api.model import Concept, LabelMatch, Text


def concept(
    id: str,
    pref: str | Sequence[Text],
    *,
    alt: Sequence[str] = (),
    hidden: Sequence[str] = (),
    definition: str | None = None,
    scheme: str = "s1",
) -> Concept:
    pref_labels = (Text(pref, "en"),) if isinstance(pref, str) else tuple(pref)
    return Concept(
        id=id,
        iri=f"http://example.org/{id}",
        schemes=(scheme,),
        pref_labels=pref_labels,
        alt_labels=tuple(Text(label, "en") for label in alt),
        hidden_labels=tuple(Text(label, "en") for label in hidden),
        definitions=(Text(definition, "en"),) if definition else (),
    )


def index_of(*concepts: Concept) -> SearchIndex:
    """A search index over ``concepts``, ranked as the index ranks them (by label)."""
    ranked = sorted(concepts, key=lambda c: (normalise(c.pref_labels[0].value), c.id))
    return build_search(ranked, ["en"] * len(ranked))


def hits(matches: Sequence[LabelMatch]) -> list[tuple[str, str]]:
    return [(match.concept, match.match) for match in matches]
