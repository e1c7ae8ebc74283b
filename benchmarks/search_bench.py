"""Start-up and search latency on a synthetic vocabulary.

    python -m benchmarks.search_bench [N_CONCEPTS] [N_QUERIES]

Generates N concepts (default 100,000, about 720,000 triples) with
``tests.support.vocabularies.generate_vocabulary``, loads them with ``api.build.files`` and
builds the index as the service does at start-up, then times ``Index.search`` on varied
queries (exact labels, prefixes, several words, substrings, typos, definition words, misses)
and prints p50/p99 per kind and overall, with build time and resident memory.
"""

from __future__ import annotations

import gc
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from api.build.files import load
from api.build.index import Index, build_index
from tests.support.vocabularies import generate_vocabulary


def rss_mb() -> float:
    """Current resident set size in MB (Linux)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def typo(word: str, rng: random.Random) -> str:
    """``word`` with one random deletion, substitution, insertion or transposition."""
    i = rng.randrange(1, len(word) - 1)
    return rng.choice(
        (
            word[:i] + word[i + 1 :],
            word[:i] + rng.choice("aeiourst") + word[i + 1 :],
            word[:i] + rng.choice("aeiourst") + word[i:],
            word[:i] + word[i + 1] + word[i] + word[i + 2 :],
        )
    )


def queries(index: Index, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the index's own labels and definitions."""
    rng = random.Random(seed)
    concepts = list(index.concepts.values())
    labels = [c.pref_labels[0].value for c in rng.sample(concepts, count)]
    words = [w for label in labels for w in label.lower().split() if len(w) >= 6]
    kinds: dict[str, Callable[[int], str]] = {
        "exact": lambda i: labels[i],
        "prefix": lambda i: labels[i][: rng.randint(2, 6)],
        "words": lambda i: " ".join(labels[i].lower().split()[:2]),
        "substring": lambda i: labels[i][2:7],
        "typo": lambda i: typo(words[i % len(words)], rng),
        "definition": lambda i: rng.choice(("public", "service", "health data", "the policy")),
        "miss": lambda i: f"zzq{i}x",
    }
    names = list(kinds)
    return [(names[i % len(names)], kinds[names[i % len(names)]](i)) for i in range(count)]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_queries(
    index: Index, pairs: list[tuple[str, str]], clock: Callable[[], float]
) -> dict[str, list[tuple[float, str]]]:
    """Milliseconds per query by kind (and ``all``), with the query."""
    timings: dict[str, list[tuple[float, str]]] = {}
    for kind, query in pairs:
        start = clock()
        index.search(query, limit=20)
        elapsed = (clock() - start) * 1000
        timings.setdefault(kind, []).append((elapsed, query))
        timings.setdefault("all", []).append((elapsed, query))
    return timings


def report(index: Index, pairs: list[tuple[str, str]], clock: Callable[[], float]) -> None:
    timings = time_queries(index, pairs, clock)
    for kind, timed in timings.items():
        samples = [ms for ms, _ in timed]
        print(
            f"  {kind:10} n={len(samples):4}  p50 {statistics.median(samples):.3f} ms"
            f"  p99 {percentile(samples, 0.99):.3f} ms  max {max(samples):.3f} ms"
        )
    slowest = sorted(timings["all"], reverse=True)[:5]
    print("  slowest:", ", ".join(f"{query!r} {ms:.2f} ms" for ms, query in slowest))


def main(n_concepts: int = 100_000, n_queries: int = 1000) -> None:
    turtle = generate_vocabulary(n_concepts, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.ttl"
        path.write_text(turtle, encoding="utf-8")
        del turtle
        baseline = rss_mb()
        start, cpu_start = time.perf_counter(), time.process_time()
        vocabulary = load([path])
        loaded, cpu_loaded = time.perf_counter(), time.process_time()
        index = build_index(vocabulary.store, digest=vocabulary.digest)
        built, cpu_built = time.perf_counter(), time.process_time()
    print(f"{index.concept_count} concepts, {len(vocabulary.store)} triples")
    print(f"load {loaded - start:.2f} s, index {built - loaded:.2f} s, total {built - start:.2f} s")
    print(
        f"CPU: load {cpu_loaded - cpu_start:.2f} s, index {cpu_built - cpu_loaded:.2f} s,"
        f" total {cpu_built - cpu_start:.2f} s"
    )
    print(f"RSS {rss_mb():.0f} MB (before load {baseline:.0f} MB), peak {peak_mb():.0f} MB")
    # As the service should after start-up: move everything built so far out of the cyclic
    # collector's reach; otherwise a full collection (about 0.5 s at this size) can land
    # on any request.
    gc.collect()
    gc.freeze()
    pairs = queries(index, n_queries)
    time_queries(index, pairs[:100], time.perf_counter)  # warm up
    print("search, wall clock:")
    report(index, pairs, time.perf_counter)
    print("search, CPU time of this thread (unaffected by other processes):")
    report(index, pairs, time.thread_time)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
