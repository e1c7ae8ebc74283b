"""Search, lookup and annotation over real public vocabularies (``../shared/vocabularies/``,
issue 11): UNESCO (en/fr/es/ru) and STW (de/en) loaded together, and the Skosmos project's
files with untagged labels, language subtags and notations."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.build.annotator import annotate, build_annotator
from api.build.files import load
from api.build.index import Index, build_index
from api.model import LabelMatch, Text
from tests.support import ROOT

REAL = ROOT.parent / "shared" / "vocabularies"
SKOSMOS = REAL / "skosmos-test"
UNESCO = "http://vocabularies.unesco.org/thesaurus/"
STW = "http://zbw.eu/stw/"


def loaded(*paths: Path) -> Index:
    vocabulary = load(paths)
    return build_index(vocabulary.store, digest=vocabulary.digest, files=vocabulary.files)


def iris(index: Index, matches: tuple[LabelMatch, ...]) -> list[str]:
    return [index.concepts[match.concept].iri for match in matches]


@pytest.fixture(scope="module")
def both() -> Index:
    """UNESCO and STW served together, as a deployment with several vocabularies would."""
    return loaded(REAL / "unesco" / "unesco-thesaurus.ttl", REAL / "stw" / "stw-skos.ttl")


@pytest.mark.slow
def test_a_french_lookup_in_unesco(both: Index) -> None:
    for lang in ("fr", "fr-FR"):  # fr-FR falls back to fr
        (match,) = both.lookup("thé", lang=lang)
        assert both.concepts[match.concept].iri == UNESCO + "concept3748"
        assert match.label == Text("Thé", "fr")
    assert both.lookup("thé", lang="en") == ()
    assert both.label(both.lookup("thé")[0].concept, ("fr-CA",)) == Text("Thé", "fr")


@pytest.mark.slow
def test_a_german_lookup_in_stw(both: Index) -> None:
    found = both.lookup("angebotsorientierte wirtschaftspolitik", lang="de-AT")
    assert iris(both, found) == [STW + "descriptor/10377-3"]
    assert found[0].label == Text("Angebotsorientierte Wirtschaftspolitik", "de")


@pytest.mark.slow
def test_a_withdrawn_stw_descriptor_is_looked_up_but_not_searched(both: Index) -> None:
    withdrawn, replacement = STW + "descriptor/10042-6", STW + "descriptor/10043-4"
    assert set(iris(both, both.lookup("Kleines-Land-Modell", lang="de"))) == {
        withdrawn,
        replacement,
    }
    assert iris(both, both.search("Kleines-Land-Modell", lang="de")) == [replacement]
    searched = both.search("Kleines-Land-Modell", lang="de", include_deprecated=True)
    assert set(iris(both, searched)) == {withdrawn, replacement}


@pytest.mark.slow
def test_a_stw_notation_ranks_first(both: Index) -> None:
    found = both.search("a.01")
    assert iris(both, found)[0] == STW + "thsys/175787"
    assert found[0].match == "notation"
    assert iris(both, both.lookup_notation("A.01")) == [STW + "thsys/175787"]


@pytest.mark.slow
def test_english_text_is_annotated_in_english_only(both: Index) -> None:
    """ "the" in English text is not UNESCO's French "Thé" (both vocabularies' default
    language is English); "tea" is an English "Tea"."""
    annotator = build_annotator(both)
    text = "The tea and the coffee of the developing countries."
    found = {o.text: o.label for o in annotate(annotator, text)}
    assert "The" not in found
    assert "the" not in found
    assert found["tea"] == Text("Tea", "en")
    french = annotate(annotator, "Le thé et le café", lang="fr")
    assert [(o.text, o.label) for o in french][:1] == [("thé", Text("Thé", "fr"))]


@pytest.mark.slow
def test_german_text_is_annotated_with_german_labels(both: Index) -> None:
    annotator = build_annotator(both)
    text = "Die angebotsorientierte Wirtschaftspolitik"
    assert annotate(annotator, text) == ()  # not in the default language (English)
    (found,) = annotate(annotator, text, lang="de-CH")
    assert both.concepts[found.concept].iri == STW + "descriptor/10377-3"
    assert found.label == Text("Angebotsorientierte Wirtschaftspolitik", "de")


# --- The Skosmos project's test files -------------------------------------------------------


def test_untagged_labels_are_found_by_any_language() -> None:
    index = loaded(SKOSMOS / "nolang.ttl")
    for lang in (None, "en", "fi", "sv-FI"):
        found = index.lookup("No language code", lang=lang)
        assert iris(index, found) == ["http://www.skosmos.skos/nolang/no1"]
        assert found[0].label == Text("No language code")
    assert len(index.search("language", lang="fi")) == 3


def test_language_subtags() -> None:
    index = loaded(SKOSMOS / "subtag.ttl")
    for lang in ("en", "en-GB", "en-GB-oxendict"):
        assert iris(index, index.lookup("neighbour", lang=lang)) == [
            "http://www.skosmos.skos/subtag/p1"
        ]
        assert len(index.search("neigh", lang=lang)) == 1
    assert index.lookup("neighbour", lang="en-US") == ()
    assert index.lookup("neighbour", lang="fi") == ()


def test_notations_of_a_classification() -> None:
    index = loaded(SKOSMOS / "test-notation-sort.ttl")
    tuna = "http://www.skosmos.skos/test/ta0111"  # owl:deprecated: looked up, not searched
    assert iris(index, index.lookup_notation("33.01")) == [tuna]
    assert index.search("33.01") == ()
    assert iris(index, index.search("33.01", include_deprecated=True)) == [tuna]
    found = index.search("33.1")
    assert iris(index, found)[0] == "http://www.skosmos.skos/test/ta0112"
    assert (found[0].match, found[0].label) == ("notation", Text("Carp", "en"))
