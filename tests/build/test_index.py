"""The read model built from real pyoxigraph stores: ids, relations, closures, collections,
scheme metadata, lookups, and the shipped glossary."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import threading
from collections.abc import Callable
from typing import TypeVar

import pyoxigraph as ox
import pytest

from api.build.index import Index, Paths, build_index
from api.model import Distinction, Source, Text
from tests.support import ROOT
from tests.support.vocabularies import (
    COLLECTIONS,
    COLLIDING,
    CYCLE,
    EXTENSION,
    PREFIXES,
    SMALL,
    generate_vocabulary,
)

GLOSSARY = ROOT / "vocab" / "glossary.ttl"
T = TypeVar("T")


def index_of(*turtle: str) -> Index:
    store = ox.Store()
    for document in turtle:
        store.load(document.encode(), ox.RdfFormat.TURTLE)
    return build_index(store, digest="test-digest")


def within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``, failing the test instead of hanging if it does not return in time."""
    result: list[T] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"did not finish within {seconds} s"
    return result[0]


@pytest.fixture(scope="module")
def small() -> Index:
    return index_of(SMALL)


@pytest.fixture(scope="module")
def cycle() -> Index:
    return index_of(CYCLE)


@pytest.fixture(scope="module")
def collections() -> Index:
    return index_of(COLLECTIONS)


@pytest.fixture(scope="module")
def extension() -> Index:
    return index_of(EXTENSION)


@pytest.fixture(scope="module")
def glossary() -> Index:
    store = ox.Store()
    store.load(path=str(GLOSSARY), format=ox.RdfFormat.TURTLE)
    return build_index(store, digest="glossary")


# --- hierarchy ---------------------------------------------------------------------------


def test_hierarchy_stated_only_as_narrower_gives_broader(small: Index) -> None:
    concept = small.concept("B")
    assert concept is not None
    assert concept.broader == ("A",)
    assert small.concept("A").narrower == ("B", "C")  # type: ignore[union-attr]


def test_polyhierarchy_keeps_both_parents_and_every_path(small: Index) -> None:
    assert small.concept("D").broader == ("B", "C")  # type: ignore[union-attr]
    assert small.hierarchy("D") == Paths((("A", "B", "D"), ("A", "C", "D")))
    assert small.hierarchy("A") == Paths((("A",),))
    assert small.hierarchy("nope") == Paths(())


def test_transitive_closures_are_breadth_first_and_capped(small: Index) -> None:
    assert small.broader_transitive("D") == ("B", "C", "A")
    assert small.broader_transitive("D", max_depth=1) == ("B", "C")
    assert small.narrower_transitive("A") == ("B", "C", "D")
    assert small.narrower_transitive("A", max_depth=0) == ()
    assert small.broader_transitive("nope") == ()


def test_broader_cycle_does_not_hang_closures(cycle: Index) -> None:
    assert within(5, lambda: cycle.broader_transitive("A")) == ("B", "T")
    assert within(5, lambda: cycle.narrower_transitive("A")) == ("B",)
    assert within(5, lambda: cycle.broader_transitive("X")) == ("Y",)
    assert within(5, lambda: cycle.narrower_transitive("T")) == ("A", "B")


def test_broader_cycle_does_not_hang_hierarchy(cycle: Index) -> None:
    assert within(5, lambda: cycle.hierarchy("A")).paths == (("B", "A"), ("T", "A"))
    assert within(5, lambda: cycle.hierarchy("X")).paths == (("Y", "X"),)


def test_hierarchy_caps_the_number_of_paths() -> None:
    # Two parents at each of 8 levels: 256 paths to the bottom concept.
    lines = [
        PREFIXES,
        "ex:s a skos:ConceptScheme .",
        "ex:top a skos:Concept ; skos:inScheme ex:s .",
    ]
    below = "top"
    for level in range(8):
        for side in "ab":
            lines.append(f"ex:n{level}{side} a skos:Concept ; skos:broader ex:{below} .")
        lines.append(f"ex:j{level} a skos:Concept ; skos:broader ex:n{level}a , ex:n{level}b .")
        below = f"j{level}"
    index = index_of("\n".join(lines))
    assert len(index.hierarchy("j7").paths) == 100
    assert index.hierarchy("j7").cut
    assert len(index.hierarchy("j7", limit=300).paths) == 256
    assert not index.hierarchy("j7", limit=300).cut
    assert all(path[0] == "top" and path[-1] == "j7" for path in index.hierarchy("j7").paths)


