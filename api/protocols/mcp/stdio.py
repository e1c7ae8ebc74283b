"""``glossary mcp``: the MCP server over stdio, for a desktop assistant that starts it.

The vocabulary is loaded (and checked) as ``glossary serve`` loads it, before the first
message is read; progress goes to stderr, since stdout carries the protocol.
"""

from __future__ import annotations

import sys

import anyio

from api.build.isolation import LoadLimits
from api.protocols.mcp.server import build_server
from api.runtime.reload import source_of
from api.runtime.serving import CacheSizes, Runtime
from api.runtime.snapshot import load_snapshot
from api.settings import Settings


def _progress(message: str) -> None:
    print(f"glossary: {message}", file=sys.stderr, flush=True)


def serve_stdio(settings: Settings) -> None:
    """Load the vocabulary, then answer MCP on stdin/stdout until the client closes it."""
    snapshot = load_snapshot(
        source_of(settings), _progress, limits=LoadLimits.from_settings(settings)
    )
    runtime = Runtime(snapshot, sizes=CacheSizes.from_settings(settings))
    server = build_server(lambda: runtime.current, settings)
    _progress(f"mcp: ready on stdio: {snapshot.index.concept_count} concepts")
    try:
        anyio.run(server.run_stdio_async)
    finally:
        runtime.close()
