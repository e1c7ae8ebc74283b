"""What a fresh interpreter has imported after importing some of our modules: for tests that
a start does not load a package it only needs later (this interpreter has them all)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence


def loaded_by(modules: Sequence[str], packages: Sequence[str]) -> list[str]:
    """The modules of ``packages`` (each a top-level name) that a fresh interpreter has
    loaded once it has imported ``modules``."""
    check = (
        f"import json, sys, {', '.join(modules)};"
        f"wanted = {json.dumps(list(packages))};"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in wanted)))"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stdout)
    return found
