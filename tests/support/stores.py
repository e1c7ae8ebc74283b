"""Real SPARQL stores for the tests of a triplestore as the source: an Oxigraph server
(``oxigraph serve``, from the ``oxigraph`` package) that can be stopped and started again on
the same port, and a small hostile one (slow, endless, wrong content type) that can also
stand slowly in front of a real store."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.support.origins import serving
from tests.support.server import free_port

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def oxigraph_missing() -> bool:
    return shutil.which(str(OXIGRAPH)) is None


@dataclass
class Oxigraph:
    """An Oxigraph server over a store in ``location``; ``url`` is its query endpoint."""

    location: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/query"

    def load(self, files: Sequence[Path], graph: str | None = None) -> None:
        """Bulk-load ``files`` (into ``graph``, else the default graph); the server is stopped."""
        argv = [str(OXIGRAPH), "load", "--location", str(self.location)]
        argv += [arg for file in files for arg in ("--file", str(file))]
        argv += ["--graph", graph] if graph else []
        subprocess.run(argv, check=True, capture_output=True)

    def start(self) -> None:
        argv = [str(OXIGRAPH), "serve", "--location", str(self.location)]
        argv += ["--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url, params={"query": "ASK {}"}, timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def update(self, text: str) -> None:
        """Run a SPARQL update (the test's own writes; the service never writes)."""
        response = httpx.post(
            f"{self.base}/update",
            content=text.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        response.raise_for_status()


@contextmanager
def running_oxigraph(
    location: Path, files: Sequence[Path], graph: str | None = None
) -> Iterator[Oxigraph]:
    """An Oxigraph server loaded with ``files``, stopped on exit."""
    store = Oxigraph(location)
    store.load(files, graph)
    store.start()
    try:
        yield store
    finally:
        store.stop()


@dataclass
class Hostile:
    """How the hostile store answers: ``mode`` is one of ``slow`` (sleeps ``delay`` s,
    then proxies to ``upstream``), ``endless`` (N-Triples forever), ``html`` (a web page),
    ``proxy`` (to ``upstream`` at once); ``seen`` keeps each request's headers."""

    mode: str = "proxy"
    delay: float = 0.0
    upstream: str = ""
    seen: list[dict[str, str]] = field(default_factory=list)


def _handler(hostile: Hostile) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return None

        def do_POST(self) -> None:
            hostile.seen.append(dict(self.headers))
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                self._answer(body)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client stopped reading: what a bounded client does

        def _answer(self, body: bytes) -> None:
            if hostile.mode == "html":
                self._send(200, "text/html", b"<html><body>Log in</body></html>")
            elif hostile.mode == "endless":
                self._endless("n-triples" in self.headers.get("Accept", "").split(",")[0])
            else:
                time.sleep(hostile.delay if hostile.mode == "slow" else 0)
                self._proxy(body)

        def _endless(self, graph: bool) -> None:
            """An answer that never ends, of the kind asked for (no Content-Length)."""
            self.send_response(200)
            kind = "application/n-triples" if graph else "application/sparql-results+json"
            self.send_header("Content-Type", kind)
            self.end_headers()
            if graph:
                row = b'<http://example.org/s> <http://example.org/p> "%d" .\n'
            else:
                self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[')
                row = b'{"s":{"type":"uri","value":"http://example.org/%d"}},'
            for n in range(10**9):
                self.wfile.write(row % n)

        def _proxy(self, body: bytes) -> None:
            headers = {k: v for k, v in self.headers.items() if k.lower() in _FORWARDED}
            try:
                answer = httpx.post(hostile.upstream, content=body, headers=headers, timeout=60)
            except httpx.HTTPError:
                self._send(502, "text/plain", b"the store behind this proxy is down")
                return
            self._send(answer.status_code, answer.headers.get("content-type", ""), answer.content)

        def _send(self, status: int, media_type: str, content: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    return Handler


_FORWARDED = frozenset({"content-type", "accept"})


@contextmanager
def hostile_store(hostile: Hostile) -> Iterator[str]:
    """A store answering as ``hostile`` says, in a thread; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hostile))
    server.daemon_threads = True
    with serving(server) as url:
        yield f"{url}/query"


VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@contextmanager
def running_virtuoso(location: Path, files: Sequence[Path], graph: str) -> Iterator[str]:
    """A Virtuoso server (Debian's ``virtuoso-opensource``) in ``location`` with ``files``
    loaded into ``graph``; yields its SPARQL endpoint. Its default graph is the union of
    every graph, its own system graphs included, so it is read through ``graph``."""
    assert VIRTUOSO is not None
    sql, http = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8")
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(location))
    ini = re.sub(r"(?m)^ServerPort(\s*)= 1111$", rf"ServerPort\g<1>= {sql}", ini)
    ini = re.sub(r"(?m)^ServerPort(\s*)= 8890$", rf"ServerPort\g<1>= {http}", ini)
    allowed = ", ".join([".", str(location), *{str(f.parent) for f in files}])
    ini = re.sub(r"(?m)^DirsAllowed(\s*)= (.*)$", rf"DirsAllowed\g<1>= {allowed}, \g<2>", ini)
    config = location / "virtuoso.ini"
    config.write_text(ini, encoding="utf-8")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(config)],
        cwd=location, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{http}/sparql"
    try:
        _wait_for(url, 180)
        for file in files:
            load = f"DB.DBA.TTLP_MT(file_to_string_output('{file}'), '', '{graph}');"
            isql = [str(Path(VIRTUOSO).with_name("isql-vt")), str(sql), "dba", "dba"]
            subprocess.run([*isql, f"exec={load}"], check=True, capture_output=True)
        yield url
    finally:
        process.terminate()
        process.wait(60)


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"no SPARQL endpoint at {url}")
