"""``deploy/``: Varnish and nginx in front of two replicas, for real.

Two ``glossary serve`` processes watch one vocabulary file, as replicas share one source;
``varnishd`` (deploy/varnish/glossary.vcl) and ``nginx`` (deploy/nginx/glossary.conf) run
with only their addresses, paths and (Varnish) freshness replaced; an httpx client asks
through each. A second request is a hit; Vary keeps formats and languages apart; POSTs are
never kept; the replicas answer the same bytes and ETags; after a reload, revalidation
answers 304 for what did not change and the new body for what did; a replica going down
is not noticed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.server import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VARNISHD, NGINX = shutil.which("varnishd") or "/usr/sbin/varnishd", "/usr/sbin/nginx"
#: Seconds a replica's answers may be kept before revalidation (GLOSSARY_CACHE_MAX_AGE).
MAX_AGE = 2

pytestmark = [
    pytest.mark.server,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(VARNISHD).exists() and Path(NGINX).exists()),
        reason="needs Debian's varnish and nginx (tasks.py installs them)",
    ),
]


@dataclass
class Replica:
    process: subprocess.Popen[bytes]
    base: str


@dataclass
class Deployment:
    """Two replicas of one vocabulary file, and the two caches in front of them."""

    folder: Path
    vocab: Path
    replicas: list[Replica]
    caches: dict[str, str]  # name -> base URL


def _spawn(argv: list[str], log: Path, **options: object) -> subprocess.Popen[bytes]:
    """Start ``argv`` writing to ``log`` (a file, not a pipe nobody reads)."""
    with log.open("wb") as output:
        return subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT, **options)  # type: ignore[call-overload, no-any-return]


def _start_replica(vocab: Path, folder: Path, log: Path) -> Replica:
    port = free_port()
    argv = [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--vocab", str(vocab)]
    env = {
        **os.environ,
        "GLOSSARY_WATCH_INTERVAL": "0.3",
        "GLOSSARY_CACHE_MAX_AGE": str(MAX_AGE),
        # One origin for every replica, whatever the cache sends as Host: ETags and links
        # are made from it (docs/deployment.md).
        "GLOSSARY_PUBLIC_BASE_URL": "http://glossary.test/",
        # JSON-LD's node order follows string hashing: one seed for every replica.
        "PYTHONHASHSEED": "4242",
    }
    process = _spawn(argv, log, env=env, cwd=folder)
    return Replica(process, f"http://127.0.0.1:{port}")


def _varnish(folder: Path, replicas: list[Replica]) -> tuple[subprocess.Popen[bytes], str]:
    vcl = (DEPLOY / "varnish" / "glossary.vcl").read_text(encoding="utf-8")
    for n, replica in enumerate(replicas, 1):
        port = replica.base.rsplit(":", 1)[1]
        vcl = vcl.replace(
            f'.host = "replica{n}";\n    .port = "8000";',
            f'.host = "127.0.0.1";\n    .port = "{port}";',
        )
    vcl = vcl.replace("beresp.ttl > 5s", f"beresp.ttl > {MAX_AGE}s").replace(
        "ttl = 5s", f"ttl = {MAX_AGE}s"
    )
    vcl = vcl.replace(".interval = 2s;", ".interval = 0.5s;")
    path = folder / "glossary.vcl"
    path.write_text(vcl, encoding="utf-8")
    port = free_port()
    argv = [VARNISHD, "-F", "-a", f"127.0.0.1:{port}", "-f", str(path), "-s", "malloc,32m"]
    argv += ["-n", str(folder / "varnish"), "-T", "none"]
    process = _spawn(argv, folder / "varnish.log")
    return process, f"http://127.0.0.1:{port}"


def _nginx(folder: Path, replicas: list[Replica]) -> tuple[subprocess.Popen[bytes], str]:
    conf = (DEPLOY / "nginx" / "glossary.conf").read_text(encoding="utf-8")
    for n, replica in enumerate(replicas, 1):
        conf = conf.replace(
            f"server replica{n}:8000", "server " + replica.base.removeprefix("http://")
        )
    port = free_port()
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("/run/nginx-glossary.pid", str(folder / "nginx.pid"))
    conf = conf.replace("/var/log/nginx/glossary-error.log", str(folder / "nginx-error.log"))
    conf = conf.replace("/var/cache/nginx/glossary", str(folder / "nginx-cache"))
    if os.geteuid() == 0:  # workers run as nobody, and write the cache in our folder
        conf = "user root;\n" + conf
    path = folder / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    argv = [NGINX, "-c", str(path), "-p", str(folder), "-g", "daemon off;"]
    process = _spawn(argv, folder / "nginx.log")
    return process, f"http://127.0.0.1:{port}"


def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} s")


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    folder = Path(tempfile.mkdtemp(prefix="glossary-deploy-"))
    folder.chmod(0o755)
    vocab = folder / "glossary.ttl"
    shutil.copy(ROOT / "vocab" / "glossary.ttl", vocab)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        replicas = [_start_replica(vocab, folder, folder / f"replica{n}.log") for n in (1, 2)]
        processes += [replica.process for replica in replicas]
        for replica in replicas:
            wait_until_healthy(replica.base, replica.process)
        caches = {}
        for name, start in (("varnish", _varnish), ("nginx", _nginx)):
            process, base = start(folder, replicas)
            processes.append(process)
            caches[name] = base
            _until(lambda b=base: _get(b, "/concepts/doing-to").status_code == 200, 30, name)
        yield Deployment(folder, vocab, replicas, caches)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def _get(base: str, path: str, **headers: str) -> httpx.Response:
    return httpx.get(base + path, headers=headers, timeout=10)


CACHES = ("varnish", "nginx")


@pytest.mark.parametrize("cache", CACHES)
def test_the_second_request_for_a_concept_is_a_hit(deployment: Deployment, cache: str) -> None:
    base = deployment.caches[cache]
    path = "/concepts/doing-with" + ("" if cache == "varnish" else "?lang=en")
    first, second = _get(base, path), _get(base, path)
    assert first.status_code == second.status_code == 200
    assert first.headers["x-cache"] == "MISS"
    assert second.headers["x-cache"] == "HIT"
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    if cache == "varnish":
        assert "age" in second.headers


@pytest.mark.parametrize("cache", CACHES)
def test_vary_keeps_formats_and_languages_apart(deployment: Deployment, cache: str) -> None:
    base, path = deployment.caches[cache], "/concepts/doing-for"
    kinds = {
        "application/json": "application/json",
        "text/turtle": "text/turtle",
        "text/html": "text/html",
    }
    # Interleaved: each variant is kept beside the others, not in place of them.
    first = {accept: _get(base, path, accept=accept) for accept in kinds}
    for accept, media_type in kinds.items():
        second = _get(base, path, accept=accept)
        assert first[accept].headers["content-type"].startswith(media_type)
        assert second.headers["content-type"].startswith(media_type), (cache, accept)
        assert second.headers["x-cache"] == "HIT", (cache, accept)
        assert second.content == first[accept].content
    languages = ("en", "fr", "cy")
    asked = {
        language: _get(base, path, accept="application/json", **{"accept-language": language})
        for language in languages
    }
    for language in languages:
        again = _get(base, path, accept="application/json", **{"accept-language": language})
        assert again.headers["x-cache"] == "HIT", (cache, language)
        assert again.headers["etag"] == asked[language].headers["etag"]
    assert len({answer.headers["etag"] for answer in asked.values()}) == 3


@pytest.mark.parametrize("cache", CACHES)
def test_posts_and_what_operators_read_are_never_kept(deployment: Deployment, cache: str) -> None:
    base = deployment.caches[cache]
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for _ in range(3):
        answer = httpx.post(
            base + "/sparql",
            data={"query": query},
            headers={"accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert answer.status_code == 200
        assert answer.headers.get("x-cache") != "HIT"
        annotated = httpx.post(base + "/annotate", json={"text": "co-design"}, timeout=10)
        assert annotated.status_code == 200
        assert annotated.headers.get("x-cache") != "HIT"
        for path in ("/metrics", "/health"):
            assert _get(base, path).headers.get("x-cache") != "HIT"


def test_every_replica_answers_the_same_bytes_and_etag(deployment: Deployment) -> None:
    one, two = (replica.base for replica in deployment.replicas)
    accepts = ("application/json", "text/turtle", "application/ld+json", "text/html")
    for path in ("/concepts/co-design", "/concepts/consultation", "/schemes/engagement-glossary"):
        for accept in accepts:
            a, b = _get(one, path, accept=accept), _get(two, path, accept=accept)
            assert a.status_code == b.status_code == 200
            assert a.headers["etag"] == b.headers["etag"], (path, accept)
            assert a.content == b.content, (path, accept)


def test_after_a_reload_revalidation_answers_304_or_the_new_body(deployment: Deployment) -> None:
    unchanged, changed = "/concepts/doing-to", "/concepts/co-design"
    before = {
        (cache, path): _get(base, path, accept="application/json")
        for cache, base in deployment.caches.items()
        for path in (unchanged, changed)
    }
    digests = {_get(r.base, "/health").json()["digest"] for r in deployment.replicas}
    text = deployment.vocab.read_text(encoding="utf-8")
    edited = text.replace('"co-design"@en', '"co-design (reloaded)"@en', 1)
    deployment.vocab.write_text(edited, encoding="utf-8")
    for replica in deployment.replicas:
        health = lambda r=replica: _get(r.base, "/health").json()["digest"] not in digests  # noqa: E731
        _until(health, 60, "reload")
    time.sleep(MAX_AGE + 0.5)  # what the caches hold has expired: they must revalidate
    for (cache, path), first in before.items():
        base, tag = deployment.caches[cache], first.headers["etag"]
        again = _get(base, path, accept="application/json", **{"if-none-match": tag})
        if path == unchanged:
            assert again.status_code == 304, (cache, path)
            assert again.headers["etag"] == tag
        else:
            assert again.status_code == 200, (cache, path)
            assert again.headers["etag"] != tag
            assert again.json()["prefLabel"]["value"] == "co-design (reloaded)"


def test_a_replica_going_down_is_not_noticed(deployment: Deployment) -> None:
    listed = _get(deployment.replicas[1].base, "/concepts?limit=100").json()
    ids = [item["id"] for item in listed["items"]]
    assert len(ids) >= 40
    down = deployment.replicas[0].process
    down.send_signal(signal.SIGKILL)
    down.wait(timeout=10)
    for start, (cache, base) in zip((0, 20), deployment.caches.items(), strict=True):
        for concept in ids[start : start + 20]:  # most not asked for yet: fetched from a replica
            answer = _get(base, f"/concepts/{concept}.ttl")
            assert answer.status_code == 200, (cache, concept, answer.status_code)
