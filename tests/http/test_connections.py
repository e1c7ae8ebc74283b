"""Limits at the edge, over raw sockets against ``glossary serve`` (a real uvicorn).

Each test speaks bytes, as a hostile or broken client would; what is asserted is what came
back and that the server closed the connection, never how long it took.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.server import running_server

pytestmark = pytest.mark.server

#: Short deadlines so the slow-client tests finish soon; the defaults are in the settings.
TIMEOUT = 2
MAX_CONNECTIONS = 8
#: Generous: the server must close well before this, even on a loaded machine.
SOCKET_TIMEOUT = 60


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    env = {
        "GLOSSARY_HEADER_TIMEOUT": str(TIMEOUT),
        "GLOSSARY_BODY_TIMEOUT": str(TIMEOUT),
        "GLOSSARY_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
    }
    command = [sys.executable, "-m", "api.cli", "serve", "--port", "{port}"]
    with running_server(env, command=command) as base:
        yield int(urlsplit(base).port or 0)


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(SOCKET_TIMEOUT)
    return sock


def send(sock: socket.socket, data: bytes) -> None:
    """Send ``data`` in pieces; a server that stops listening mid-way is not an error here."""
    for start in range(0, len(data), 1 << 20):
        try:
            sock.sendall(data[start : start + (1 << 20)])
        except (BrokenPipeError, ConnectionResetError):
            return


def until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes; fails if it keeps the connection open."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass  # closed with unread input: the kernel resets rather than finishes
    except TimeoutError:
        pytest.fail(f"the server kept the connection open; it sent {received[:200]!r}")
    finally:
        sock.close()
    return received


def exchange(port: int, data: bytes) -> bytes:
    sock = connect(port)
    send(sock, data)
    return until_closed(sock)


def status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def problem(reply: bytes) -> dict[str, object]:
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").lower().split("\r\n")
    assert "content-type: application/problem+json" in lines
    assert "x-content-type-options: nosniff" in lines
    assert "connection: close" in lines
    parsed: dict[str, object] = json.loads(body)
    return parsed


def test_a_32_mb_header_is_refused_or_cut(port: int) -> None:
    reply = exchange(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"a" * (32 << 20))
    # The server answers 431 as soon as the limit is passed and closes; the client may still
    # be sending, and then the kernel resets the connection and the 431 may be lost.
    assert reply == b"" or status(reply) == 431


def test_a_head_over_the_byte_limit_is_a_431_problem(port: int) -> None:
    reply = exchange(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"a" * 20_000)
    assert status(reply) == 431
    assert problem(reply)["status"] == 431


def test_too_many_header_lines_are_a_431(port: int) -> None:
    lines = b"".join(b"X-%d: y\r\n" % i for i in range(200))
    reply = exchange(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + lines + b"\r\n")
    assert status(reply) == 431


@pytest.mark.parametrize(
    "head",
    [
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n",
        b"GET /health HTTP/1.0\r\n\r\n",
        b"GET /health HTTP/1.1\r\n\r\n",
    ],
    ids=["two hosts", "no host, HTTP/1.0", "no host, HTTP/1.1"],
)
def test_a_request_needs_exactly_one_host(port: int, head: bytes) -> None:
    reply = exchange(port, head)
    assert status(reply) == 400
    assert problem(reply)["status"] == 400


def test_unreadable_http_is_a_400_problem_with_security_headers(port: int) -> None:
    reply = exchange(port, b"GET /health HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n")
    assert status(reply) == 400
    assert problem(reply)["type"] == "/problem-types/bad-request"


def test_a_slow_head_is_cut(port: int) -> None:
    reply = exchange(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    assert status(reply) == 408


def test_a_connection_that_sends_nothing_is_closed(port: int) -> None:
    assert status(until_closed(connect(port))) == 408


def test_a_declared_body_that_never_comes_is_cut(port: int) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Length: 10000000\r\n\r\nASK"
    )
    reply = exchange(port, head)
    assert status(reply) == 408
    assert problem(reply)["status"] == 408


def test_a_body_sent_with_its_head_is_read_whole(port: int) -> None:
    """The head limit counts only the head, however much body arrives with it."""
    text = b"We ran a consultation. " * 2000  # 46 KB, beyond the head limit
    head = (
        b"POST /annotate HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(text)
    )
    reply = exchange(port, head + text)
    assert status(reply) == 200, reply[:500]


def test_connections_over_the_cap_get_a_503(port: int) -> None:
    idle = [connect(port) for _ in range(MAX_CONNECTIONS)]
    try:
        reply = until_closed(connect(port))
        assert status(reply) == 503
        assert problem(reply)["status"] == 503
    finally:
        # The idle ones are answered 408 and closed in their turn.
        assert {status(until_closed(sock)) for sock in idle} <= {408, 503}


def test_no_server_header(port: int) -> None:
    response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=SOCKET_TIMEOUT)
    assert response.status_code == 200
    assert "server" not in response.headers


def test_keep_alive_requests_each_get_their_own_limits(port: int) -> None:
    """The head's byte count and Host count start again for each request on a connection."""
    request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"a" * 10_000 + b"\r\n\r\n"
    last = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    reply = exchange(port, request + request + last)
    assert reply.count(b"HTTP/1.1 200 OK") == 3
