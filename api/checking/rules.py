"""The rule table, and running it over a store or collected facts into ``Problem`` reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Literal

from pyoxigraph import Store

from api.checking.integrity.facts import Facts, Finding, collect, label_of
from api.checking.integrity.hierarchy import broader_cycles, s27_related_not_broader
from api.checking.integrity.labels import label_form, s13_disjoint_labels, s14_one_pref_label
from api.checking.integrity.mappings import s46_exact_not_hierarchical
from api.checking.integrity.structure import dangling, disjoint_classes, in_scheme, inverse_stated

Severity = Literal["violation", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule on one resource (``term``, an IRI or ``_:`` blank node id)."""

    term: str
    label: str | None
    rule: str
    message: str
    severity: Severity = "violation"


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
)
"""Every rule, each a function from the collected facts to its findings."""


def check_integrity(store: Store) -> tuple[Problem, ...]:
    """Every integrity problem in ``store``, sorted by term then rule."""
    return check_facts(collect(store))


def check_facts(facts: Facts) -> tuple[Problem, ...]:
    """Every integrity problem in already collected ``facts``, sorted by term then rule."""
    findings = sorted({finding for rule in RULES for finding in rule(facts)})
    return tuple(
        Problem(term, label_of(facts, term), rule, message) for term, rule, message in findings
    )
