"""IRIs of the RDF vocabularies the service reads and writes.

Plain strings, so that the read model and the loader share them without importing an RDF
library; ``rdf.py`` wraps them in library terms where it needs to.
"""

from __future__ import annotations

from typing import Final

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
SKOSXL: Final = "http://www.w3.org/2008/05/skos-xl#"
ISO_THES: Final = "http://purl.org/iso25964/skos-thes#"
DCT: Final = "http://purl.org/dc/terms/"
DC: Final = "http://purl.org/dc/elements/1.1/"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
PROV: Final = "http://www.w3.org/ns/prov#"
SCHEMA: Final = "https://schema.org/"
SH: Final = "http://www.w3.org/ns/shacl#"
VOID: Final = "http://rdfs.org/ns/void#"
DCAT: Final = "http://www.w3.org/ns/dcat#"

#: Our extension ontology for what SKOS lacks (``schema/glossary-ontology.ttl``).
GLOSS: Final = "https://w3id.org/engagement-glossary/def/"

#: The namespace of the shipped glossary's own resources.
GLOSSARY_NAMESPACE: Final = "https://w3id.org/engagement-glossary/"

RDF_TYPE: Final = RDF + "type"
RDF_FIRST: Final = RDF + "first"
RDF_REST: Final = RDF + "rest"
RDF_NIL: Final = RDF + "nil"

#: Vocabularies whose own terms (classes, properties, the ontology) are never concepts,
#: schemes or collections, even when a file embeds their definitions (STW embeds SKOS).
ONTOLOGY_NAMESPACES: Final = (SKOS, SKOSXL, OWL, RDF, RDFS)

PREFIXES: Final = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "iso-thes": ISO_THES,
    "dct": DCT,
    "foaf": FOAF,
    "prov": PROV,
    "gloss": GLOSS,
}
