"""Linked data: each resource's RDF, whole-scheme dumps, VoID, our ontology, IRI resolution.

``descriptions`` reads a resource's concise bounded description from the store and
serialises it (Turtle, JSON-LD, RDF/XML, N-Triples), once per snapshot; ``void`` describes
the dataset; ``routes`` holds the endpoints (documents, dumps, the ontology) and the
router's default handler that resolves IRI paths. May import ``api.http``,
``api.runtime``, ``api.build`` and below; no surface.
"""
