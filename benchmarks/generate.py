"""Write the synthetic vocabularies the benchmarks load into ``benchmarks/data/``.

    python -m benchmarks.generate [--sizes 50,5000,100000] [--kind synthetic|varied] [--force]

``synthetic`` (the default, and the one the targets are measured on) comes from
``tests.data.synthetic``, the generator whose output ``glossary check`` finds clean: a
ten-way tree, one pref- and altLabel and a definition of about 355 characters a concept,
about 7 triples a concept (100,000 concepts: 700,000 triples, 57 MB of Turtle, as the
issue says). ``varied`` comes from ``tests.support.vocabularies.generate_vocabulary``,
which ``benchmarks/search_bench.py`` uses: word labels, short definitions, related links,
a collection (100,000 concepts: 715,000 triples, 29 MB). Both are reported. Files that
exist are kept: after the generators change, rewrite them with ``--force``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from tests.data import synthetic
from tests.support.vocabularies import generate_vocabulary

DATA = Path(__file__).resolve().parent / "data"
SIZES = (50, 5_000, 100_000)


def _varied(path: Path, size: int) -> Path:
    path.write_text(generate_vocabulary(size, seed=1), encoding="utf-8")
    return path


#: Kind of vocabulary -> the function writing ``size`` concepts of it to a path.
WRITERS: Mapping[str, Callable[[Path, int], Path]] = MappingProxyType(
    {"synthetic": synthetic.write, "varied": _varied}
)


def path_for(size: int, kind: str = "synthetic", folder: Path = DATA) -> Path:
    """Where the ``size``-concept vocabulary of ``kind`` lives."""
    return folder / f"{kind}-{size}.ttl"


def ensure(size: int, kind: str = "synthetic", folder: Path = DATA, *, force: bool = False) -> Path:
    """The ``size``-concept vocabulary of ``kind``, written first if missing (or ``force``)."""
    path = path_for(size, kind, folder)
    if force or not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so an interrupted run leaves no half file.
        partial = path.with_suffix(".partial")
        WRITERS[kind](partial, size)
        partial.replace(path)
    return path


def concept_id(size: int, kind: str = "synthetic") -> str:
    """A concept every size has (``synthetic``: one with a broader and narrower ones)."""
    if kind == "synthetic":
        return f"c{max(0, size // synthetic.FANOUT // 2)}"
    return "c1"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--kind", choices=sorted(WRITERS), default="synthetic")
    parser.add_argument("--force", action="store_true", help="rewrite files that exist")
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",")):
        path = ensure(size, args.kind, force=args.force)
        print(f"{path}: {size} concepts, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
