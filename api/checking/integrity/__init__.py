"""SKOS integrity conditions and our profile's structural rules, checked in plain Python.

Rule ids ``S13`` ... ``S46`` are the integrity conditions of the SKOS Reference
(https://www.w3.org/TR/skos-reference/); the others are this service's profile. One pass
over the store collects the triples the rules need, so a check of 100,000 concepts takes
seconds, not minutes.

Modules: ``terms`` (the classes and properties read), ``facts`` (the one pass over the
store), ``graphs`` (closures, strongly connected components), the rules by concern
(``labels``, ``hierarchy``, ``mappings``, ``structure``), and ``rules`` (the rule table
and ``Problem`` reports).
"""

from __future__ import annotations

from api.checking.integrity.facts import Facts, Finding, collect, label_of
from api.checking.integrity.graphs import strongly_connected
from api.checking.integrity.rules import (
    RULES,
    Problem,
    Severity,
    check_facts,
    check_integrity,
)
from api.checking.integrity.terms import CONCEPT

__all__ = [
    "CONCEPT",
    "RULES",
    "Facts",
    "Finding",
    "Problem",
    "Severity",
    "check_facts",
    "check_integrity",
    "collect",
    "label_of",
    "strongly_connected",
]
