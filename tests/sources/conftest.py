"""Oxigraph servers loaded with the glossary and with a 5,000-concept synthetic vocabulary."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.data import synthetic
from tests.support.stores import Oxigraph, oxigraph_missing, running_oxigraph

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "vocab" / "glossary.ttl"
SYNTHETIC_SIZE = 5000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if oxigraph_missing():
        skip = pytest.mark.skip(reason="the oxigraph server (.venv/bin/oxigraph) is not installed")
        for item in items:
            if "tests/sources/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def glossary_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    with running_oxigraph(tmp_path_factory.mktemp("glossary-store"), [GLOSSARY]) as store:
        yield store


@pytest.fixture(scope="session")
def synthetic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / f"synthetic-{SYNTHETIC_SIZE}.ttl"
    synthetic.write(path, SYNTHETIC_SIZE)
    return path


@pytest.fixture(scope="session")
def synthetic_store(
    tmp_path_factory: pytest.TempPathFactory, synthetic_file: Path
) -> Iterator[Oxigraph]:
    with running_oxigraph(tmp_path_factory.mktemp("synthetic-store"), [synthetic_file]) as store:
        yield store
