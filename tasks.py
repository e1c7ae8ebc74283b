#!/usr/bin/env python3
"""The project's two set-up commands, needing only Python 3.11 and the package registries.

    python3 tasks.py serve   # create .venv, install, serve the shipped glossary
    python3 tasks.py test    # create .venv, install with test extras, run the quality gate

Both install the exact versions in the lock files (``requirements.lock`` for serving,
``requirements-test.lock`` for the gate), then the project itself without its dependencies,
so nothing is resolved at install time. A third command rewrites the locks after a change to
pyproject.toml's dependencies (extra arguments go to ``uv pip compile``, e.g. ``--upgrade``):

    python3 tasks.py lock

A fourth refreshes the interface's message catalogues after templates change (docs/pages.md):

    python3 tasks.py messages

A fifth fetches GraphiQL's files from the npm registry into build/graphiql/ (ignored by git),
where the service finds them by default (docs/graphql.md); `test` runs it first:

    python3 tasks.py graphiql

Standard library only, so it runs before anything is installed. `.ci/run` calls `test`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
#: What each install installs: pinned, hashed requirements for CPython 3.11 on Linux x86_64.
LOCKS = {"": ROOT / "requirements.lock", "[test]": ROOT / "requirements-test.lock"}
#: The resolver that writes the locks, pinned so that regenerating them is repeatable.
LOCKER = "uv==0.13.9"
LOCK_TARGET = ("--python-version", "3.11", "--python-platform", "x86_64-unknown-linux-gnu")
LOCK_HEADER = """\
# {what}
# Pinned, with hashes, for CPython 3.11 on Linux x86_64 (the python:3.11-slim image).
# Generated from pyproject.toml by `python3 tasks.py lock` (uv pip compile); do not edit.
# Upgrade with `python3 tasks.py lock --upgrade` (or `--upgrade-package NAME`).
"""
#: GraphiQL's files: which npm packages, and where they are unpacked (the service's default).
GRAPHIQL_PACKAGES = ROOT / "api" / "graphql" / "graphiql-packages.txt"
GRAPHIQL_ASSETS = ROOT / "build" / "graphiql"
#: Debian packages the test suite drives: a browser for Playwright, rapper for RDF syntax.
SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "raptor2-utils": "/usr/bin/rapper",
    # The shared caches in front of two replicas (deploy/, tests/deploy).
    "varnish": "/usr/sbin/varnishd",
    "nginx": "/usr/sbin/nginx",
    # `npm pack` fetches GraphiQL's files (the graphiql task, run before the tests).
    "npm": "/usr/bin/npm",
}


def run(*argv: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in argv), flush=True)
    subprocess.run([str(a) for a in argv], check=True, cwd=ROOT, env=env)


def install_marker(extras: str) -> Path:
    """The file that says .venv holds this install: named by pyproject.toml and the locks."""
    digest = hashlib.sha256(extras.encode())
    for path in (ROOT / "pyproject.toml", *LOCKS.values()):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return VENV / f".installed-{digest.hexdigest()[:16]}"


def ensure_venv(extras: str) -> None:
    """Create .venv, install the lock, then the project without resolving anything new.

    Skipped while pyproject.toml and the lock files are unchanged since the last install.
    """
    if not (BIN / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    marker = install_marker(extras)
    if marker.exists():
        return
    pip = (BIN / "python", "-m", "pip", "install", "--quiet")
    run(*pip, "--upgrade", "pip")
    run(*pip, "--require-hashes", "-r", LOCKS[extras])
    run(*pip, "--no-deps", "-e", ".")
    for stale in VENV.glob(".installed-*"):  # the install changed .venv under them
        stale.unlink()
    # The test lock holds every pin of the runtime lock, so it installs the runtime too.
    for installed in {extras, ""}:
        install_marker(installed).touch()


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
    graphiql([])
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "ruff", "check", ".")
    run(BIN / "mypy")
    run(BIN / "lint-imports")
    run(BIN / "python", "-m", "pytest", "--cov", "--cov-report=term", *args)


def messages(args: list[str]) -> None:
    """Extract the interface's strings into api/pages/locale/messages.pot and merge them into
    each language's catalogue (new strings untranslated, changed ones fuzzy, for review)."""
    ensure_venv("[test]")
    locale = ROOT / "api" / "pages" / "locale"
    template = locale / "messages.pot"
    run(BIN / "pybabel", "extract", "-F", locale / "babel.cfg", "--no-location",
        "--project", "engagement glossary", "-o", template, ".", *args)  # fmt: skip
    run(BIN / "pybabel", "update", "--no-location", "-i", template, "-d", locale)


def lock(args: list[str]) -> None:
    """Rewrite the lock files from pyproject.toml with a pinned uv in a throwaway venv.

    Pins already in a lock are kept unless pyproject.toml rules them out or ``args`` ask for
    an upgrade. The test lock is resolved first and constrains the runtime one, so the two
    always agree on the versions they share.
    """
    test_lock, runtime_lock = LOCKS["[test]"], LOCKS[""]
    targets = [
        (
            test_lock,
            "Runtime and test dependencies, for `python3 tasks.py test`.",
            "--extra",
            "test",
        ),
        (
            runtime_lock,
            "Runtime dependencies, for `tasks.py serve` and the Dockerfile.",
            "-c",
            test_lock.name,
        ),
    ]
    with tempfile.TemporaryDirectory(prefix="glossary-lock-") as scratch:
        tools = Path(scratch) / "venv"
        run(sys.executable, "-m", "venv", tools)
        tool_bin = tools / BIN.relative_to(VENV)
        run(tool_bin / "python", "-m", "pip", "install", "--quiet", LOCKER)
        uv = tool_bin / "uv"
        for path, what, *selection in targets:
            compile_ = (uv, "pip", "compile", "--quiet", "pyproject.toml", *selection, *LOCK_TARGET)
            run(*compile_, "--generate-hashes", "--no-header", "-o", path.name, *args)
            pinned = path.read_text(encoding="utf-8")
            path.write_text(LOCK_HEADER.format(what=what) + pinned, encoding="utf-8")


def graphiql(args: list[str]) -> None:
    """Fetch the pinned npm packages GraphiQL's page needs (api/graphql/graphiql-packages.txt)
    with ``npm pack`` (the registry's integrity hash checked; no dependencies installed: the
    bundles are self-contained) and unpack each into build/graphiql/<package>/."""
    target = Path(args[0]) if args else GRAPHIQL_ASSETS
    lines = GRAPHIQL_PACKAGES.read_text(encoding="utf-8").splitlines()
    specs = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    stamp = target / ".packages"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == "\n".join(specs):
        return  # already there, at these versions
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            pack = ["npm", "pack", spec, "--silent", "--pack-destination", tmp]
            packed = subprocess.run(pack, check=True, capture_output=True, text=True).stdout
            folder = target / spec.rpartition("@")[0]
            shutil.rmtree(folder, ignore_errors=True)
            with tarfile.open(Path(tmp) / packed.split()[-1]) as archive:
                for member in archive.getmembers():
                    member.name = member.name.partition("/")[2]  # drop npm's "package/"
                archive.extractall(folder, filter="data")
    stamp.write_text("\n".join(specs), encoding="utf-8")


def main() -> None:
    commands = {
        "serve": serve, "test": test, "lock": lock, "messages": messages, "graphiql": graphiql,
    }  # fmt: skip
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python3 {Path(__file__).name} {{{'|'.join(commands)}}} [args...]")
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
