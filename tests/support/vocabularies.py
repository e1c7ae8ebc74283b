"""Small SKOS Turtle vocabularies for tests, and a seeded generator of large ones.

``generate_vocabulary`` is also what the benchmarks load: one scheme, a few top concepts, a
broader/narrower tree stated in both directions, related links, alternative labels,
definitions, examples, notations and an ordered collection, at about 7 triples a concept.
"""

from __future__ import annotations

import random

PREFIXES = """\
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix iso-thes: <http://purl.org/iso25964/skos-thes#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix gloss: <https://w3id.org/engagement-glossary/def/> .
@prefix ex: <http://example.org/> .
"""

#: Hierarchy stated only with skos:narrower, a partitive pair, a related link, a cycle-free
#: polyhierarchy (D under both B and C) and labels in two languages.
SMALL = (
    PREFIXES
    + """
ex:scheme a skos:ConceptScheme ;
    dct:title "Example scheme"@en , "Cynllun enghreifftiol"@cy ;
    dct:description "A small scheme for tests."@en ;
    owl:versionInfo "1.2" ;
    dct:issued "2024-01-01" ;
    dct:modified "2024-06-30" ;
    dct:creator ex:alice , "Bob Builder" ;
    dct:publisher ex:org ;
    dct:license <https://creativecommons.org/licenses/by/4.0/> ;
    dct:rights "CC BY 4.0"@en ;
    dct:bibliographicCitation "Example (2024). Example scheme."@en ;
    dct:source <https://example.org/report> ;
    skos:note "Made for tests."@en ;
    dct:language <http://id.loc.gov/vocabulary/iso639-1/en> ;
    skos:hasTopConcept ex:A .
ex:alice foaf:name "Alice Author" .
ex:org rdfs:label "Example Organisation"@en .

ex:A a skos:Concept ; skos:inScheme ex:scheme ;
    skos:prefLabel "Animals"@en , "Anifeiliaid"@cy ;
    skos:narrower ex:B , ex:C .
ex:B a skos:Concept ; skos:inScheme ex:scheme ;
    skos:prefLabel "Birds"@en ; skos:altLabel "Avians"@en ;
    skos:definition "Feathered animals that lay eggs."@en ;
    skos:narrower ex:D ;
    skos:related ex:E .
ex:C a skos:Concept ; skos:inScheme ex:scheme ;
    skos:prefLabel "Chickens"@en ; skos:hiddenLabel "chikens"@en ;
    skos:narrower ex:D ;
    iso-thes:narrowerPartitive ex:F .
ex:D a skos:Concept ; skos:inScheme ex:scheme ;
    skos:prefLabel "Domestic birds"@en ;
    skos:notation "D-1" ;
    skos:example "Hens."@en ;
    dct:source "Field guide, p. 3" ;
    rdfs:seeAlso <https://example.org/see> ;
    skos:exactMatch <https://other.example/dom> .
ex:E a skos:Concept ; skos:inScheme ex:scheme ;
    skos:prefLabel "Eggs"@en , "Wyau"@cy ;
    skos:definition [ rdf:value "Ova laid by birds."@en ; dct:source <https://example.org/eggs> ] .
ex:F a skos:Concept ; skos:inScheme ex:scheme ;
    skos:prefLabel "Feathers"@en .
"""
)

#: A second scheme whose concepts share local names with ``SMALL`` (``ex2:A`` vs ``ex:A``).
COLLIDING = (
    PREFIXES
    + """
@prefix ex2: <http://example.com/other#> .
ex2:scheme a skos:ConceptScheme ; skos:prefLabel "Other scheme"@fr .
ex2:A a skos:Concept ; skos:topConceptOf ex2:scheme ; skos:prefLabel "Arbres"@fr .
ex2:B a skos:Concept ; skos:inScheme ex2:scheme ; skos:prefLabel "Bouleaux"@fr ;
    skos:broader ex2:A .
"""
)

#: A broader cycle A -> B -> A under a top concept T, and a self-contained cycle X <-> Y.
CYCLE = (
    PREFIXES
    + """
ex:scheme a skos:ConceptScheme ; dct:title "Cycles"@en .
ex:T a skos:Concept ; skos:topConceptOf ex:scheme ; skos:prefLabel "Top"@en .
ex:A a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Alpha"@en ;
    skos:broader ex:B , ex:T .
ex:B a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Beta"@en ; skos:broader ex:A .
ex:X a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Ex"@en ; skos:broader ex:Y .
ex:Y a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Why"@en ; skos:broader ex:X .
"""
)

#: Ordered and unordered collections, a nested collection and a cyclic rdf:List.
COLLECTIONS = (
    PREFIXES
    + """
ex:scheme a skos:ConceptScheme ; dct:title "Collections"@en .
ex:one a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "One"@en .
ex:two a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Two"@en .
ex:three a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Three"@en .
ex:countdown a skos:OrderedCollection ; skos:prefLabel "Countdown"@en ;
    skos:memberList ( ex:three ex:two ex:one ) .
ex:numbers a skos:Collection ; rdfs:label "Numbers"@en ;
    skos:member ex:two , ex:one , ex:three , ex:countdown .
ex:loop a skos:OrderedCollection ; skos:prefLabel "Loop"@en ; skos:memberList _:l1 .
_:l1 rdf:first ex:one ; rdf:rest _:l2 .
_:l2 rdf:first ex:two ; rdf:rest _:l1 .
"""
)