def test_hierarchy_counts_every_concept_on_every_path() -> None:
    index = index_of(SMALL)
    # D's two paths hold six concepts: A, B, D and A, C, D.
    assert index.hierarchy("D", max_concepts=6) == Paths((("A", "B", "D"), ("A", "C", "D")))
    assert index.hierarchy("D", max_concepts=5) == Paths((("A", "B", "D"), ("C", "D")), cut=True)
    assert index.hierarchy("D", max_concepts=3) == Paths((("A", "B", "D"),), cut=True)
    assert index.hierarchy("D", max_concepts=1) == Paths((("D",),), cut=True)


def chain(depth: int) -> str:
    """A scheme whose concepts c0 ... c{depth} each have the previous one as broader."""
    lines = [PREFIXES, "ex:s a skos:ConceptScheme .", "ex:c0 a skos:Concept ; skos:inScheme ex:s ."]
    lines += [f"ex:c{i} a skos:Concept ; skos:broader ex:c{i - 1} ." for i in range(1, depth + 1)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def deep() -> Index:
    return index_of(chain(10_000))


def test_a_deep_chain_gives_the_nearest_concepts_up_to_the_cap(deep: Index) -> None:
    found = deep.hierarchy("c10000", max_concepts=200)
    assert found.cut
    assert found.paths == (tuple(f"c{i}" for i in range(9801, 10_001)),)
    assert found.concept_count == 200
    assert deep.broader_transitive("c10000", limit=201) == tuple(
        f"c{i}" for i in range(9999, 9798, -1)
    )
    assert deep.narrower_transitive("c0", limit=3) == ("c1", "c2", "c3")
    assert deep.narrower_transitive("c0", max_depth=2, limit=3) == ("c1", "c2")


def test_closures_stop_at_the_limit_within_a_level(small: Index) -> None:
    # A's two narrower concepts are one level: the limit cuts inside it.
    assert small.narrower_transitive("A", limit=1) == ("B",)
    assert small.narrower_transitive("A", limit=3) == ("B", "C", "D")
    assert small.narrower_transitive("A", limit=10) == ("B", "C", "D")


def test_partitive_and_related_both_ways(small: Index) -> None:
    assert small.concept("F").broader_partitive == ("C",)  # type: ignore[union-attr]
    assert small.concept("C").narrower_partitive == ("F",)  # type: ignore[union-attr]
    assert small.concept("E").related == ("B",)  # type: ignore[union-attr]
    assert small.concept("B").related == ("E",)  # type: ignore[union-attr]


def test_top_concepts_stated_or_inferred(small: Index, collections: Index) -> None:
    (scheme,) = small.schemes.values()
    assert scheme.top_concepts == ("A",)
    assert small.concept("A").top_concept_of == (scheme.id,)  # type: ignore[union-attr]
    (unstated,) = collections.schemes.values()
    assert unstated.top_concepts == ("one", "three", "two")


# --- identifiers and several schemes -----------------------------------------------------


def test_local_names_shared_across_vocabularies_are_qualified_by_scheme() -> None:
    index = index_of(SMALL, COLLIDING)
    first = index.concept_by_iri("http://example.org/A")
    second = index.concept_by_iri("http://example.com/other#A")
    assert first is not None
    assert second is not None
    schemes = {s.iri: s.id for s in index.schemes.values()}
    # Both schemes are named "scheme": their ids are hashed, and qualify the concepts' ids.
    assert first.id == schemes["http://example.org/scheme"] + "~A"
    assert second.id == schemes["http://example.com/other#scheme"] + "~A"
    assert index.ambiguous["A"] == tuple(sorted((first.id, second.id)))
    assert set(index.ambiguous) == {"A", "B"}  # ex:B and ex2:B too
    assert index.concept("A") is None  # ambiguous: the HTTP layer offers both
    for concept in (first, second):
        assert index.concept(concept.id) is concept
    assert index.concept("C") is not None  # unique local names stay as they are
    assert len(index.schemes) == 2
    assert all(s.id.startswith("scheme-") for s in index.schemes.values())


def test_ids_of_awkward_iris_are_sanitised() -> None:
    turtle = (
        PREFIXES
        + """
    <http://example.org/a%20b> a skos:Concept ; skos:prefLabel "Spaced"@en .
    <http://example.org/dir/> a skos:Concept ; skos:prefLabel "Slash"@en .
    <http://example.org/x.y> a skos:Concept ; skos:prefLabel "Dotted"@en .
    <http://example.org/t~1> a skos:Concept ; skos:prefLabel "Tilde"@en .
    <http://example.org/..> a skos:Concept ; skos:prefLabel "Dots"@en .
    <http://example.org/caf%C3%A9> a skos:Concept ; skos:prefLabel "Café"@en .
    """
    )
    index = index_of(turtle)
    ids = {c.iri: c.id for c in index.concepts.values()}
    digest = hashlib.sha256(b"http://example.org/a%20b").hexdigest()[:8]
    assert ids["http://example.org/a%20b"] == "a20b-" + digest
    assert ids["http://example.org/x.y"] == "x.y"  # unreserved: kept as it is
    assert ids["http://example.org/t~1"] == "t~1"
    assert ids["http://example.org/dir/"] == "dir"  # a trailing slash is not the name
    assert len(ids["http://example.org/.."]) == 8  # a dot segment is no id
    assert ids["http://example.org/caf%C3%A9"].startswith("cafC3A9-")


def test_two_schemes_each_order_and_filter(small: Index) -> None:
    index = index_of(SMALL, COLLIDING)
    first, second = index.schemes.values()
    assert first.default_language == "en"
    assert second.default_language == "fr"  # inferred from its concepts' labels
    assert index.concept_ids(scheme=second.id) == tuple(
        index.concept_by_iri(f"http://example.com/other#{n}").id  # type: ignore[union-attr]
        for n in "AB"
    )
    assert index.concept_ids() == index.concept_ids(scheme=first.id) + index.concept_ids(
        scheme=second.id
    )
    assert index.concept_ids(scheme="nope") == ()
    assert [m.concept for m in index.search("a", scheme=second.id)] == [
        index.concept_ids(scheme=second.id)[0]
    ]


def test_concept_ids_sort_by_preferred_label(small: Index) -> None:
    labels = [small.label(i).value for i in small.concept_ids()]
    assert labels == sorted(labels)
    assert tuple(small.concepts) == small.concept_ids()


# --- collections -------------------------------------------------------------------------


def test_ordered_collection_keeps_list_order(collections: Index) -> None:
    countdown = collections.collection("countdown")
    assert countdown is not None
    assert countdown.ordered
    assert countdown.members == ("three", "two", "one")
    assert collections.concept_ids(collection="countdown") == ("three", "two", "one")


def test_unordered_collection_sorts_by_label_and_nests(collections: Index) -> None:
    numbers = collections.collection("numbers")
    assert numbers is not None
    assert not numbers.ordered
    assert numbers.members == ("one", "three", "two")
    assert numbers.member_collections == ("countdown",)
    assert numbers.labels == (Text("Numbers", "en"),)  # rdfs:label when no skos:prefLabel
    assert collections.concept("one").collections == ("countdown", "loop", "numbers")  # type: ignore[union-attr]


def test_cyclic_member_list_ends(collections: Index) -> None:
    assert collections.collection("loop").members == ("one", "two")  # type: ignore[union-attr]


def test_collection_filters(collections: Index) -> None:
    (scheme,) = collections.schemes
    assert collections.concept_ids(scheme=scheme, collection="countdown") == ("three", "two", "one")
    assert collections.concept_ids(scheme="nope", collection="countdown") == ()
    assert collections.concept_ids(collection="nope") == ()


# --- concept fields ----------------------------------------------------------------------


def test_labels_notes_sources_and_mappings(small: Index) -> None:
    d = small.concept("D")
    assert d is not None
    assert d.notations == ("D-1",)
    assert d.examples == (Text("Hens.", "en"),)
    assert d.sources == (Source(citation="Field guide, p. 3"),)
    assert d.see_also == ("https://example.org/see",)
    assert d.exact_match == ("https://other.example/dom",)
    assert small.concept("C").hidden_labels == (Text("chikens", "en"),)  # type: ignore[union-attr]


def test_reified_definition_uses_its_rdf_value_and_source(small: Index) -> None:
    eggs = small.concept("E")
    assert eggs is not None
    assert eggs.definitions == (Text("Ova laid by birds.", "en"),)
    assert Source(iri="https://example.org/eggs") in eggs.sources


def test_mappings_between_loaded_concepts_are_mirrored() -> None:
    turtle = (
        PREFIXES
        + """
    ex:p a skos:Concept ; skos:prefLabel "P"@en ; skos:broadMatch ex:q ; skos:closeMatch ex:q .
    ex:q a skos:Concept ; skos:prefLabel "Q"@en .
    """
    )
    index = index_of(turtle)
    q = index.concept("q")
    assert q is not None
    assert q.narrow_match == ("http://example.org/p",)
    assert q.close_match == ("http://example.org/p",)
    assert q.broad_match == ()


def test_gloss_extension_and_mirrored_distinctions(extension: Index) -> None:
    design, production = extension.concept("design"), extension.concept("production")
    assert design is not None  # typed by a subclass of skos:Concept
    assert production is not None
    reason = (Text("Co-design covers design only.", "en"),)
    assert design.distinctions == (Distinction("production", reason, "outgoing"),)
    assert production.distinctions == (Distinction("design", reason, "incoming"),)
    assert design.criteria == (Text("People design it together.", "en"),)
    assert design.stances == (Text("We design with you.", "en"),)
    assert design.roles == (Text("The organisation and people share design.", "en"),)


def test_blank_node_concepts_are_skipped(extension: Index) -> None:
    assert extension.concept_count == 2
    assert extension.lookup("Anonymous") == ()


def test_scheme_metadata(small: Index) -> None:
    (scheme,) = small.schemes.values()
    assert scheme.titles == (Text("Cynllun enghreifftiol", "cy"), Text("Example scheme", "en"))
    assert scheme.descriptions == (Text("A small scheme for tests.", "en"),)
    assert (scheme.version, scheme.issued, scheme.modified) == ("1.2", "2024-01-01", "2024-06-30")
    assert scheme.creators == ("Alice Author", "Bob Builder")
    assert scheme.publishers == ("Example Organisation",)
    assert scheme.license == "https://creativecommons.org/licenses/by/4.0/"
    assert scheme.rights == (Text("CC BY 4.0", "en"),)
    assert scheme.citation == (Text("Example (2024). Example scheme.", "en"),)
    assert scheme.sources == (Source(iri="https://example.org/report"),)
    assert scheme.notes == (Text("Made for tests.", "en"),)
    assert scheme.default_language == "en"  # from an ISO 639-1 IRI


def test_resource_by_iri_finds_every_kind(small: Index, collections: Index) -> None:
    (scheme,) = small.schemes.values()
    assert small.resource_by_iri(scheme.iri) is scheme
    assert small.resource_by_iri("http://example.org/A") is small.concept("A")
    assert collections.resource_by_iri("http://example.org/countdown") is collections.collection(
        "countdown"
    )
    assert small.resource_by_iri("http://example.org/nope") is None
    assert small.concept_by_iri(scheme.iri) is None


def test_label_picks_by_language(small: Index) -> None:
    assert small.label("A") == Text("Animals", "en")
    assert small.label("A", ("cy",)) == Text("Anifeiliaid", "cy")
    assert small.label("B", ("cy",)) == Text("Birds", "en")
    with pytest.raises(KeyError):
        small.label("nope")


def test_language_tags_come_in_canonical_case() -> None:
    turtle = (
        PREFIXES
        + """
    ex:c a skos:Concept ; skos:prefLabel "Colour"@EN-gb , "Farbe"@de-ch , "Lliw"@cym .
    """
    )
    labels = index_of(turtle).concept("c").pref_labels  # type: ignore[union-attr]
    assert {text.language for text in labels} == {"en-GB", "de-CH", "cym"}


def test_an_empty_store_gives_an_empty_index() -> None:
    index = index_of("")
    assert (index.concept_count, index.scheme_count, index.collection_count) == (0, 0, 0)
    assert index.concept_ids() == ()
    assert index.search("anything") == ()
    assert index.default_language == "en"


def test_counts_and_digest(small: Index) -> None:
    assert (small.concept_count, small.scheme_count, small.collection_count) == (6, 1, 0)
    assert small.digest == "test-digest"


# --- lookup and search -------------------------------------------------------------------


def test_lookup_is_case_and_accent_insensitive(small: Index) -> None:
    assert [m.concept for m in small.lookup("Ŵyau")] == ["E"]
    (scheme,) = small.schemes
    assert [m.concept for m in small.lookup("wyau", scheme=scheme)] == ["E"]
    assert small.lookup("wyau", scheme="nope") == ()
    assert [m.concept for m in small.lookup("wyau", lang="cy")] == ["E"]
    assert small.lookup("wyau", lang="en") == ()


def test_lookup_orders_pref_alt_hidden(small: Index) -> None:
    turtle = (
        PREFIXES
        + """
    ex:h a skos:Concept ; skos:prefLabel "Aitch"@en ; skos:hiddenLabel "Birds"@en .
    """
    )
    index = index_of(SMALL, turtle)
    assert [(m.concept, m.label_type) for m in index.lookup("birds")] == [
        ("B", "prefLabel"),
        ("h", "hiddenLabel"),
    ]
    assert [(m.concept, m.label_type) for m in index.lookup("AVIANS")] == [("B", "altLabel")]


def test_search_through_the_index(small: Index) -> None:
    assert [(m.concept, m.match) for m in small.search("bird")] == [
        ("B", "exact"),  # "Birds"@en in the singular (English plural folding, issue 13)
        ("D", "substring"),
    ]
    assert [(m.concept, m.match) for m in small.search("birds")] == [
        ("B", "exact"),
        ("D", "word"),
        ("E", "definition"),
    ]
    assert [m.concept for m in small.search("chikens")] == ["C"]


# --- immutability and determinism -------------------------------------------------------


def test_index_is_immutable(small: Index) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        small.digest = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        small.concepts["Z"] = small.concepts["A"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        small.concepts["A"].broader = ()  # type: ignore[misc]
    assert isinstance(small.concepts["A"].broader, tuple)


def test_builds_are_deterministic() -> None:
    turtle = generate_vocabulary(300, seed=3)
    first, second = index_of(turtle), index_of(turtle)
    assert tuple(first.concepts.values()) == tuple(second.concepts.values())
    assert first.schemes == second.schemes
    assert first.collections == second.collections


def test_progress_is_reported() -> None:
    messages: list[str] = []
    store = ox.Store()
    store.load(SMALL.encode(), ox.RdfFormat.TURTLE)
    build_index(store, digest="d", progress=messages.append)
    assert messages
    assert "6 concepts" in messages[-1]


def test_generated_vocabulary_has_the_promised_shape() -> None:
    store = ox.Store()
    store.load(generate_vocabulary(2000, seed=1).encode(), ox.RdfFormat.TURTLE)
    index = build_index(store, digest="d")
    assert index.concept_count == 2000
    assert 6.5 <= len(store) / 2000 <= 8
    (scheme,) = index.schemes.values()
    assert 1 < len(scheme.top_concepts) <= 12
    (sample,) = index.collections.values()
    assert sample.ordered
    assert len(sample.members) == 50
    assert any(c.related for c in index.concepts.values())
    assert any(c.alt_labels for c in index.concepts.values())


# --- the shipped glossary ----------------------------------------------------------------


def test_glossary_citizen_engagement_is_community_engagement(glossary: Index) -> None:
    (found,) = glossary.lookup("citizen engagement")
    assert (found.concept, found.label_type) == ("community-engagement", "altLabel")


def test_glossary_doing_for_narrower(glossary: Index) -> None:
    doing_for = glossary.concept("doing-for")
    assert doing_for is not None
    assert set(doing_for.narrower) == {"information", "consultation", "participation"}


def test_glossary_co_design_broader_transitive(glossary: Index) -> None:
    assert {"co-production", "doing-with", "engagement"} <= set(
        glossary.broader_transitive("co-design")
    )


def test_glossary_search_autocompletes_and_forgives_typos(glossary: Index) -> None:
    assert glossary.search("consultaton")[0].concept == "consultation"
    assert {"co-production", "co-planning"} <= {m.concept for m in glossary.search("co-p")}


def garbage_after_build(concepts: int) -> int:
    """Objects in reference cycles that building an index of ``concepts`` leaves behind."""
    store = ox.Store()
    store.load(generate_vocabulary(concepts).encode(), ox.RdfFormat.TURTLE)
    was_enabled = gc.isenabled()
    gc.disable()  # no automatic collection may take the garbage before it is counted
    try:
        gc.collect()
        index = build_index(store, digest="test-digest")
        left = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert index.concept_count == concepts
    return left


def test_the_build_leaves_no_garbage_that_grows_with_the_vocabulary() -> None:
    # The lifespan freezes the read model without collecting first (0.4 s at 100,000
    # concepts), so whatever garbage the build leaves stays: it must be a constant.
    assert garbage_after_build(400) == garbage_after_build(40) < 40
