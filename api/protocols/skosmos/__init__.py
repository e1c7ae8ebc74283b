"""Skosmos REST API v1 at ``/rest/v1/`` (issue 14): the paths, parameters, keys, ``@context``
and status codes Skosmos 2.x/3.x answers with (``../shared/reference/skosmos-rest-v1.md``),
so that skosmos-client, cocoda-sdk and Skosmos-based widgets work against this service.
A Skosmos vocabulary (``vocid``) is one of our concept schemes, named by its id.

Modules, lowest first: ``responses`` (JSON answers with ETags, problems with Skosmos's
messages), ``parameters`` (vocid, ``uri``, ``lang``, the limits), ``shapes`` (contexts and
projections of records onto Skosmos's objects), ``facts`` (per-vocabulary statistics and
the alphabetical index, made once per snapshot), ``matching`` (``*`` patterns over the
search index), the endpoints (``vocabularies``, ``concepts``, ``finding``, ``data``) and
``routes`` (the mount). Everything is answered from the snapshot's ``Index`` and the RDF
descriptions ``api.rdf`` prepares. May import what ``api.protocols`` may (``api.rdf``,
``api.payloads``, ``api.http``, ``api.runtime``, ``api.build`` and below), never another
protocol package. docs/protocols.md.
"""

from __future__ import annotations

from api.protocols.skosmos.routes import mount

__all__ = ["mount"]
