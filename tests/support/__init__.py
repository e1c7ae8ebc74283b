"""Shared test material: small SKOS vocabularies, a synthetic generator, a real server."""

from __future__ import annotations

from pathlib import Path

#: The checkout's root, and the test data folder (vocabularies good and bad, shapes).
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
