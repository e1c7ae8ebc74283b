"""The endpoints under load (issues 3, 4 and 5) and the targets each must reach."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass

#: Ten fields of one concept, with the labels of its broader and narrower concepts.
GRAPHQL = (
    "query One($id: ID!) { concept(id: $id) { id iri prefLabel altLabels definition"
    " scopeNotes examples notation broader { id prefLabel } narrower { id prefLabel } } }"
)
#: A simple SELECT by label; ``{label}`` is a SPARQL literal such as ``"consultation"@en``.
SPARQL = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?concept WHERE {{ ?concept skos:prefLabel {label} }}"
)


@dataclass(frozen=True)
class Target:
    """What a case must reach: a share of the bare endpoint's rate, or a rate."""

    ratio: float | None = None
    rate: float | None = None

    def met(self, rate: float, ratio: float) -> bool:
        return (self.ratio is None or ratio >= self.ratio) and (
            self.rate is None or rate >= self.rate
        )

    def __str__(self) -> str:
        return f">= {self.ratio}x" if self.ratio else f">= {self.rate:g}/s" if self.rate else "-"


@dataclass(frozen=True)
class Case:
    """One endpoint under load: how to request it, what it answers, what it must reach."""

    name: str
    label: str
    path: str
    media_type: str
    target: Target = Target()
    method: str = "GET"
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    #: Open connections, when not the run's (the SPARQL pool admits only so many queries).
    connections: int | None = None


#: The yardstick, served by ``benchmarks/bare.py``.
BARE = Case("bare", "GET /bare", "/bare", "application/json")
NAMES = (
    "concept", "ttl", "jsonld", "graphql", "graphql-get", "sparql", "sparql-busy", "search",
    "concepts",
)  # fmt: skip
#: Concurrent SPARQL queries the service admits (2 workers x 4, ``api/sparql/pool.py``);
#: beyond that it answers 503 by design, so the target is measured within it.
SPARQL_CONNECTIONS = 8


def cases(concept: str, graphql_concept: str, label: str) -> tuple[Case, ...]:
    """Every case, in ``NAMES`` order; those without a target are for information."""
    variables = {"id": graphql_concept}
    graphql_body = json.dumps({"query": GRAPHQL, "variables": variables})
    graphql_get = urllib.parse.urlencode({"query": GRAPHQL, "variables": json.dumps(variables)})
    sparql = urllib.parse.urlencode({"query": SPARQL.format(label=label)})
    return (
        Case("concept", "GET /concepts/{id}", f"/concepts/{concept}", "application/json",
             Target(ratio=0.6)),
        Case("ttl", "GET /concepts/{id}.ttl", f"/concepts/{concept}.ttl", "text/turtle",
             Target(ratio=0.5)),
        Case("jsonld", "GET /concepts/{id}.jsonld", f"/concepts/{concept}.jsonld",
             "application/ld+json", Target(ratio=0.5)),
        Case("graphql", "POST /graphql (10 fields)", "/graphql", "application/json",
             Target(ratio=0.3), method="POST", body=graphql_body),
        Case("graphql-get", "GET /graphql?query=", f"/graphql?{graphql_get}", "application/json"),
        Case("sparql", f"GET /sparql SELECT by label ({SPARQL_CONNECTIONS} conns)",
             f"/sparql?{sparql}", "application/sparql-results+json", Target(rate=500),
             headers=(("Accept", "application/sparql-results+json"),),
             connections=SPARQL_CONNECTIONS),
        Case("sparql-busy", "GET /sparql SELECT by label (all conns)", f"/sparql?{sparql}",
             "application/sparql-results+json",
             headers=(("Accept", "application/sparql-results+json"),)),
        Case("search", "GET /search?q=co", "/search?q=co", "application/json"),
        Case("concepts", "GET /concepts?limit=20", "/concepts?limit=20", "application/json"),
    )  # fmt: skip


def sparql_literal(label: dict[str, str | None]) -> str:
    """A JSON ``{value, language}`` label as a SPARQL literal."""
    suffix = f"@{label['language']}" if label.get("language") else ""
    return json.dumps(label["value"], ensure_ascii=False) + suffix
