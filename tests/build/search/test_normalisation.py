"""Normalisation: the one case and accent folding, and the matching key of a text."""

from __future__ import annotations

import pytest

from api.build.search import fold, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ŵyau", "wyau"),
        ("  Community\t\nEngagement  ", "community engagement"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("ﬁeld", "field"),  # NFKD folds the ligature
        ("Café", "cafe"),
    ],
)
def test_normalise_folds_case_accents_and_spacing(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ASCII Only", "ascii only"),
        ("DŴR", "dwr"),
        ("dŵr", "dwr"),
        ("dw\u0302r", "dwr"),  # a combining circumflex
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),  # a dotted capital I: "i" and a combining dot, dropped
        ("ﬁeld", "field"),
        ("ÉCOLE", "ecole"),
        ("ǅ", "dz"),  # a title-case digraph
        ("\u212a", "k"),  # the Kelvin sign
        ("Ŵyl", "wyl"),  # as the A-Z sorts it
        ("People\u2019s", "people\u2019s"),  # apostrophes stay as they are
        ("  Two\tWords ", "  two\twords "),  # spacing stays as it is
        ("", ""),
    ],
)
def test_fold_folds_case_and_accents_only(text: str, expected: str) -> None:
    assert fold(text) == expected