#: The glossary extension: distinctions, criteria, stances and roles; a Concept subclass.
EXTENSION = (
    PREFIXES
    + """
ex:scheme a skos:ConceptScheme ; dct:title "Extension"@en ; dct:language "en" .
ex:Term rdfs:subClassOf skos:Concept .
ex:design a ex:Term ; skos:inScheme ex:scheme ; skos:prefLabel "Co-design"@en ;
    gloss:recognitionCriterion "People design it together."@en ;
    gloss:stance "We design with you."@en ;
    gloss:roles "The organisation and people share design."@en ;
    gloss:distinction [ a gloss:Distinction ; gloss:distinctionTarget ex:production ;
        gloss:reason "Co-design covers design only."@en ] .
ex:production a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Co-production"@en .
_:blank a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Anonymous"@en .
"""
)

_SYLLABLE_TEXT = (
    "ba be bi bo bu ca ce co cu da de di do fa fe fi fo ga ge go la le li lo lu ma me mi mo "
    "na ne ni no pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi vo za zo "
    "bar ber cor dan fen gor hal ken lim mor nal per quin ros sil tan ver wil xan yor zel"
)
_DOMAIN_TEXT = (
    "community engagement consultation participation co-production co-design information "
    "policy health education service planning citizen public research evaluation housing "
    "transport water energy youth older people carers volunteers network council budget "
    "assessment strategy governance partnership wellbeing equality inclusion access data "
    "digital rural urban local national regional training practice standard quality risk"
)
_FILLER_TEXT = "the of a and to in for with by that which is are as on or from its their"
_WELSH_TEXT = "cymuned ŵyl dŵr tŷ ymgysylltu cyfranogiad gwybodaeth iechyd addysg pŵer"
_SYLLABLES, _DOMAIN = _SYLLABLE_TEXT.split(), _DOMAIN_TEXT.split()
_FILLER, _WELSH = _FILLER_TEXT.split(), _WELSH_TEXT.split()


def _words(rng: random.Random, count: int) -> list[str]:
    """Domain words plus ``count`` pronounceable pseudo-words."""
    made = {"".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(count)}
    return _DOMAIN + sorted(made)


def _label(rng: random.Random, words: list[str], seen: set[str]) -> str:
    """A unique 1-3 word label."""
    while True:
        label = " ".join(rng.choices(words, k=rng.choice((1, 2, 2, 2, 3, 3))))
        if label not in seen:
            seen.add(label)
            return label


def _concept(i: int, parent: int | None, rng: random.Random, words: list[str], label: str) -> str:
    """The Turtle block of concept ``i`` (without the ``skos:narrower`` stated on its parent)."""
    lines = [f"ex:c{i} a skos:Concept ;", f'  skos:prefLabel "{label.capitalize()}"@en ;']
    if parent is None:
        lines.append("  skos:topConceptOf ex:scheme ;")
    else:
        lines += ["  skos:inScheme ex:scheme ;", f"  skos:broader ex:c{parent} ;"]
    definition = " ".join(rng.choices(words[:60] + _FILLER * 4, k=rng.randint(8, 18)))
    lines.append(f'  skos:definition "{definition.capitalize()}."@en ;')
    roll = rng.random()
    if roll < 0.4:
        lines.append(f'  skos:altLabel "{" ".join(rng.choices(words, k=2))}"@en ;')
    if roll > 0.7:
        lines.append(f'  skos:notation "{i:06d}" ;')
    if roll < 0.2:
        lines.append(f'  skos:prefLabel "{" ".join(rng.choices(_WELSH, k=2))} {i}"@cy ;')
    if 0.4 < roll < 0.55 and i > 1:
        lines.append(f"  skos:related ex:c{rng.randrange(i)} ;")
    if 0.55 < roll < 0.6:
        lines.append(f'  skos:example "For example {rng.choice(words)}."@en ;')
    if 0.6 < roll < 0.65:
        lines.append(f'  skos:hiddenLabel "{label.replace(" ", "")}"@en ;')
    return "\n".join(lines)[:-2] + " .\n"


def generate_vocabulary(n_concepts: int, seed: int = 0) -> str:
    """A realistic synthetic SKOS vocabulary of ``n_concepts`` concepts as Turtle.

    Deterministic for a given seed; roughly 7.2 triples per concept.
    """
    rng = random.Random(seed)
    words = _words(rng, max(50, n_concepts // 8))
    tops = max(1, min(12, n_concepts // 10))
    seen: set[str] = set()
    parts = [PREFIXES, 'ex:scheme a skos:ConceptScheme ; dct:title "Synthetic"@en .\n']
    children: dict[int, list[int]] = {}
    for i in range(n_concepts):
        parent = None if i < tops else rng.randrange(i)
        if parent is not None:
            children.setdefault(parent, []).append(i)
        parts.append(_concept(i, parent, rng, words, _label(rng, words, seen)))
    parts += [
        f"ex:c{p} skos:narrower {', '.join(f'ex:c{c}' for c in cs)} .\n"
        for p, cs in children.items()
    ]
    members = " ".join(f"ex:c{i}" for i in range(0, n_concepts, max(1, n_concepts // 50)))
    parts.append(
        f'ex:sample a skos:OrderedCollection ; skos:prefLabel "Sample"@en ;\n'
        f"  skos:memberList ( {members} ) .\n"
    )
    return "".join(parts)
