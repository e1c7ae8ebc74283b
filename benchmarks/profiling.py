"""Sampling the server with py-spy while a case runs, to find what a missed target costs.

``pip install py-spy``; the collapsed stacks land in ``benchmarks/results/profile-NAME.txt``
and the functions with the most samples are printed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def sampled(pid: int, seconds: float, output: Path) -> Iterator[None]:
    """py-spy records ``pid`` for ``seconds`` while the body runs; the top frames after."""
    output.parent.mkdir(parents=True, exist_ok=True)
    spy = subprocess.Popen(
        [py_spy(), "record", "--pid", str(pid), "--duration", str(max(1, int(seconds))),
         "--format", "raw", "--rate", "200", "--output", str(output), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        spy.wait()
        print(f"  profile in {output}")
        print(top_frames(output.read_text()))


def py_spy() -> str:
    """py-spy beside this interpreter, else on ``PATH``."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.is_file() else "py-spy"


def top_frames(collapsed: str, count: int = 25) -> str:
    """The functions with the most samples, self and inclusive, from collapsed stacks."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in collapsed.splitlines():
        stack, _, number = line.rpartition(" ")
        samples = int(number)
        total += samples
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + samples
        own[frames[-1]] = own.get(frames[-1], 0) + samples
    rows = [f"  {'self %':>7} {'total %':>7}  function (file:line)"]
    for frame, samples in sorted(own.items(), key=lambda item: -item[1])[:count]:
        rows.append(
            f"  {100 * samples / total:7.1f} {100 * inclusive[frame] / total:7.1f}  {frame}"
        )
    return "\n".join(rows)
