"""Plain HTTP servers in a thread: another origin whose pages use the service, a fake store.

``serving`` runs any ``ThreadingHTTPServer`` on a free port for the length of a ``with``;
``static_origin`` fills a folder from page templates (``{{SERVICE}}`` becomes the service's
URL) and serves it with a handler that knows the service, as a council's site would.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serve ``server`` from a daemon thread; yields its base URL, shuts it down after."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def static_origin(
    templates: Path, folder: Path, handler: type[SimpleHTTPRequestHandler], service: str
) -> Iterator[str]:
    """The pages of ``templates`` with ``{{SERVICE}}`` filled in, served from ``folder`` by
    a subclass of ``handler`` whose ``service`` attribute is the service's URL."""
    for template in templates.iterdir():
        text = template.read_text(encoding="utf-8").replace("{{SERVICE}}", service)
        (folder / template.name).write_text(text, encoding="utf-8")
    bound = type("Handler", (handler,), {"service": service})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(bound, directory=str(folder)))
    with serving(server) as url:
        yield url
