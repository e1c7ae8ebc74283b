"""Protocols other communities already have clients for, each a thin projection of the read
model in its own package: Skosmos REST v1, the W3C Reconciliation Service API, FHIR R4
terminology and the Model Context Protocol (issue 14).

Each answers from the snapshot's ``Index`` (no per-request RDF) with the limits, caching and
CORS of the rest of the service. May import ``api.widgets``, ``api.pages``, the surfaces
(``api.rest``, ``api.graphql``, ``api.sparql``), ``api.payloads``, ``api.rdf``, ``api.http``,
``api.runtime``, ``api.build`` and below; the protocol packages do not import each other.
"""
