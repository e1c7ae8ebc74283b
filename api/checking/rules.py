"""The rules, each a function from the collected facts to its findings (label rules,
hierarchy rules, mapping rules, and our profile's structural rules), the rule table, and
running it over a store or collected facts into ``Violation`` reports. Rule ids ``S9`` ...
``S46`` are the integrity conditions of the SKOS Reference
(https://www.w3.org/TR/skos-reference/); the others are this service's profile."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Final, Literal

from pyoxigraph import Store

from api.build.positions import in_language, literal
from api.build.records import DefaultLanguages, read_default_languages
from api.build.triples import Triples
from api.checking.facts import (
    BROADER,
    COLLECTIONS,
    CONCEPT,
    DEPRECATED,
    EXACT_MATCH,
    HAS_TOP_CONCEPT,
    IN_SCHEME,
    INVERSES,
    LABELS,
    MAPPINGS,
    MEMBER_LIST,
    NARROWER,
    NOT_EXACT,
    PREF_LABEL,
    RELATED,
    SCHEME,
    TARGETS,
    Facts,
    Finding,
    LabelValue,
    ancestors,
    collect,
    curie,
    cycle_through,
    label_of,
    strongly_connected,
)
from api.namespaces import RDF_FIRST, RDF_NIL, RDF_REST, SKOS

Severity = Literal["violation", "warning"]


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule on one resource (``term``, an IRI or ``_:`` blank node id)."""

    term: str
    label: str | None
    rule: str
    message: str
    severity: Severity = "violation"


# --- Labels ---------------------------------------------------------------------------


def label_form(facts: Facts) -> Iterator[Finding]:
    """Labels are non-empty, language-tagged and without stray white space."""
    yield from facts.label_errors
    for subject, values in facts.labels.items():
        for prop, value, language in values:
            yield from _label_problems(subject, curie(prop), value, language)


def _label_problems(subject: str, prop: str, value: str, language: str | None) -> Iterator[Finding]:
    if not value.strip():
        yield subject, "label-empty", f"{prop} is empty"
    elif " ".join(value.split()) != value:
        yield subject, "label-spaces", f"{prop} {quote(value)} has stray spaces, tabs or newlines"
    if language is None:
        yield subject, "label-language", f"{prop} {quote(value)} has no language tag"


def s13_disjoint_labels(facts: Facts) -> Iterator[Finding]:
    """S13: prefLabel, altLabel and hiddenLabel are pairwise disjoint."""
    for subject, values in facts.labels.items():
        seen: dict[tuple[str, str | None], str] = {}
        for prop, value, language in sorted(values, key=_label_order):
            first = seen.setdefault((value, language), prop)
            if first != prop:
                text = _literal(value, language)
                yield subject, "S13", f"{text} is both {curie(first)} and {curie(prop)}"


def s14_one_pref_label(facts: Facts) -> Iterator[Finding]:
    """S14: at most one skos:prefLabel per language tag."""
    for subject, values in facts.labels.items():
        by_language: defaultdict[str | None, list[str]] = defaultdict(list)
        for prop, value, language in values:
            if prop == PREF_LABEL:
                by_language[language].append(value)
        for language, texts in by_language.items():
            if len(texts) > 1:
                listed = ", ".join(_literal(text, language) for text in sorted(texts))
                count = f"{len(texts)} skos:prefLabel {in_language(language)}"
                yield subject, "S14", f"{count}: {listed}"


def _label_order(label: LabelValue) -> tuple[int, str, str]:
    prop, value, language = label
    return LABELS.index(prop), value, language or ""


def _literal(value: str, language: str | None) -> str:
    return literal(value, language)


def quote(text: str) -> str:
    """``text`` in double quotes, with quotes, backslashes and line breaks escaped (as JSON)."""
    return json.dumps(text, ensure_ascii=False)


# --- Hierarchy ------------------------------------------------------------------------


def parents_of(facts: Facts) -> dict[str, set[str]]:
    """Node → its direct broader nodes, from every broader and (inverted) narrower link."""
    parents: defaultdict[str, set[str]] = defaultdict(set)
    for child, parent in facts.pairs(*BROADER):
        parents[child].add(parent)
    for parent, child in facts.pairs(*NARROWER):
        parents[child].add(parent)
    return dict(parents)


def broader_cycles(facts: Facts) -> Iterator[Finding]:
    """No concept is broader than itself: one report per cycle (strongly connected set)."""
    parents = parents_of(facts)
    for component in strongly_connected(parents):
        start = min(component)
        if len(component) > 1 or start in parents.get(start, ()):
            path = cycle_through(start, parents, component)
            shown = " → ".join(_short(member) for member in path)
            yield start, "broader-cycle", f"skos:broader cycle: {shown}"


