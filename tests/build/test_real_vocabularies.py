"""The read model of real public vocabularies (``../shared/vocabularies/``, issue 11): the
STW Thesaurus for Economics, the UNESCO Thesaurus and the Skosmos project's test files,
loaded as the service loads them (``files.load``, then ``build_index`` with the files), and
checked for what a user of each would check: counts, labels, deprecations, SKOS-XL,
scheme membership, ids and default languages. The project never copies these files; CI
checks out ``../shared`` beside the repository, so a missing copy is a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.build.files import discover, load
from api.build.index import Index, build_index
from api.model import Concept, Source, Text
from tests.support import ROOT

REAL = ROOT.parent / "shared" / "vocabularies"
STW = "http://zbw.eu/stw/"
UNESCO = "http://vocabularies.unesco.org/thesaurus/"
SKOSMOS = REAL / "skosmos-test"


def loaded(*paths: Path) -> Index:
    vocabulary = load(paths)
    return build_index(vocabulary.store, digest=vocabulary.digest, files=vocabulary.files)


def skosmos(name: str) -> Index:
    return loaded(SKOSMOS / name)


def concept(index: Index, iri: str) -> Concept:
    found = index.concept_by_iri(iri)
    assert found is not None, iri
    return found


def test_the_shared_vocabularies_are_there() -> None:
    assert (REAL / "stw" / "stw-skos.ttl").is_file(), f"missing: {REAL} (check out ../shared)"
    assert (REAL / "unesco" / "unesco-thesaurus.ttl").is_file()
    assert len(discover([SKOSMOS])) == 32


# --- STW Thesaurus for Economics ---------------------------------------------------------


@pytest.fixture(scope="module")
def stw() -> Index:
    return loaded(REAL / "stw" / "stw-skos.ttl")


def test_stw_counts(stw: Index) -> None:
    # 6,244 typed skos:Concept (5,652 descriptors, 592 subject categories) and 1,150
    # deprecated descriptors typed only zbwext:Descriptor (rdfs:subClassOf skos:Concept in
    # the file); the embedded SKOS ontology adds none.
    assert stw.concept_count == 7394
    assert sum(c.iri.startswith(STW + "descriptor/") for c in stw.concepts.values()) == 6802
    assert sum(c.iri.startswith(STW + "thsys/") for c in stw.concepts.values()) == 592
    assert not [c.iri for c in stw.concepts.values() if not c.iri.startswith(STW)]
    assert sum(c.deprecated for c in stw.concepts.values()) == 1151  # and one category
    assert list(stw.schemes) == ["stw"]
    assert len(stw.concept_ids(scheme="stw")) == 7394
    assert len(stw.schemes["stw"].top_concepts) == 7


def test_every_stw_concept_has_a_label(stw: Index) -> None:
    assert not [c.iri for c in stw.concepts.values() if not c.pref_labels]


def test_a_deprecated_stw_descriptor_names_its_replacement(stw: Index) -> None:
    old = concept(stw, STW + "descriptor/10042-6")
    assert old.deprecated
    assert old.id == "10042-6"
    assert stw.label(old.id) == Text("Small country model", "en")  # from rdfs:label
    assert stw.label(old.id, ("de",)) == Text("Kleines-Land-Modell", "de")
    assert old.replaced_by == (STW + "descriptor/10043-4",)
    assert Text("Deprecated (used at last in version 8.10)", "en") in old.history_notes
    new = concept(stw, STW + "descriptor/10043-4")
    assert not new.deprecated
    assert old.iri in new.replaces


def test_stw_answers_in_english(stw: Index) -> None:
    # Every concept is labelled in German and English alike; the scheme's title is given in
    # English first. (The alphabet would say German.)
    assert stw.schemes["stw"].default_language == "en"
    assert stw.default_language == "en"
    assert stw.label("10043-4") == Text("Small open economy", "en")
    assert stw.lookup("Kleine offene Volkswirtschaft", "de")[0].concept == "10043-4"


# --- UNESCO Thesaurus --------------------------------------------------------------------


@pytest.fixture(scope="module")
def unesco() -> Index:
    return loaded(REAL / "unesco" / "unesco-thesaurus.ttl")


def test_unesco_counts_and_language(unesco: Index) -> None:
    assert unesco.concept_count == 4420
    assert list(unesco.schemes) == ["thesaurus"]
    assert len(unesco.concept_ids(scheme="thesaurus")) == 4420
    assert unesco.collection_count == 95
    # en, fr and es are on every concept; the scheme states eng, fre, spa and rus and is
    # titled in English first.
    assert unesco.schemes["thesaurus"].default_language == "en"
    assert not [c.iri for c in unesco.concepts.values() if not c.pref_labels]


def test_unesco_collection_ids_keep_their_dots(unesco: Index) -> None:
    collection = unesco.collection("mt7.05")
    assert collection is not None
    assert collection.iri == UNESCO + "mt7.05"


def test_unesco_french_lookup(unesco: Index) -> None:
    (match,) = unesco.lookup("Droit à l'éducation", "fr")
    assert match.concept == "concept10"
    assert unesco.label("concept10") == Text("Right to education", "en")


# --- Skosmos test vocabularies ------------------------------------------------------------


def test_skosmos_xl_labels_keep_their_resources() -> None:
    index = skosmos("xl.ttl")
    (c1,) = index.concepts.values()
    xl = "http://www.skosmos.skos/xl/"
    assert c1.pref_labels == (Text("Concept", "en", xl + "l1"),)
    assert c1.alt_labels == (Text("Conceptual entity", "en", xl + "l2"),)
    assert c1.definitions == (Text("Unit of thought", "en"),)
    assert c1.sources == (Source(iri="https://en.wikipedia.org/wiki/Concept"),)


def test_skosmos_changes_deprecations() -> None:
    index = skosmos("changes.ttl")
    changes = "http://www.skosmos.skos/changes/"
    d4, d3, d5 = (concept(index, changes + name) for name in ("d4", "d3", "d5"))
    assert (d4.deprecated, d4.replaced_by) == (True, (d3.iri,))
    assert (d3.deprecated, d3.replaces) == (False, (d4.iri,))
    assert (d5.deprecated, d5.replaced_by) == (True, ())


def test_skosmos_multiple_schemes() -> None:
    index = skosmos("multiple-schemes.ttl")
    assert index.concept_count == 3  # the schemes' hasTopConcept names undescribed IRIs
    ms = "http://www.skosmos.skos/multiple-schemes/"
    for number in "123":
        member = concept(index, f"{ms}c{number}-in-cs{number}")
        assert member.schemes == (f"cs{number}",)
        assert index.concept_ids(scheme=f"cs{number}") == (member.id,)


def test_skosmos_several_schemes_per_concept_and_dotted_ids() -> None:
    index = skosmos("test-concept-schemes.ttl")
    assert index.concept("c1.1") is not None
    assert {c.id: c.schemes for c in index.concepts.values()} == {
        "c1": ("mt1", "thesaurus"),
        "c1.1": ("mt1", "thesaurus"),
        "c2": ("mt2", "thesaurus"),
        "c3": ("mt3", "thesaurus"),
        "d1": ("domains",),
        "d2": ("domains",),
    }


@pytest.mark.parametrize("name", ["test-hierarchy.ttl", "test-hierarchy-without-top-concepts.ttl"])
def test_skosmos_hierarchy_with_and_without_top_concepts(name: str) -> None:
    index = skosmos(name)
    assert index.concept_count == 19
    assert len(index.concept_ids(scheme="conceptscheme")) == 14
    # ta124-ta128 state no scheme and are below no top concept.
    loose = {c.id for c in index.concepts.values() if not c.schemes}
    assert loose == {"ta124", "ta125", "ta126", "ta127", "ta128"}
    tops = index.schemes["conceptscheme"].top_concepts
    assert tops == (("ta1",) if name == "test-hierarchy.ttl" else ("ta118", "ta1"))


def test_skosmos_subclasses_without_instances_make_no_concepts() -> None:
    # test-marc.ttl declares meta:TestClass rdfs:subClassOf skos:Concept and gives it no
    # instances; it redeclares skos:prefLabel and others as rdf:Property.
    assert skosmos("test-marc.ttl").concept_count == 0
    assert skosmos("myns-ontology.ttl").concept_count == 0


def test_skosmos_yso_labels_are_not_concepts_and_the_language_is_finnish() -> None:
    index = skosmos("yso.ttl")
    assert index.concept_count == 270  # its SKOS-XL labels state skos:inScheme too
    assert not [c.iri for c in index.concepts.values() if "yso-meta" in c.iri]
    assert index.schemes["yso"].default_language == "fi"  # fi and sv tie in this sample


def test_skosmos_untagged_labels_are_kept() -> None:
    index = skosmos("nolang.ttl")
    labels = sorted(index.label(id_).value for id_ in index.concepts)
    assert labels == [
        "No language code",
        "No language codes here either",
        "This doesn't have a language code",
    ]
    assert all(index.label(id_, ("fi",)).language is None for id_ in index.concepts)


@pytest.mark.slow
def test_every_vocabulary_together_keeps_each_ones_ids() -> None:
    files = [*discover([SKOSMOS]), REAL / "stw" / "stw-skos.ttl"]
    together = loaded(*files)
    alone = {iri: c.id for file in files for iri, c in _by_iri(loaded(file)).items()}
    assert together.concept_count == len(alone)
    changed = {iri for iri, c in _by_iri(together).items() if c.id != alone[iri]}
    assert together.ambiguous  # test.ttl and test-hierarchy.ttl share ta1 and more
    # Only what is ambiguous changes, to its qualified form, which resolves.
    for bare, qualified in together.ambiguous.items():
        assert together.concept(bare) is None
        assert all(together.concept(q) is not None for q in qualified)
    assert {alone[iri] for iri in changed} == set(together.ambiguous)
    for iri in changed:
        assert together.concept(alone[iri]) is None
    assert not [i for i in changed if i.startswith(STW)]  # STW's ids are its own


def _by_iri(index: Index) -> dict[str, Concept]:
    return {c.iri: c for c in index.concepts.values()}
