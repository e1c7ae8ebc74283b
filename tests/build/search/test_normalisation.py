"""Normalisation: the matching key of a text."""

from __future__ import annotations

import pytest

from api.build.search import normalise


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
