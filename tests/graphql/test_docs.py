"""The examples in docs/graphql.md run, without errors, against the shipped glossary."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.graphql.helpers import data

DOC = Path(__file__).resolve().parents[2] / "docs" / "graphql.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.anyio
@pytest.mark.parametrize("query", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
async def test_every_example_runs(client: httpx.AsyncClient, query: str) -> None:
    found = await data(client, query)
    assert all(value not in (None, []) for value in found.values()), found
