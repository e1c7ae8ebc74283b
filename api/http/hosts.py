"""Which origin absolute URLs are built on: the configured public base URL, never the Host
header a client chose.

Links, ``Link`` headers, redirects, VoID, oEmbed, cards and paging are all built with
``request.url_for`` / ``request.base_url``, which Starlette reads from the ASGI scope (the
``host`` header first). :class:`HostMiddleware` runs before routing: with a public base URL
it rewrites the scope's scheme, server, root path and ``host`` header from it, so every
URL follows whatever the request said; without one, only hosts in ``allowed_hosts`` are
answered and any other is a 400, so a shared cache can never be taught a foreign origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from api.http.errors import BadRequest
from api.http.security import raw_problem
from api.settings import Settings

_DEFAULT_PORTS = {"http": 80, "https": 443}


class HostNotAllowed(BadRequest):
    slug, title = "host-not-allowed", "Host not allowed"


@dataclass(frozen=True)
class Origin:
    """A public base URL taken apart as the ASGI scope holds it."""

    scheme: str
    host: bytes  # the Host header: name and, unless the scheme's default, port
    server: tuple[str, int]
    root_path: str  # "" or "/prefix", without the trailing slash

    @classmethod
    def of(cls, base_url: str) -> Origin:
        parts = urlsplit(base_url)
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise ValueError(f"'{base_url}' is not an absolute http(s) URL")
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
        return cls(
            scheme=parts.scheme,
            host=parts.netloc.rpartition("@")[2].lower().encode("ascii"),
            server=(parts.hostname, port),
            root_path=parts.path.rstrip("/"),
        )

    def rebase(self, scope: Scope) -> Scope:
        """``scope`` as if the request had come to this origin. ``path`` is always the route's
        (a proxy may pass the base URL's path on or strip it), so what matches on paths
        (routes, security headers, rate limits) sees one path; ``url_for`` adds the root path."""
        headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
        headers.append((b"host", self.host))
        path, raw_path = scope["path"], scope.get("raw_path")
        if self.root_path and _under(path, self.root_path):
            path = path[len(self.root_path) :] or "/"
            prefix = self.root_path.encode()
            if raw_path is not None and raw_path.startswith(prefix):
                raw_path = raw_path[len(prefix) :] or b"/"
        return {
            **scope,
            "scheme": self.scheme,
            "server": self.server,
            "root_path": self.root_path,
            "path": path,
            "raw_path": raw_path,
            "headers": headers,
        }


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def host_name(value: bytes) -> str:
    """The name in a Host header, without its port: ``[::1]:8000`` → ``[::1]``."""
    text = value.decode("latin-1").strip().lower()
    if text.startswith("["):
        return text.partition("]")[0] + "]"
    return text.partition(":")[0]


class HostMiddleware:
    """Rebases every request on the public base URL, or refuses hosts not allowed."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        base = settings.public_base_url
        self.origin = Origin.of(base) if base is not None else None
        self.allowed = frozenset(settings.allowed_hosts)
        #: Host header values seen to be allowed and already in lower case, so that the
        #: common request passes with one look at its headers (bounded: ports vary).
        self.known: set[bytes] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
        elif self.origin is not None:
            await self.app(self.origin.rebase(scope), receive, send)
        elif _only_host(scope) in self.known:
            await self.app(scope, receive, send)
        elif self.allows(scope):
            self.remember(scope)
            await self.app(_lower_host(scope), receive, send)
        else:
            problem = HostNotAllowed("This service does not answer for that host.")
            headers, body = raw_problem(problem, scope.get("scheme") == "https")
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": body})

    def allows(self, scope: Scope) -> bool:
        hosts = [value for name, value in scope["headers"] if name == b"host"]
        return len(hosts) == 1 and host_name(hosts[0]) in self.allowed

    def remember(self, scope: Scope) -> None:
        """Keep an allowed Host value for the quick path, if it is already in lower case."""
        host = _only_host(scope)
        if host is not None and host == host.lower() and len(self.known) < KNOWN_HOSTS:
            self.known.add(host)


#: Allowed Host values remembered for the quick path (one per name and port in use).
KNOWN_HOSTS = 64


def _only_host(scope: Scope) -> bytes | None:
    """The request's one Host value, or ``None`` when it has none or several."""
    found = None
    for name, value in scope["headers"]:
        if name == b"host":
            if found is not None:
                return None
            found = value
    return found


def _lower_host(scope: Scope) -> Scope:
    """Host names are case-insensitive: one spelling per host, so spellings cannot multiply
    the entries of caches keyed on the origin."""
    headers = scope["headers"]
    if all(value == value.lower() for name, value in headers if name == b"host"):
        return scope
    lowered = [(k, v.lower() if k == b"host" else v) for k, v in headers]
    return {**scope, "headers": lowered}
