"""The layout is a design: the tree in docs/architecture.md, the package docstrings and the
import contract all name every package, and the top level stays small."""

from __future__ import annotations

import ast
import re
import tomllib

import pytest

from tests.support import ROOT

API = ROOT / "api"
PACKAGES = sorted(p.name for p in API.iterdir() if (p / "__init__.py").is_file())
MODULES = sorted(p.name for p in API.glob("*.py"))


def documented_tree() -> set[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tree = text.split("```\napi/\n", 1)[1].split("```", 1)[0]
    return {line.split()[0].rstrip("/") for line in tree.splitlines() if line.strip()}


def test_the_top_level_holds_at_most_eight_modules() -> None:
    assert len(MODULES) <= 8, MODULES


def test_the_documented_tree_names_every_package_and_top_level_module() -> None:
    named = {m.removesuffix(".py") + ".py" for m in MODULES if m != "__init__.py"}
    assert documented_tree() == set(PACKAGES) | named


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_says_what_it_owns_and_may_import(package: str) -> None:
    source = (API / package / "__init__.py").read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source)) or ""
    assert len(docstring) > 150, f"api/{package}/__init__.py needs a real docstring"
    assert re.search(r"\bimport", docstring), f"api/{package} does not say what it may import"


def test_the_import_contract_places_every_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    placed = {name.strip().removeprefix("api.") for layer in layers for name in layer.split("|")}
    top = {m.removesuffix(".py") for m in MODULES if m != "__init__.py"}
    assert placed == set(PACKAGES) | top