def _short(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def s27_related_not_broader(facts: Facts) -> Iterator[Finding]:
    """S27: skos:related is disjoint from skos:broaderTransitive (and, by symmetry, narrower)."""
    parents = parents_of(facts)
    cache: dict[str, frozenset[str]] = {}
    for one, other in sorted({tuple(sorted(pair)) for pair in facts.pairs(*RELATED)}):
        if other in ancestors(one, parents, cache):
            yield one, "S27", f"skos:related <{other}>, which is also a broader concept"
        elif one in ancestors(other, parents, cache):
            yield one, "S27", f"skos:related <{other}>, which is also a narrower concept"


# --- Mappings -------------------------------------------------------------------------


def s46_exact_not_hierarchical(facts: Facts) -> Iterator[Finding]:
    """S46: skos:exactMatch (transitive, symmetric) is disjoint from broad/narrow/relatedMatch.

    Hierarchical links count too; a link stated in both directions is reported once.
    """
    root = _union_find(facts.pairs(EXACT_MATCH))
    reported: set[frozenset[str]] = set()
    for prop in NOT_EXACT:
        for one, other in facts.edges.get(prop, ()):
            pair = frozenset((one, other))
            if pair not in reported and _same_class(root, one, other):
                reported.add(pair)
                yield one, "S46", f"{curie(prop)} <{other}> but also skos:exactMatch"


def _same_class(root: dict[str, str], one: str, other: str) -> bool:
    """Whether two different nodes are linked by a chain of skos:exactMatch."""
    in_classes = one in root and other in root and one != other
    return in_classes and _find(root, one) == _find(root, other)


def _union_find(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    root: dict[str, str] = {}
    for one, other in pairs:
        root.setdefault(one, one)
        root.setdefault(other, other)
        root[_find(root, one)] = _find(root, other)
    return root


def _find(root: dict[str, str], item: str) -> str:
    while root[item] != item:
        root[item] = root[root[item]]
        item = root[item]
    return item


# --- Structure ------------------------------------------------------------------------


def inverse_stated(facts: Facts) -> Iterator[Finding]:
    """Our profile states both directions of broader/narrower and topConceptOf/hasTopConcept."""
    for forward, backward in INVERSES:
        there = set(facts.edges.get(forward, ()))
        back = {(o, s) for s, o in facts.edges.get(backward, ())}
        yield from _one_way(facts, there - back, forward, backward)
        yield from _one_way(facts, {(o, s) for s, o in back - there}, backward, forward)


def _one_way(
    facts: Facts, pairs: Iterable[tuple[str, str]], stated: str, missing: str
) -> Iterator[Finding]:
    for subject, target in pairs:
        if target in facts.types:  # else `dangling` reports it
            message = f"{curie(stated)} <{target}>, but <{target}> states no {curie(missing)} back"
            yield subject, "inverse-stated", message


def in_scheme(facts: Facts) -> Iterator[Finding]:
    """Every concept is in a concept scheme (skos:topConceptOf implies skos:inScheme)."""
    placed = {subject for subject, _ in facts.pairs(*IN_SCHEME)}
    for concept in facts.instances(CONCEPT):
        if concept not in placed:
            yield concept, "in-scheme", "a skos:Concept not skos:inScheme any concept scheme"


def dangling(facts: Facts) -> Iterator[Finding]:
    """Relations point to resources declared, with the right class, in the loaded data."""
    for prop, classes in TARGETS.items():
        wanted = " or ".join(sorted(curie(cls) for cls in classes))
        for subject, target in facts.edges.get(prop, ()):
            if not facts.types.get(target, frozenset()) & classes:
                yield subject, "dangling", f"{curie(prop)} <{target}> is not a {wanted} here"


def disjoint_classes(facts: Facts) -> Iterator[Finding]:
    """S9: ConceptScheme is disjoint from Concept; S37: Collection from both."""
    for subject, types in facts.types.items():
        if CONCEPT in types and SCHEME in types:
            yield subject, "S9", "both a skos:Concept and a skos:ConceptScheme"
        if types & COLLECTIONS and types & {CONCEPT, SCHEME}:
            yield subject, "S37", "a skos:Collection and also a skos:Concept or skos:ConceptScheme"


# --- Quality (qSKOS) ------------------------------------------------------------------
# Warnings, not violations: SKOS allows them, but users of a thesaurus stumble on them.


def _deprecated(facts: Facts) -> set[str]:
    return {s for s, o in facts.edges.get(DEPRECATED, ()) if o.startswith(('"true"', '"1"'))}


def schemes_of(facts: Facts) -> dict[str, set[str]]:
    """Concept → its schemes, from skos:inScheme, skos:topConceptOf and skos:hasTopConcept."""
    schemes: defaultdict[str, set[str]] = defaultdict(set)
    for concept, scheme in facts.pairs(*IN_SCHEME):
        schemes[concept].add(scheme)
    for scheme, concept in facts.pairs(HAS_TOP_CONCEPT):
        schemes[concept].add(scheme)
    return dict(schemes)


def ambiguous_pref_label(facts: Facts) -> Iterator[Finding]:
    """Two concepts of one scheme share a prefLabel in one language (qSKOS "overlapping
    labels"); reported once, on the first concept by IRI. Deprecated concepts are left out."""
    owners: defaultdict[tuple[str, str, str | None], list[str]] = defaultdict(list)
    withdrawn = _deprecated(facts)
    for concept, schemes in schemes_of(facts).items():
        if concept in withdrawn:
            continue
        for prop, value, language in facts.labels.get(concept, ()):
            if prop == PREF_LABEL:
                for scheme in schemes:
                    owners[scheme, value, language].append(concept)
    for (scheme, value, language), sharing in sorted(owners.items(), key=str):
        if len(set(sharing)) > 1:
            first, *others = sorted(set(sharing))
            listed = ", ".join(f"<{other}>" for other in others)
            message = f"skos:prefLabel {_literal(value, language)} is also that of {listed}"
            yield first, "ambiguous-pref-label", f"{message} in the scheme <{scheme}>"


def orphan(facts: Facts) -> Iterator[Finding]:
    """A concept with no hierarchical, associative or mapping link either way (qSKOS "orphan
    concepts"), that is not a top concept and in no collection (whose page would list it)."""
    linked: set[str] = set()
    for prop in (*BROADER, *NARROWER, *RELATED, *MAPPINGS):
        for subject, target in facts.edges.get(prop, ()):
            linked.update((subject, target))
    linked.update(concept for concept, _ in facts.pairs(SKOS + "topConceptOf"))
    linked.update(concept for _, concept in facts.pairs(HAS_TOP_CONCEPT, SKOS + "member"))
    linked.update(_list_members(facts))
    withdrawn = _deprecated(facts)
    for concept in facts.instances(CONCEPT):
        if concept not in linked and concept not in withdrawn:
            message = "no broader, narrower, related or mapping link; not a top concept; "
            yield concept, "orphan", message + "in no collection"


def _list_members(facts: Facts) -> Iterator[str]:
    """Members of every skos:memberList (walking rdf:rest, safe on cyclic lists)."""
    first = dict(facts.pairs(RDF_FIRST))
    rest = dict(facts.pairs(RDF_REST))
    for _, cell in facts.pairs(MEMBER_LIST):
        seen: set[str] = set()
        while cell != RDF_NIL and cell not in seen:
            seen.add(cell)
            if cell in first:
                yield first[cell]
            cell = rest.get(cell, RDF_NIL)


def top_concept_broader(facts: Facts) -> Iterator[Finding]:
    """A top concept of a scheme has a broader concept in that scheme (qSKOS "top concept
    having broader concepts"): the scheme's top is not its top."""
    parents = _hierarchy_parents(facts)
    schemes = schemes_of(facts)
    tops = set(facts.pairs(SKOS + "topConceptOf"))
    tops |= {(concept, scheme) for scheme, concept in facts.pairs(HAS_TOP_CONCEPT)}
    for concept, scheme in sorted(tops):
        for parent in sorted(parents.get(concept, ())):
            if scheme in schemes.get(parent, ()):
                message = f"a top concept of <{scheme}> with a broader concept <{parent}> in it"
                yield concept, "top-concept-broader", message


def _hierarchy_parents(facts: Facts) -> dict[str, set[str]]:
    """Broader concepts within vocabularies (mappings to others are not a hierarchy here)."""
    parents: defaultdict[str, set[str]] = defaultdict(set)
    for broader, narrower in zip(BROADER, NARROWER, strict=True):
        if "Match" in broader:
            continue
        for child, parent in facts.pairs(broader):
            parents[child].add(parent)
        for parent, child in facts.pairs(narrower):
            parents[child].add(parent)
    return dict(parents)


# --- The rule table -------------------------------------------------------------------

RULES: Final[tuple[Callable[[Facts], Iterable[Finding]], ...]] = (
    label_form,
    s13_disjoint_labels,
    s14_one_pref_label,
    broader_cycles,
    s27_related_not_broader,
    s46_exact_not_hierarchical,
    inverse_stated,
    in_scheme,
    dangling,
    disjoint_classes,
    ambiguous_pref_label,
    orphan,
    top_concept_broader,
)
"""Every rule, each a function from the collected facts to its findings."""

#: Rules whose findings are warnings (the others are violations).
WARNINGS: Final = frozenset({"ambiguous-pref-label", "orphan", "top-concept-broader"})


def check_integrity(store: Store) -> tuple[Violation, ...]:
    """Every integrity violation in ``store``, sorted by term then rule."""
    return check_facts(collect(store), read_default_languages(Triples(store)))


def check_facts(facts: Facts, languages: DefaultLanguages) -> tuple[Violation, ...]:
    """Every integrity violation in already collected ``facts``, sorted by term then rule,
    each term named in the language serving shows it in (``languages``)."""
    findings = sorted({finding for rule in RULES for finding in rule(facts)})
    return tuple(
        Violation(term, label_of(facts, term, languages.of(term)), rule, message, _severity(rule))
        for term, rule, message in findings
    )


def _severity(rule: str) -> Severity:
    return "warning" if rule in WARNINGS else "violation"
