"""The Model Context Protocol (MCP) server, read-only, on the official ``mcp`` SDK: tools
``define``, ``lookup``, ``search``, ``compare``, ``spectrum`` and ``annotate``, and concepts
as resources by IRI; over stdio (``glossary mcp``) and streamable HTTP (``/mcp``).

Modules, lowest first: ``answers`` (what each tool says: pure projections of one snapshot,
each citing IRIs and the vocabulary version), ``server`` (the SDK server, its tools and
resources, argument limits), ``http`` (the ``/mcp`` endpoint: session manager, Origin check)
and ``stdio`` (``glossary mcp``). ``import mcp`` here still means the SDK: this package is
``api.protocols.mcp``.
"""

from __future__ import annotations

from api.protocols.mcp.http import Endpoint
from api.protocols.mcp.stdio import serve_stdio

__all__ = ["Endpoint", "serve_stdio"]
