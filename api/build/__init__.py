"""Start-up only: from vocabulary files to the immutable read model, with no web framework.

``files`` reads RDF files (Turtle, RDF/XML, N-Triples, JSON-LD) into a pyoxigraph store and
digests them; ``remote`` reads the same from a SPARQL endpoint in pages, and ``digest``
digests the triples themselves (the ETag root of a store); ``positions`` finds where a
term is written (file, line) for messages; ``triples`` reads the store one predicate at a
time; ``records`` turns triples into frozen records; ``search`` builds the search index;
``index`` assembles the immutable ``Index`` every surface answers from; ``annotator``
indexes labels for finding them in free text; ``admission`` decides whether a vocabulary
may be served. May import ``api.model``, ``api.namespaces``, ``api.languages`` and
``api.settings``; never Starlette or anything above (enforced by the import contract in
``pyproject.toml``).
"""
