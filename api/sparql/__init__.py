"""``/sparql``: the read-only SPARQL 1.1 Protocol over the loaded vocabulary.

``endpoint`` reads the protocol's parameters and answers; ``pool`` keeps worker processes
(a runtime service, one pool per snapshot) that are killed when a query overruns its time;
``worker`` checks, evaluates and serialises a query inside one; ``results`` writes SPARQL
JSON, XML, CSV and TSV; ``forwarding`` answers from the store instead when a SPARQL endpoint
is the vocabulary's source (checked and capped the same). May import ``api.rdf``,
``api.http``, ``api.runtime`` and below.
"""
