"""The Model Context Protocol (MCP) server, read-only, on the official ``mcp`` SDK: tools
``define``, ``lookup``, ``search``, ``compare``, ``spectrum`` and ``annotate``, and concepts
as resources by IRI; over stdio (``glossary mcp``) and streamable HTTP (``/mcp``).

Modules, lowest first: ``answers`` (what each tool says: pure projections of one snapshot,
each citing IRIs and the vocabulary version), ``namespaces`` (the concepts' IRI namespaces
the resources are made from), ``server`` (the SDK server, its tools and resources, argument
limits), ``sessions`` (the server's HTTP session manager), ``http`` (the ``/mcp`` endpoint:
Origin check, the manager started on the first request) and ``stdio`` (``glossary mcp``).

Importing this package (as ``api.app`` does) imports nothing of the SDK: it costs 0.5 s and
49 MB, which only ``server``, ``sessions`` and ``stdio`` pay, on first use.
``import mcp`` here still means the SDK: this package is ``api.protocols.mcp``.
"""

from __future__ import annotations

from api.protocols.mcp.http import Endpoint

__all__ = ["Endpoint"]
