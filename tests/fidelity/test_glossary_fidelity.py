"""The vocabulary says what the seed glossary says, word for word, and nothing it doesn't.

Every expectation comes from ``seed_table.py``, written from the seed text alone. Texts
are compared whitespace-normalised, with the seed's markup (``**bold**``, ``<u>``, the
footnote ``*``) stripped and enclosing double quotes ignored (a quotation may be kept as
a quotation or not); equality checks forgive nothing else. The containment checks
(coverage, "nothing invented", mentions) also ignore case and a final full stop, so that a
sentence may begin a list item or end a label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from .seed_table import (
    COLLECTION_SPECS,
    COLLECTIONS,
    CONCEPTS,
    EXAMPLES_PREFIX,
    EXCLUDED_LINES,
    LINE_REWRITES,
    SCHEME,
    SCHEME_AUTHOR,
    SCHEME_ISSUED,
    SCHEME_TITLE,
    SCHEME_VERSION,
    SEED_FILE,
    SEED_LINES,
    TERMS,
    TOP_CONCEPTS,
    CollectionSpec,
    Term,
)

GLOSS = Namespace("https://w3id.org/engagement-glossary/def/")
ISO_THES = Namespace("http://purl.org/iso25964/skos-thes#")
# The seed as the project shares it, beside the repository (CI checks out ../shared too).
SHARED_SEED = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "seed"
    / "glossary-of-engagement-terminology.txt"
)
SCHEME_IRI = URIRef(SCHEME)
TERM_BY_SLUG = {term.slug: term for term in TERMS}

# Texts that are about the model rather than the glossary, or checked exactly elsewhere.
_NOT_GLOSSARY_TEXT = frozenset(
    {SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.editorialNote, SKOS.changeNote}
)
# A sentence ends at . ! or ? (possibly followed by a closing quote or bracket) before a
# capital, an opening quote or an opening bracket: "etc. - depending" and "i.e. a stake" stay.
_SENTENCE_END = re.compile(r"""(?:(?<=[.!?])|(?<=[.!?]["')]))\s+(?=["'(]?[A-Z])""")
_PIECE_SEPARATORS = re.compile(r"\n|\t|: |; |(?:^|\s)[-\u2022] ")


def norm(text: str) -> str:
    """Whitespace-normalise and strip the seed's markup."""
    for markup in ("<u>", "</u>", "^{*}", "*"):
        text = text.replace(markup, "")
    return " ".join(text.split())


def bare(text: str) -> str:
    """``norm`` without enclosing double quotes."""
    return norm(text).strip('"').strip()


def clean(sentence: str) -> str:
    """A sentence without enclosing brackets or quotes."""
    sentence = sentence.strip()
    if sentence.startswith("(") and sentence.endswith(")"):
        sentence = sentence[1:-1]
    return sentence.strip('"').strip()


def key(text: str) -> str:
    """The form in which containment is tested: case-folded, no final full stop."""
    return clean(norm(text)).removesuffix(".").casefold()


def sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph (a tab separates cells of the spectrum diagram)."""
    found: list[str] = []
    for cell in paragraph.split("\t"):
        found.extend(clean(s) for s in _SENTENCE_END.split(norm(cell)))
    return [s for s in found if s]


def _seed_sentences() -> list[str]:
    """Every sentence of the seed body, after the exclusions and rewrites of the table."""
    found: list[str] = []
    for raw in SEED_LINES:
        line = raw.strip()
        if not line or line in EXCLUDED_LINES:
            continue
        for pattern, replacement in LINE_REWRITES:
            line = re.sub(pattern, replacement, line)
        if line.startswith(EXAMPLES_PREFIX):
            items = line.removeprefix(EXAMPLES_PREFIX).removesuffix(".").split("; ")
            found.extend(items)
        else:
            found.extend(sentences(line))
    return found


SEED_TEXT = "\n".join(SEED_LINES)
SEED_NORM = norm(SEED_TEXT)
SEED_SENTENCES = _seed_sentences()


def _term_id(term: Term) -> str:
    return term.slug


def _texts_of(term: Term) -> Iterator[str]:
    yield from term.definitions + term.scope + term.mentions + term.criteria
    yield from term.criterion_list + term.roles
    yield from term.examples
    if term.stance:
        yield term.stance
    for distinction in term.distinctions:
        yield from distinction.anchors
        if distinction.reason:
            yield distinction.reason


def _symmetric_related() -> dict[str, frozenset[str]]:
    related: dict[str, set[str]] = {term.slug: set(term.related) for term in TERMS}
    for term in TERMS:
        for other in term.related:
            related[other].add(term.slug)
    return {slug: frozenset(others) for slug, others in related.items()}


RELATED = _symmetric_related()


# --- Reading the graph ---------------------------------------------------------------


def _label_key(label: str) -> str:
    return norm(label).casefold().removeprefix("the ")


@pytest.fixture(scope="session")
def concepts(glossary_graph: Graph) -> frozenset[Node]:
    return frozenset(glossary_graph.subjects(RDF.type, SKOS.Concept))


@pytest.fixture(scope="session")
def iris(glossary_graph: Graph, concepts: frozenset[Node]) -> dict[str, Node | None]:
    """The IRI of each table term: by slug, or by label where the slug was not given."""
    by_label = {
        _label_key(str(label)): concept
        for concept in concepts
        for label in glossary_graph.objects(concept, SKOS.prefLabel)
    }
    return {
        term.slug: URIRef(CONCEPTS + term.slug)
        if term.slug_fixed
        else by_label.get(_label_key(term.pref_label))
        for term in TERMS
    }


@pytest.fixture(scope="session")
def slugs(iris: dict[str, Node | None]) -> dict[Node, str]:
    """Table slug by IRI, so that relations read as slugs."""
    return {iri: slug for slug, iri in iris.items() if iri is not None}


def concept_of(term: Term, iris: dict[str, Node | None], concepts: frozenset[Node]) -> Node:
    iri = iris[term.slug]
    if iri is None or iri not in concepts:
        pytest.fail(f"{term.slug}: no skos:Concept for {term.pref_label!r}")
    return iri


def literals(graph: Graph, subject: Node, predicate: Node) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]


def texts(graph: Graph, subject: Node, predicate: Node) -> set[str]:
    return {bare(str(o)) for o in literals(graph, subject, predicate)}


def attached_literals(graph: Graph, subject: Node) -> Iterator[tuple[Node, Literal]]:
    """Literals of ``subject`` and of the blank nodes and distinctions hanging off it."""
    for predicate, value in graph.predicate_objects(subject):
        if isinstance(value, Literal):
            yield predicate, value
        elif isinstance(value, BNode) or predicate == GLOSS.distinction:
            for inner, literal in graph.predicate_objects(value):
                if isinstance(literal, Literal):
                    yield inner, literal


def linked(graph: Graph, subject: Node, forward: Node, inverse: Node) -> set[Node]:
    return set(graph.objects(subject, forward)) | set(graph.subjects(inverse, subject))


def as_slugs(nodes: Iterable[Node], slugs: dict[Node, str]) -> set[str]:
    return {slugs.get(node, str(node)) for node in nodes}


def pieces(text: str) -> list[str]:
    """A literal cut into sentences and list items, for the "nothing invented" check."""
    found: list[str] = []
    for part in _PIECE_SEPARATORS.split(text):
        found.extend(key(s) for s in sentences(part))
    return [p for p in found if p]


def distinctions(graph: Graph, subject: Node, slugs: dict[Node, str]) -> list[tuple[str, str]]:
    """``(target slug, reason)`` for each ``gloss:distinction`` node of ``subject``."""
    found: list[tuple[str, str]] = []
    for node in graph.objects(subject, GLOSS.distinction):
        targets = as_slugs(graph.objects(node, GLOSS.distinctionTarget), slugs)
        reasons = texts(graph, node, GLOSS.reason)
        assert (node, RDF.type, GLOSS.Distinction) in graph, f"{node} is no gloss:Distinction"
        assert len(targets) == 1, f"distinction {node} has targets {targets}"
        assert len(reasons) == 1, f"distinction {node} has reasons {reasons}"
        found.append((targets.pop(), reasons.pop()))
    return found


def source_texts(graph: Graph, subject: Node) -> list[str]:
    """Each ``dct:source``: a literal's text, or an IRI with the literals describing it."""
    found: list[str] = []
    for source in graph.objects(subject, DCTERMS.source):
        described = " ".join(str(o) for o in literals_of_node(graph, source))
        found.append(str(source) if isinstance(source, Literal) else f"{source} {described}")
    return found


def literals_of_node(graph: Graph, node: Node) -> list[Literal]:
    if isinstance(node, Literal):
        return []
    return [o for o in graph.objects(node, None) if isinstance(o, Literal)]


def collection_members(graph: Graph, collection: Node) -> list[Node] | None:
    """The ``skos:memberList`` of an ordered collection, or ``None`` if it has none."""
    heads = list(graph.objects(collection, SKOS.memberList))
    assert len(heads) <= 1, f"{collection} has {len(heads)} member lists"
    return list(Collection(graph, heads[0])) if heads else None


def collection_iris(graph: Graph) -> set[Node]:
    return set(graph.subjects(RDF.type, SKOS.Collection)) | set(
        graph.subjects(RDF.type, SKOS.OrderedCollection)
    )


def find_collection(graph: Graph, spec: CollectionSpec) -> Node | None:
    if spec.slug is not None:
        iri = URIRef(COLLECTIONS + spec.slug)
        return iri if iri in collection_iris(graph) else None
    wanted = {URIRef(CONCEPTS + slug) for slug in spec.members}
    matches = [
        c
        for c in graph.subjects(RDF.type, SKOS.OrderedCollection)
        if set(collection_members(graph, c) or ()) == wanted
    ]
    assert len(matches) <= 1, f"{len(matches)} ordered collections hold {spec.members}"
    return matches[0] if matches else None


# --- The table itself ----------------------------------------------------------------


def test_seed_fixture_is_the_shared_seed() -> None:
    """``seed.txt`` is the shared seed byte for byte; a missing shared copy is a failure."""
    assert SHARED_SEED.is_file(), f"the shared seed is missing: {SHARED_SEED}"
    assert SEED_FILE.read_bytes() == SHARED_SEED.read_bytes(), f"{SEED_FILE} is not {SHARED_SEED}"


def test_seed_lines_join_to_the_fixture() -> None:
    assert "\n".join(SEED_LINES).encode() == SEED_FILE.read_bytes()


def test_excluded_lines_are_seed_lines() -> None:
    lines = {line.strip() for line in SEED_LINES}
    assert sorted(EXCLUDED_LINES - lines) == []


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_table_texts_are_seed_text(term: Term) -> None:
    assert [text for text in _texts_of(term) if norm(text) not in SEED_NORM] == []


def test_table_references_only_table_terms() -> None:
    referenced = {
        slug
        for term in TERMS
        for slug in term.broader
        | term.broader_partitive
        | term.related
        | {d.target for d in term.distinctions}
    } | {slug for spec in COLLECTION_SPECS for slug in spec.members}
    assert sorted(referenced - TERM_BY_SLUG.keys()) == []


# --- Which concepts exist --------------------------------------------------------------


def test_no_table_term_is_missing(iris: dict[str, Node | None], concepts: frozenset[Node]) -> None:
    assert sorted(slug for slug, iri in iris.items() if iri not in concepts) == []


def test_nothing_invented(slugs: dict[Node, str], concepts: frozenset[Node]) -> None:
    assert sorted(str(c) for c in concepts if c not in slugs) == []


def test_collections_are_the_seed_collections(glossary_graph: Graph) -> None:
    found = {
        spec.slug or "spectrum": find_collection(glossary_graph, spec) for spec in COLLECTION_SPECS
    }
    assert sorted(name for name, iri in found.items() if iri is None) == []
    invented = collection_iris(glossary_graph) - set(found.values())
    assert sorted(str(c) for c in invented) == []


# --- Labels ----------------------------------------------------------------------------


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_pref_label(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    assert texts(glossary_graph, concept, SKOS.prefLabel) == {term.pref_label}


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_alt_labels(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    assert texts(glossary_graph, concept, SKOS.altLabel) == set(term.alt_labels)


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_no_hidden_labels(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    assert texts(glossary_graph, concept, SKOS.hiddenLabel) == set()


# --- Definitions and notes -------------------------------------------------------------


@pytest.mark.parametrize("term", [t for t in TERMS if t.definitions], ids=_term_id)
def test_seed_definitions_are_skos_definitions(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    actual = texts(glossary_graph, concept_of(term, iris, concepts), SKOS.definition)
    missing = [d for d in map(bare, term.definitions) if not any(a.startswith(d) for a in actual)]
    assert missing == [], f"definitions: {sorted(actual)}"


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_definitions_are_the_terms_own_seed_text(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    actual = texts(glossary_graph, concept_of(term, iris, concepts), SKOS.definition)
    passages = [bare(p) for p in term.definitions + term.scope + term.mentions]
    assert sorted(a for a in actual if not any(a in p for p in passages)) == []


@pytest.mark.parametrize("term", [t for t in TERMS if t.named_only], ids=_term_id)
def test_named_only_terms_have_no_definition(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    assert texts(glossary_graph, concept, SKOS.definition) == set()


@pytest.mark.parametrize("term", [t for t in TERMS if t.scope], ids=_term_id)
def test_scope_is_in_definition_or_scope_note(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    haystack = "\n".join(
        key(str(o))
        for predicate in (SKOS.definition, SKOS.scopeNote)
        for o in literals(glossary_graph, concept, predicate)
    )
    wanted = [s for p in term.scope for s in sentences(p)]
    assert [s for s in wanted if key(s) not in haystack] == []


@pytest.mark.parametrize("term", [t for t in TERMS if t.mentions], ids=_term_id)
def test_mentions_are_said_of_the_term(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    haystack = "\n".join(key(str(o)) for _, o in attached_literals(glossary_graph, concept))
    wanted = [s for p in term.mentions for s in sentences(p)]
    assert [s for s in wanted if key(s) not in haystack] == []


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_examples(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    actual = texts(glossary_graph, concept_of(term, iris, concepts), SKOS.example)
    assert actual == {bare(e) for e in term.examples}


# --- The extension ontology: distinctions, criteria, stances, roles --------------------


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_distinctions(
    term: Term,
    glossary_graph: Graph,
    iris: dict[str, Node | None],
    concepts: frozenset[Node],
    slugs: dict[Node, str],
) -> None:
    actual = distinctions(glossary_graph, concept_of(term, iris, concepts), slugs)
    assert sorted(t for t, _ in actual) == sorted(d.target for d in term.distinctions)
    for expected in term.distinctions:
        reason = next(r for t, r in actual if t == expected.target)
        if expected.reason is not None:
            assert reason == bare(expected.reason)
        else:
            assert any(a.casefold() in reason.casefold() for a in expected.anchors), reason
            assert norm(reason).casefold() in SEED_NORM.casefold(), reason


def _criterion_matches(actual: str, expected: str, items: tuple[str, ...]) -> bool:
    """Exactly the criterion, or the criterion followed by the list the seed gives with it."""
    stem = bare(expected)
    if actual == stem or not items or not actual.startswith(stem):
        return actual == stem
    rest = actual[len(stem) :].casefold()
    for item in items:
        rest = rest.replace(bare(item).removesuffix(".").casefold(), "", 1)
    return re.fullmatch(r"[\s:;,.\-\u2022]*", rest) is not None


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_recognition_criteria(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    actual = texts(glossary_graph, concept, GLOSS.recognitionCriterion)
    assert len(actual) == len(term.criteria), sorted(actual)
    for expected in term.criteria:
        assert any(_criterion_matches(a, expected, term.criterion_list) for a in actual), actual


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_stance(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    actual = texts(glossary_graph, concept_of(term, iris, concepts), GLOSS.stance)
    assert actual == ({bare(term.stance)} if term.stance else set())


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_roles(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    actual = [s for text in texts(glossary_graph, concept, GLOSS.roles) for s in sentences(text)]
    assert sorted(actual) == sorted(bare(r) for r in term.roles)


# --- Relations -------------------------------------------------------------------------


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_broader(
    term: Term,
    glossary_graph: Graph,
    iris: dict[str, Node | None],
    concepts: frozenset[Node],
    slugs: dict[Node, str],
) -> None:
    concept = concept_of(term, iris, concepts)
    actual = linked(glossary_graph, concept, SKOS.broader, SKOS.narrower)
    assert as_slugs(actual, slugs) == set(term.broader)


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_broader_partitive(
    term: Term,
    glossary_graph: Graph,
    iris: dict[str, Node | None],
    concepts: frozenset[Node],
    slugs: dict[Node, str],
) -> None:
    concept = concept_of(term, iris, concepts)
    actual = linked(glossary_graph, concept, ISO_THES.broaderPartitive, ISO_THES.narrowerPartitive)
    assert as_slugs(actual, slugs) == set(term.broader_partitive)


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_related(
    term: Term,
    glossary_graph: Graph,
    iris: dict[str, Node | None],
    concepts: frozenset[Node],
    slugs: dict[Node, str],
) -> None:
    concept = concept_of(term, iris, concepts)
    actual = linked(glossary_graph, concept, SKOS.related, SKOS.related)
    assert as_slugs(actual, slugs) == set(RELATED[term.slug])


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_in_scheme(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    assert set(glossary_graph.objects(concept, SKOS.inScheme)) == {SCHEME_IRI}


def test_top_concepts(glossary_graph: Graph, slugs: dict[Node, str]) -> None:
    tops = linked(glossary_graph, SCHEME_IRI, SKOS.hasTopConcept, SKOS.topConceptOf)
    assert as_slugs(tops, slugs) >= TOP_CONCEPTS
    with_broader = [
        s for s in as_slugs(tops, slugs) if s in TERM_BY_SLUG and TERM_BY_SLUG[s].broader
    ]
    assert with_broader == []


@pytest.mark.parametrize("spec", COLLECTION_SPECS, ids=lambda s: s.slug or "spectrum")
def test_collection_members(
    spec: CollectionSpec, glossary_graph: Graph, slugs: dict[Node, str]
) -> None:
    collection = find_collection(glossary_graph, spec)
    assert collection is not None, f"no collection {spec.slug or 'of the spectrum'}"
    listed = collection_members(glossary_graph, collection)
    members = set(glossary_graph.objects(collection, SKOS.member))
    if spec.ordered:
        assert (collection, RDF.type, SKOS.OrderedCollection) in glossary_graph
        assert listed is not None
    if listed is not None:
        assert [slugs.get(m, str(m)) for m in listed] == list(spec.members)
        assert members <= set(listed)
    else:
        assert as_slugs(members, slugs) == set(spec.members)


# --- Sources ---------------------------------------------------------------------------


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_sources(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    actual = source_texts(glossary_graph, concept_of(term, iris, concepts))

    def cites(text: str, patterns: tuple[str, ...]) -> bool:
        return all(re.search(p, text, re.IGNORECASE) for p in patterns)

    missing = [s.patterns for s in term.sources if not any(cites(a, s.patterns) for a in actual)]
    unsourced = [a for a in actual if not any(cites(a, s.patterns) for s in term.sources)]
    assert (missing, unsourced) == ([], [])


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_see_also(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    actual = {str(o) for o in glossary_graph.objects(concept, RDFS.seeAlso)}
    assert actual == set(term.see_also)


# --- Language and invention ------------------------------------------------------------


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_texts_are_english(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    concept = concept_of(term, iris, concepts)
    untagged = [
        (str(p), str(o))
        for p, o in attached_literals(glossary_graph, concept)
        if o.datatype is None and o.language != "en"
    ]
    assert untagged == []


def test_no_welsh(glossary_graph: Graph) -> None:
    welsh = [
        str(o)
        for o in glossary_graph.objects()
        if isinstance(o, Literal) and (o.language or "").lower().startswith("cy")
    ]
    assert welsh == []


def _invented(graph: Graph, subject: Node) -> list[str]:
    seed = SEED_NORM.casefold()
    return [
        f"{p}: {piece}"
        for p, o in attached_literals(graph, subject)
        if p not in _NOT_GLOSSARY_TEXT and o.datatype is None
        for piece in pieces(str(o))
        if piece not in seed
    ]


@pytest.mark.parametrize("term", TERMS, ids=_term_id)
def test_no_invented_text(
    term: Term, glossary_graph: Graph, iris: dict[str, Node | None], concepts: frozenset[Node]
) -> None:
    assert _invented(glossary_graph, concept_of(term, iris, concepts)) == []


def test_no_invented_text_on_collections(glossary_graph: Graph) -> None:
    invented = [i for c in collection_iris(glossary_graph) for i in _invented(glossary_graph, c)]
    assert invented == []


# --- Coverage: every sentence of the seed body is in the vocabulary --------------------


@pytest.fixture(scope="session")
def all_text(glossary_graph: Graph) -> str:
    return "\n".join(key(str(o)) for o in glossary_graph.objects() if isinstance(o, Literal))


@pytest.mark.parametrize("sentence", SEED_SENTENCES, ids=lambda s: s[:60])
def test_seed_sentence_is_in_vocabulary(sentence: str, all_text: str) -> None:
    if key(sentence) not in all_text:
        pytest.fail(f"in no literal of the vocabulary: {sentence!r}", pytrace=False)


# --- The scheme ------------------------------------------------------------------------


def test_scheme_title(glossary_graph: Graph) -> None:
    assert texts(glossary_graph, SCHEME_IRI, DCTERMS.title) == {SCHEME_TITLE}


def test_scheme_version(glossary_graph: Graph) -> None:
    assert {str(v) for v in glossary_graph.objects(SCHEME_IRI, OWL.versionInfo)} == {SCHEME_VERSION}


def test_scheme_issued(glossary_graph: Graph) -> None:
    assert {str(v) for v in glossary_graph.objects(SCHEME_IRI, DCTERMS.issued)} == {SCHEME_ISSUED}


@pytest.mark.parametrize("predicate", [DCTERMS.creator, DCTERMS.publisher], ids=str)
def test_scheme_author(glossary_graph: Graph, predicate: URIRef) -> None:
    agents = list(glossary_graph.objects(SCHEME_IRI, predicate))
    names = [
        " ".join([str(a)] + [str(o) for o in literals_of_node(glossary_graph, a)]) for a in agents
    ]
    assert len(names) == 1, names
    assert SCHEME_AUTHOR in names[0]
