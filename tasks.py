#!/usr/bin/env python3
"""The project's two set-up commands, needing only Python 3.11 and the package registries.

    python3 tasks.py serve   # create .venv, install, serve the shipped glossary
    python3 tasks.py test    # create .venv, install with test extras, run the quality gate

Standard library only, so it runs before anything is installed. `.ci/run` calls `test`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
#: Debian packages the test suite drives: a browser for Playwright, rapper for RDF syntax.
SYSTEM_PACKAGES = {"chromium": "/usr/bin/chromium", "raptor2-utils": "/usr/bin/rapper"}


def run(*argv: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in argv), flush=True)
    subprocess.run([str(a) for a in argv], check=True, cwd=ROOT, env=env)


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project; skipped when pyproject.toml is unchanged."""
    if not (BIN / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    marker = VENV / f".installed-{digest[:16]}"
    if marker.exists():
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f".{extras}")
    marker.touch()


def ensure_system_packages() -> None:
    """Install the Debian packages the browser and RDF-syntax tests need (root only)."""
    missing = [name for name, path in SYSTEM_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        sys.exit(f"tasks.py: please install the Debian packages {' '.join(missing)} first")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(apt, "update", "-qq", env=env)
    run(apt, "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def serve(args: list[str]) -> None:
    ensure_venv("")
    os.execv(BIN / "glossary", [str(BIN / "glossary"), "serve", *args])


def test(args: list[str]) -> None:
    ensure_venv("[test]")
    ensure_system_packages()
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "ruff", "check", ".")
    run(BIN / "mypy")
    run(BIN / "python", "-m", "pytest", "--cov", "--cov-report=term", *args)


def main() -> None:
    commands = {"serve": serve, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python3 {Path(__file__).name} {{{'|'.join(commands)}}} [args...]")
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
