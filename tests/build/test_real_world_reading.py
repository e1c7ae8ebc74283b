"""Reading the shapes real vocabularies come in (``tests/data/real-world/``, issue 11):
SKOS-XL labels, reified notes, deprecations, what counts as a concept, scheme membership
through top concepts, default languages, and ids that do not depend on what else is loaded.
Each vocabulary is loaded as the service loads it: ``files.load``, then ``build_index``."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from api.build.files import load
from api.build.index import Index, build_index
from api.build.isolation import LoadLimits
from api.model import Concept, Source, Text
from api.runtime.snapshot import load_snapshot
from api.settings import Settings
from tests.support import ROOT

DATA = ROOT / "tests" / "data" / "real-world"


def loaded(*names: str, default_language: str = "") -> Index:
    """The index of these fixture files, built with the files (for language order)."""
    vocabulary = load([DATA / name for name in names])
    return build_index(
        vocabulary.store,
        digest=vocabulary.digest,
        default_language=default_language,
        files=vocabulary.files,
    )


def concept(index: Index, iri: str) -> Concept:
    found = index.concept_by_iri(iri)
    assert found is not None, iri
    return found


# --- SKOS-XL and reified notes -----------------------------------------------------------

XL = "http://example.org/xl/"


@pytest.fixture(scope="module")
def xl() -> Index:
    return loaded("xl.ttl")


def test_xl_labels_are_read_with_their_resources(xl: Index) -> None:
    unit = concept(xl, XL + "unit")
    # The plain "Unit"@en and the XL one are one text, which keeps the label's IRI.
    assert unit.pref_labels == (
        Text("Unit", "en", XL + "unit-en"),
        Text("Unité", "fr", XL + "unit-fr"),
    )
    assert unit.alt_labels == (Text("Measure", "en", XL + "unit-alt"),)
    assert unit.hidden_labels == (Text("unt", "en"),)  # a blank node has no IRI to keep


def test_a_concept_labelled_only_in_skos_xl_has_a_label(xl: Index) -> None:
    length = concept(xl, XL + "length")
    assert xl.label(length.id) == Text("Length", "en", XL + "length-en")
    assert xl.lookup("length")[0].concept == length.id


def test_xl_label_resources_are_not_concepts(xl: Index) -> None:
    # xl:unit-alt states skos:inScheme (YSO's labels do): a label, not a concept.
    assert {c.iri for c in xl.concepts.values()} == {XL + "unit", XL + "length"}


def test_notes_whose_value_is_a_node_are_read_from_rdf_value(xl: Index) -> None:
    unit = concept(xl, XL + "unit")
    assert unit.definitions == (Text("A quantity chosen as a standard.", "en"),)
    assert Source(iri="https://example.org/units") in unit.sources
    assert unit.change_notes == (Text("Label corrected.", "en"),)  # on a blank node
    assert unit.history_notes == (
        Text("Introduced in version 2.", "en"),
        Text("Kept in version 3.", "en"),
    )


# --- Deprecation --------------------------------------------------------------------------

DEP = "http://example.org/dep/"


@pytest.fixture(scope="module")
def deprecations() -> Index:
    return loaded("deprecated.ttl")


def test_owl_deprecated_true_in_its_spellings(deprecations: Index) -> None:
    flags = {c.iri[len(DEP) :]: c.deprecated for c in deprecations.concepts.values()}
    assert flags == {
        "old": True,  # true (xsd:boolean)
        "older": True,  # "true"
        "moved": True,  # "1"
        "new": False,
        "newer": False,
        "live": False,  # false
    }


def test_replacements_are_mirrored_loaded_concepts_first(deprecations: Index) -> None:
    assert concept(deprecations, DEP + "old").replaced_by == (DEP + "new",)
    assert concept(deprecations, DEP + "new").replaces == (DEP + "old",)
    # Stated only as dct:replaces on the replacement.
    assert concept(deprecations, DEP + "older").replaced_by == (DEP + "newer",)
    # A loaded replacement before one outside the data.
    moved = concept(deprecations, DEP + "moved")
    assert moved.replaced_by == (DEP + "newer", "http://other.example/moved")
    # By rank (preferred label): "Moved" before "Older".
    assert concept(deprecations, DEP + "newer").replaces == (DEP + "moved", DEP + "older")


def test_rdfs_label_is_the_last_fallback_label(deprecations: Index) -> None:
    old = concept(deprecations, DEP + "old")
    assert old.pref_labels == (
        Text("Kleines-Land-Modell", "de"),
        Text("Small country model", "en"),
    )
    assert deprecations.label(old.id) == Text("Small country model", "en")
    new = concept(deprecations, DEP + "new")  # has a prefLabel: rdfs:label is not used
    assert Text("Not the label: there is a prefLabel", "en") not in new.pref_labels


# --- What counts as a concept -------------------------------------------------------------

ONT = "http://example.org/ont/"


def test_what_counts_as_a_concept() -> None:
    index = loaded("ontology.ttl")
    assert sorted(c.iri[len(ONT) :] for c in index.concepts.values()) == [
        "described",  # described, and named by the scheme's hasTopConcept
        "descriptor",  # a subclass of a subclass of skos:Concept
        "member",  # skos:inScheme a loaded scheme
        "term",  # a subclass of skos:Concept
        "top",  # skos:topConceptOf a loaded scheme
        "typed",
    ]
    # The SKOS terms (even one stated inScheme), owl:Thing, the classes, a concept of an
    # unloaded scheme, a bare hasTopConcept IRI and a blank node are not concepts.
    assert index.concept_count == 6
    assert [s.iri for s in index.schemes.values()] == [ONT + "scheme"]


# --- Scheme membership --------------------------------------------------------------------

M = "http://example.org/membership/"


@pytest.fixture(scope="module")
def membership() -> Index:
    return loaded("membership.ttl")


def schemes_of(index: Index, name: str) -> tuple[str, ...]:
    return concept(index, M + name).schemes


def test_membership_is_inferred_below_top_concepts(membership: Index) -> None:
    assert membership.scheme("scheme") is not None
    for name in ("animals", "birds", "owls", "barn-owls", "tytonidae"):  # with a cycle
        assert schemes_of(membership, name) == ("scheme",), name
    assert len(membership.concept_ids(scheme="scheme")) == 6  # those five and owl-clover


def test_a_stated_scheme_is_not_overridden_and_ends_the_walk(membership: Index) -> None:
    assert schemes_of(membership, "fish") == ("other",)
    assert schemes_of(membership, "trout") == ()  # below fish, but under no top of other


def test_a_concept_below_tops_of_two_schemes_is_in_both(membership: Index) -> None:
    assert schemes_of(membership, "owl-clover") == ("other", "scheme")
    assert schemes_of(membership, "loose") == ()


def test_only_stated_tops_are_top_concepts(membership: Index) -> None:
    scheme = membership.scheme("scheme")
    assert scheme is not None
    assert scheme.top_concepts == ("animals",)


# --- Default languages --------------------------------------------------------------------


def test_a_tie_is_decided_by_the_title_not_the_alphabet() -> None:
    index = loaded("languages/tied.ttl")  # de and en equally used; title in en first
    assert index.schemes["scheme"].default_language == "en"
    assert index.default_language == "en"
    assert index.label(index.concept_ids()[0]).language == "en"


def test_a_finnish_vocabulary_is_finnish_though_swedish_comes_first() -> None:
    index = loaded("languages/finnish.ttl")
    assert index.schemes["scheme"].default_language == "fi"


def test_without_a_title_the_first_label_language_wins() -> None:
    index = loaded("languages/untitled.ttl")  # "fr" first; alphabetically "de"
    assert index.schemes["scheme"].default_language == "fr"


def test_a_stated_language_wins_and_untagged_labels_are_kept() -> None:
    index = loaded("languages/stated.ttl")
    assert index.schemes["scheme"].default_language == "cy"  # though en is used more
    untagged = concept(index, "http://example.org/stated/c")
    assert untagged.pref_labels == (Text("Caws"),)
    assert index.language(untagged) == "cy"
    assert index.label(untagged.id) == Text("Caws")
    assert index.label(untagged.id, ("en",)) == Text("Caws")
    bread = concept(index, "http://example.org/stated/b")
    assert index.label(bread.id) == Text("Bread", "en")  # no cy label: what there is


def test_the_setting_overrides_every_scheme() -> None:
    index = loaded("languages/tied.ttl", "languages/stated.ttl", default_language="de")
    assert {s.default_language for s in index.schemes.values()} == {"de"}
    assert index.default_language == "de"


# --- Stable ids ---------------------------------------------------------------------------


def ids_of(index: Index) -> dict[str, str]:
    return {c.iri: c.id for c in index.concepts.values()}


def test_local_names_keep_their_dots() -> None:
    ids = ids_of(loaded("vocab-a.ttl"))
    assert ids["http://example.org/a/78.89227"] == "78.89227"
    assert ids["http://example.org/a/mt7.05"] == "mt7.05"
    assert ids["http://example.org/a/78"] == "78"


def test_ids_of_a_vocabulary_do_not_depend_on_what_else_is_loaded() -> None:
    alone = ids_of(loaded("vocab-a.ttl"))
    together = loaded("vocab-a.ttl", "vocab-b.ttl")
    with_b = ids_of(together)
    shared = {"shared", "894"}
    for iri, id_ in alone.items():
        if id_ in shared:  # the documented clash rule: qualified by the scheme's id
            assert with_b[iri] == f"classes~{id_}"
        else:
            assert with_b[iri] == id_
    assert with_b["http://example.com/b#894"] == "topics~894"
    assert together.ambiguous == {
        "894": ("classes~894", "topics~894"),
        "shared": ("classes~shared", "topics~shared"),
    }
    assert ids_of(loaded("vocab-b.ttl"))["http://example.com/b#894"] == "894"


def test_local_names_shared_within_one_scheme_are_hashed_loaded_alone_or_not() -> None:
    iri = "http://example.com/elsewhere/only-b"
    digest = hashlib.sha256(iri.encode()).hexdigest()[:8]
    assert ids_of(loaded("vocab-b.ttl"))[iri] == f"only-b-{digest}"
    assert ids_of(loaded("vocab-a.ttl", "vocab-b.ttl"))[iri] == f"only-b-{digest}"


def test_qualified_ids_always_resolve() -> None:
    alone, together = loaded("vocab-a.ttl"), loaded("vocab-a.ttl", "vocab-b.ttl")
    for index in (alone, together):
        found = index.concept("classes~78.89227")  # before and after a clash
        assert found is not None
        assert found.iri == "http://example.org/a/78.89227"
    assert alone.concept("classes~894") is alone.concept("894")
    assert together.concept("894") is None  # ambiguous: the HTTP layer offers both
    b894 = together.concept("topics~894")
    assert b894 is not None
    assert b894.iri == "http://example.com/b#894"
    assert together.concept("topics~78.89227") is None  # not in that scheme
    assert together.concept("nope~894") is None


def test_a_concept_in_no_scheme_is_qualified_by_its_namespace() -> None:
    store = ox.Store()
    for base in ("http://example.org/x/", "http://example.net/y/"):
        turtle = f"<{base}c> a <http://www.w3.org/2004/02/skos/core#Concept> ."
        store.load(turtle.encode(), ox.RdfFormat.TURTLE)
    index = build_index(store, digest="d")
    assert sorted(index.concepts) == ["x~c", "y~c"]
    assert index.ambiguous == {"c": ("x~c", "y~c")}
    assert index.concept("x~c") is not None


def test_the_glossary_ids_are_unchanged() -> None:
    glossary = ROOT / "vocab" / "glossary.ttl"
    vocabulary = load([glossary])
    index = build_index(vocabulary.store, digest="g", files=vocabulary.files)
    local = {c.iri.rsplit("/", 1)[-1] for c in index.concepts.values()}
    assert set(index.concepts) == local
    assert not index.ambiguous


def test_the_setting_and_the_files_reach_the_build_through_the_snapshot() -> None:
    paths = [DATA / "languages" / "finnish.ttl"]
    settings = Settings(default_language="en")
    limits = LoadLimits.from_settings(settings)
    assert limits.default_language == "en"
    assert load_snapshot(paths, limits=limits).index.schemes["scheme"].default_language == "en"
    # Unset: the files are read for the title's order (the store alone would say "fi" by
    # tag, so use a vocabulary where the tag would be wrong).
    tied = load_snapshot([DATA / "languages" / "untitled.ttl"], limits=LoadLimits())
    assert tied.index.schemes["scheme"].default_language == "fr"


def test_a_default_language_that_is_no_tag_is_refused() -> None:
    with pytest.raises(ValueError, match="default_language"):
        Settings(default_language="english please")


def test_qualified_ids_survive_a_clash_of_scheme_names() -> None:
    together = loaded("vocab-a.ttl", "vocab-c.ttl")
    a_scheme = next(s for s in together.schemes.values() if s.iri.startswith("http://example.org"))
    assert a_scheme.id.startswith("classes-")  # two schemes named "classes": hashed
    # The scheme's own local name still qualifies where it is enough ...
    sacred = together.concept("classes~78.89227")
    assert sacred is not None
    assert sacred.id == "78.89227"  # no clash: the bare id is unchanged
    assert together.concept(f"{a_scheme.id}~78") is concept(together, "http://example.org/a/78")
    # ... and names no one concept where both schemes have a "78".
    assert together.concept("classes~78") is None
    assert together.ambiguous["78"] == tuple(
        sorted(c.id for c in together.concepts.values() if c.iri.endswith("/78"))
    )
