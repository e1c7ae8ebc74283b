"""Admission: what is wrong with a loaded vocabulary, found on the read model; served anyway
unless strict, and refused only without a single concept."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.build.admission import Problem, summary
from api.build.files import VocabularyError
from api.build.isolation import LoadLimits
from api.runtime.snapshot import Snapshot, load_snapshot
from tests.support import DATA

PROBLEMS = DATA / "problems"
MIXED = PROBLEMS / "mixed"
EX = "https://example.org/problems/"
SMALL = LoadLimits(memory_mb=512)


@pytest.fixture(scope="module")
def mixed() -> Snapshot:
    return load_snapshot([MIXED], limits=SMALL)


def rules(snapshot: Snapshot) -> set[tuple[str | None, str, str]]:
    return {
        (problem.term and problem.term.removeprefix(EX), problem.rule, problem.severity)
        for problem in snapshot.problems.all
    }


def test_a_bad_file_beside_a_good_one_is_left_out_and_the_good_one_served(
    mixed: Snapshot,
) -> None:
    assert mixed.vocabulary.files == (MIXED / "vocabulary.ttl",)
    assert mixed.index.concept_count == 7
    (left_out,) = (p for p in mixed.problems.all if p.rule == "unreadable-file")
    assert left_out == Problem(
        "unreadable-file",
        "error",
        "left out: syntax: A dot is expected at the end of statements",
        file=MIXED / "broken.ttl",
        line=6,
    )


def test_every_rule_serving_reports_is_found_once(mixed: Snapshot) -> None:
    assert rules(mixed) == {
        (None, "unreadable-file", "error"),
        ("twice", "S14", "violation"),
        ("same", "S13", "violation"),
        ("bank", "ambiguous-pref-label", "warning"),
        ("alone", "orphan", "warning"),
        ("top", "top-concept-broader", "warning"),
    }


def test_messages_print_literals_as_literals(mixed: Snapshot) -> None:
    messages = {problem.rule: problem.message for problem in mixed.problems.all}
    assert messages["S14"] == '2 skos:prefLabel in language \'en\': "First"@en, "Second"@en'
    assert messages["S13"] == '"Same"@en is both skos:prefLabel and skos:altLabel'
    assert messages["ambiguous-pref-label"] == (
        f'skos:prefLabel "Bank"@en is also that of <{EX}river-bank> in the scheme <{EX}scheme>'
    )
    assert messages["top-concept-broader"] == (
        f"a top concept of <{EX}scheme> with a broader concept <{EX}above> in it"
    )


def test_problems_are_most_severe_first_and_located_on_demand(mixed: Snapshot) -> None:
    severities = [problem.severity for problem in mixed.problems.all]
    assert severities == sorted(severities, key=["error", "violation", "warning"].index)
    located = {p.rule: (p.file, p.line) for p in mixed.problems.located()}
    assert located["S14"] == (MIXED / "vocabulary.ttl", 12)
    assert located["orphan"] == (MIXED / "vocabulary.ttl", 20)
    assert mixed.problems.by_vocabulary == {"broken.ttl": 1, "scheme": 5}


def test_the_start_up_summary_counts_per_rule_with_examples(mixed: Snapshot) -> None:
    lines = list(summary(mixed.problems, examples=1))
    assert lines[0] == (
        "6 problem(s) (see /problems): S13 1, S14 1, ambiguous-pref-label 1, orphan 1, "
        "top-concept-broader 1, unreadable-file 1"
    )
    assert lines[1].startswith(f"  {MIXED / 'broken.ttl'}:6: error: unreadable-file: ")
    assert len(lines) == 7


def test_the_summary_is_logged_through_the_progress_callback() -> None:
    messages: list[str] = []
    load_snapshot([MIXED], messages.append, limits=SMALL)
    assert any(message.startswith("6 problem(s)") for message in messages)


def test_strict_refuses_listing_every_error_and_violation() -> None:
    with pytest.raises(VocabularyError) as caught:
        load_snapshot([MIXED], limits=LoadLimits(memory_mb=512, strict=True))
    # strict also refuses the unreadable file itself, before anything is built
    assert (caught.value.rule, caught.value.file) == ("syntax", MIXED / "broken.ttl")
    with pytest.raises(VocabularyError) as caught:
        load_snapshot([MIXED / "vocabulary.ttl"], limits=LoadLimits(memory_mb=512, strict=True))
    lines = str(caught.value).splitlines()
    assert lines[0] == "strict: 2 problems (the strict setting refuses errors and violations)"
    assert [line.split(": ")[2] for line in lines[1:]] == ["S13", "S14"]


def test_when_no_file_can_be_read_start_up_fails_with_file_line_and_reason() -> None:
    with pytest.raises(VocabularyError) as caught:
        load_snapshot([MIXED / "broken.ttl"], limits=SMALL)
    assert str(caught.value).startswith(f"{MIXED / 'broken.ttl'}:6:")
    assert caught.value.rule == "syntax"


def test_a_vocabulary_without_concepts_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "v.ttl"
    empty.write_text("<https://e.org/a> <https://e.org/p> 1 .\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="no-concepts"):
        load_snapshot([empty], limits=SMALL)


def test_relative_iris_are_resolved_against_the_file_with_a_warning() -> None:
    snapshot = load_snapshot([PROBLEMS / "relative.rdf"], limits=SMALL)
    (concept,) = snapshot.index.concepts.values()
    assert concept.iri == (PROBLEMS / "relative.rdf").resolve().as_uri() + "#tea"
    (warning,) = (p for p in snapshot.problems.all if p.rule == "relative-iri")
    assert (warning.severity, warning.file, warning.line) == (
        "warning",
        PROBLEMS / "relative.rdf",
        5,
    )
    assert "resolved against the file's location" in warning.message
    assert str(PROBLEMS) not in warning.message  # the server's folders stay private


def test_the_base_iri_setting_resolves_them_instead() -> None:
    limits = LoadLimits(memory_mb=512, base_iri="https://example.org/published/")
    snapshot = load_snapshot([PROBLEMS / "relative.rdf"], limits=limits)
    (concept,) = snapshot.index.concepts.values()
    assert concept.iri == "https://example.org/published/#tea"
    (warning,) = (p for p in snapshot.problems.all if p.rule == "relative-iri")
    assert "<https://example.org/published/>" in warning.message


def test_lines_are_found_for_iris_relative_to_xml_base() -> None:
    snapshot = load_snapshot([PROBLEMS / "based.rdf"], limits=SMALL)
    assert not [p for p in snapshot.problems.all if p.rule == "relative-iri"]
    (s14,) = (p for p in snapshot.problems.located() if p.rule == "S14")
    assert (s14.term, s14.line) == ("https://example.org/based/tea", 7)
    assert s14.message == '2 skos:prefLabel in language \'fr\': "Thé"@fr, "Thé vert"@fr'
