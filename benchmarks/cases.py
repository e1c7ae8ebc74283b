"""The endpoints under load (issues 3, 4, 5 and 12), each in two forms, and their targets.

*Varied* (the headline, what users meet): requests cycle through 1,000 different concepts,
a mix of ``Accept-Language`` values, GraphQL variables and SPARQL labels, so caches keyed on
the request are mostly missed or, at best, hold the whole hot set. *Repeated*: the first of
those requests over and over, which every cache answers.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

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
#: What the varied forms send as ``Accept-Language``, in turn (``None``: no header): what a
#: mix of browsers and scripts sends, each a different cache key after parsing.
LANGUAGES = (None, "en", "en-GB,en;q=0.9", "fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")
#: Different concepts (and labels) the varied forms cycle through.
VARIETY = 1000

Form = Literal["varied", "repeated"]


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
class Call:
    """One HTTP request: method, path with query, extra headers and body."""

    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None

    @property
    def plain(self) -> bool:
        """A GET without headers: wrk sends it without a Lua script."""
        return self.method == "GET" and not self.headers and self.body is None


@dataclass(frozen=True)
class Case:
    """One endpoint under load: the requests it cycles through, what they answer, the target."""

    name: str
    label: str
    media_type: str
    calls: tuple[Call, ...]
    target: Target = Target()
    form: Form = "varied"
    #: Open connections, when not the run's (the SPARQL pool admits only so many queries).
    connections: int | None = None

    @property
    def first(self) -> Call:
        return self.calls[0]

    def repeated(self) -> Case:
        """The same case sending its first request every time; its target is information."""
        return replace(self, calls=self.calls[:1], form="repeated", target=Target())


@dataclass(frozen=True)
class Sample:
    """What the varied forms are made of, read from the running service."""

    ids: tuple[str, ...]
    labels: tuple[dict[str, str | None], ...]
    scheme: str
    #: The scheme's IRI: its FHIR code system's url.
    scheme_iri: str = ""


#: The yardstick, served by ``benchmarks/bare.py``.
BARE = Case("bare", "GET /bare", "application/json", (Call("/bare"),), form="repeated")
NAMES = (
    "concept", "ttl", "top", "narrower", "broader", "search", "graphql", "sparql",
    "jsonld", "graphql-get", "concepts", "reconcile", "skosmos-search", "skosmos-top",
    "fhir-lookup",
)  # fmt: skip
#: Queries in one reconciliation batch (OpenRefine's batch size).
RECONCILE_BATCH = 10
#: What the Skosmos cases send as ``lang``, in turn (``None``: none, the vocabulary's own).
SKOSMOS_LANGUAGES = (None, "en", "en-GB")
#: Concurrent SPARQL queries the service admits (2 workers x 4, ``api/sparql/pool.py``);
#: beyond that it answers 503 by design, so the target is measured within it.
SPARQL_CONNECTIONS = 8
SPARQL_ACCEPT = (("Accept", "application/sparql-results+json"),)


def languages(index: int) -> tuple[tuple[str, str], ...]:
    value = LANGUAGES[index % len(LANGUAGES)]
    return () if value is None else (("Accept-Language", value),)


def cases(sample: Sample) -> tuple[Case, ...]:
    """Every case in its varied form, in ``NAMES`` order; those without a target inform."""
    ids, n = sample.ids, len(sample.ids)

    def per_id(template: str) -> tuple[Call, ...]:
        return tuple(Call(template.format(id=i), headers=languages(k)) for k, i in enumerate(ids))

    graphql = tuple(
        Call("/graphql", "POST", (("Content-Type", "application/json"),),
             json.dumps({"query": GRAPHQL, "variables": {"id": i}}))
        for i in ids
    )  # fmt: skip
    graphql_get = tuple(
        Call(
            "/graphql?"
            + urllib.parse.urlencode({"query": GRAPHQL, "variables": json.dumps({"id": i})})
        )
        for i in ids
    )
    sparql = tuple(
        Call("/sparql?" + urllib.parse.urlencode({"query": SPARQL.format(label=literal(label))}),
             headers=SPARQL_ACCEPT)
        for label in sample.labels
    )  # fmt: skip
    searches = tuple(
        Call("/search?" + urllib.parse.urlencode({"q": prefix(label)}), headers=languages(k))
        for k, label in enumerate(sample.labels)
    )
    top = tuple(
        Call(f"/schemes/{sample.scheme}/top-concepts", headers=languages(k))
        for k in range(len(LANGUAGES))
    )
    pages = tuple(Call(f"/concepts?limit={10 + k % 11}", headers=languages(k)) for k in range(n))
    reconcile = tuple(
        Call("/reconcile", "POST", (("Content-Type", "application/x-www-form-urlencoded"),),
             urllib.parse.urlencode({"queries": reconciliation_batch(sample.labels, k)}))
        for k in range(len(sample.labels))
    )  # fmt: skip
    skosmos = f"/rest/v1/{sample.scheme}"
    skosmos_searches = tuple(
        Call(f"{skosmos}/search?" + urllib.parse.urlencode(skosmos_query(k, label)))
        for k, label in enumerate(sample.labels)
    )
    skosmos_tops = tuple(
        Call(f"{skosmos}/topConcepts" + (f"?lang={lang}" if lang else ""))
        for lang in SKOSMOS_LANGUAGES
    )
    fhir_lookups = tuple(
        Call("/fhir/CodeSystem/$lookup?"
             + urllib.parse.urlencode({"system": sample.scheme_iri, "code": i}),
             headers=languages(k))
        for k, i in enumerate(ids)
    )  # fmt: skip
    return (
        Case("concept", "GET /concepts/{id}", "application/json", per_id("/concepts/{id}"),
             Target(ratio=0.6)),
        Case("ttl", "GET /concepts/{id}.ttl", "text/turtle", per_id("/concepts/{id}.ttl"),
             Target(ratio=0.5)),
        Case("top", "GET /schemes/{id}/top-concepts", "application/json", top, Target(ratio=0.5)),
        Case("narrower", "GET /concepts/{id}/narrower", "application/json",
             per_id("/concepts/{id}/narrower"), Target(ratio=0.5)),
        Case("broader", "GET /concepts/{id}/broader", "application/json",
             per_id("/concepts/{id}/broader"), Target(ratio=0.5)),
        Case("search", "GET /search?q=(label prefix)", "application/json", searches,
             Target(ratio=0.4)),
        Case("graphql", "POST /graphql (10 fields)", "application/json", graphql,
             Target(ratio=0.3)),
        Case("sparql", f"GET /sparql SELECT by label ({SPARQL_CONNECTIONS} conns)",
             "application/sparql-results+json", sparql, Target(ratio=0.25),
             connections=SPARQL_CONNECTIONS),
        Case("jsonld", "GET /concepts/{id}.jsonld", "application/ld+json",
             per_id("/concepts/{id}.jsonld")),
        Case("graphql-get", "GET /graphql?query=", "application/json", graphql_get),
        Case("concepts", "GET /concepts?limit=N", "application/json", pages),
        Case("reconcile", f"POST /reconcile ({RECONCILE_BATCH} queries)", "application/json",
             reconcile, Target(ratio=0.3)),
        Case("skosmos-search", "GET /rest/v1/{vocid}/search?query=(label prefix)*",
             "application/json", skosmos_searches, Target(ratio=0.3)),
        Case("skosmos-top", "GET /rest/v1/{vocid}/topConcepts", "application/json",
             skosmos_tops, Target(ratio=0.3)),
        Case("fhir-lookup", "GET /fhir/CodeSystem/$lookup?system=&code=",
             "application/fhir+json", fhir_lookups, Target(ratio=0.3)),
    )  # fmt: skip


def both_forms(chosen: Sequence[Case]) -> list[Case]:
    """Each case varied, then repeated: the varied form is the headline."""
    return [form for case in chosen for form in (case, case.repeated())]


def skosmos_query(index: int, label: dict[str, str | None]) -> dict[str, str]:
    """What Skosmos's autocomplete sends: the prefix typed so far and ``*``, one hit per
    concept, ten at most, in one of :data:`SKOSMOS_LANGUAGES` in turn."""
    query = {"query": prefix(label) + "*", "unique": "true", "maxhits": "10"}
    lang = SKOSMOS_LANGUAGES[index % len(SKOSMOS_LANGUAGES)]
    return {**query, "lang": lang} if lang else query


def reconciliation_batch(labels: Sequence[dict[str, str | None]], start: int) -> str:
    """``RECONCILE_BATCH`` queries from ``start`` on, as a spreadsheet column holds them: a
    label as it is, lower-cased, without its hyphens, or with a word added."""
    queries = {}
    for k in range(RECONCILE_BATCH):
        value = labels[(start + k) % len(labels)]["value"] or ""
        spelled = (value, value.lower(), value.replace("-", ""), f"{value} project")[k % 4]
        queries[f"q{k}"] = {"query": spelled}
    return json.dumps(queries)


def literal(label: dict[str, str | None]) -> str:
    """A JSON ``{value, language}`` label as a SPARQL literal."""
    suffix = f"@{label['language']}" if label.get("language") else ""
    return json.dumps(label["value"], ensure_ascii=False) + suffix


def prefix(label: dict[str, str | None]) -> str:
    """What someone typing the label has typed so far: all but its last few characters."""
    value = label["value"] or ""
    return value[: max(2, len(value) - 2)]
