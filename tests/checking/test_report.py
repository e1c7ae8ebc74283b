"""``glossary check``: one line per problem, a summary, exit 0 / 1 / 2, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from api.build.isolation import LoadLimits
from api.checking.report import Options, main, run, shape_files
from api.checking.rules import WARNINGS
from api.runtime.snapshot import load_snapshot
from tests.data import synthetic
from tests.support import DATA, ROOT

BAD = DATA / "bad"
BAD_IRI = "https://example.org/bad/"
DEFINITION_REQUIRED = DATA / "shapes" / "definition-required.ttl"


#: The bad files hold one concept each, an orphan: the quality warnings are tested apart.
WITHOUT_QUALITY = Options(ignore=WARNINGS)


def check(
    *paths: Path, shapes: list[Path] | None = None, options: Options = WITHOUT_QUALITY
) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run(list(paths), out, shapes=shapes, options=options)
    text = out.getvalue()
    assert "Traceback" not in text
    return code, text.splitlines()


def test_the_shipped_shapes_are_found() -> None:
    assert [path.name for path in shape_files()] == ["glossary.ttl", "vocpub.ttl"]


def test_a_good_vocabulary_passes_with_its_warning() -> None:
    code, lines = check(DATA / "good")
    assert code == 0
    assert lines == [
        f"{DATA / 'good' / 'vocabulary.ttl'}:49: warning: <https://example.org/vocab/co-design> "
        '"co-design": vocpub-concept-definition: a concept should have a skos:definition',
        "checked 4 files: 83 triples, 7 concepts",
        "0 problems",
        "1 warning (vocpub-concept-definition 1)",
    ]


@pytest.mark.parametrize(
    ("name", "line", "term", "label", "rule", "message"),
    [
        ("cycle.ttl", 23, "a", "a", "broader-cycle", "skos:broader cycle: a → b → c → a"),
        (
            "two-pref-labels.ttl",
            23,
            "twice",
            "first name",
            "S14",
            '2 skos:prefLabel in language \'en\': "first name"@en, "second name"@en',
        ),
        (
            "dangling.ttl",
            23,
            "orphan",
            "orphan",
            "dangling",
            f"skos:broader <{BAD_IRI}missing> is not a skos:Concept here",
        ),
        (
            "s13.ttl",
            23,
            "same",
            "same",
            "S13",
            '"same"@en is both skos:prefLabel and skos:altLabel',
        ),
        (
            "s27.ttl",
            23,
            "child",
            "child",
            "S27",
            f"skos:related <{BAD_IRI}top>, which is also a broader concept",
        ),
        (
            "s46.ttl",
            23,
            "mapped",
            "mapped",
            "S46",
            "skos:broadMatch <https://example.com/other/concept> but also skos:exactMatch",
        ),
        (
            "inverse.ttl",
            23,
            "one-way",
            "one way",
            "inverse-stated",
            f"skos:broader <{BAD_IRI}top>, but <{BAD_IRI}top> states no skos:narrower back",
        ),
        (
            "not-in-scheme.ttl",
            23,
            "loose",
            "loose",
            "in-scheme",
            "a skos:Concept not skos:inScheme any concept scheme",
        ),
    ],
)
def test_each_problem_is_one_located_line(
    name: str, line: int, term: str, label: str, rule: str, message: str
) -> None:
    code, lines = check(BAD / name)
    assert code == 1
    assert lines[0] == f'{BAD / name}:{line}: <{BAD_IRI}{term}> "{label}": {rule}: {message}'
    assert lines[1].startswith("checked 1 file: ")
    assert lines[2:] == [f"1 problem ({rule} 1)", "0 warnings"]


def test_shacl_results_covered_by_an_integrity_rule_are_not_repeated() -> None:
    code, lines = check(BAD / "two-pref-labels.ttl")
    assert code == 1
    assert not any("vocpub-concept-preflabel-unique" in line for line in lines)


def test_label_problems_are_listed_in_rule_order() -> None:
    code, lines = check(BAD / "labels.ttl")
    assert code == 1
    assert [line.split(": ")[2] for line in lines[:3]] == [
        "label-empty",
        "label-language",
        "label-spaces",
    ]
    assert lines[4] == "3 problems (label-empty 1, label-language 1, label-spaces 1)"


def test_glossary_shapes_check_distinctions() -> None:
    code, lines = check(BAD / "distinction.ttl")
    assert code == 1
    assert lines[:2] == [
        f"{BAD / 'distinction.ttl'}:27: <{BAD_IRI}why>: glossary-distinction-reason: "
        "a gloss:Distinction needs at least one gloss:reason, a language-tagged string",
        f"{BAD / 'distinction.ttl'}:27: <{BAD_IRI}why>: glossary-distinction-target: "
        "a gloss:Distinction needs exactly one gloss:distinctionTarget, a skos:Concept",
    ]


def test_a_missing_definition_is_a_warning_in_vocpub() -> None:
    code, lines = check(BAD / "no-definition.ttl")
    assert code == 0
    assert lines[0].startswith(f"{BAD / 'no-definition.ttl'}:23: warning: <{BAD_IRI}undefined>")
    assert lines[-2:] == ["0 problems", "1 warning (vocpub-concept-definition 1)"]


def test_a_missing_definition_is_a_problem_where_a_shape_requires_one() -> None:
    code, lines = check(BAD / "no-definition.ttl", shapes=[DEFINITION_REQUIRED])
    assert code == 1
    assert lines[0] == (
        f'{BAD / "no-definition.ttl"}:23: <{BAD_IRI}undefined> "undefined": '
        "definition-required: a concept must have a skos:definition"
    )
    assert lines[-2:] == ["1 problem (definition-required 1)", "0 warnings"]


def test_an_ill_typed_date_is_reported_with_its_value_and_nothing_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    vocabulary = tmp_path / "v.ttl"
    text = (BAD / "not-in-scheme.ttl").read_text(encoding="utf-8")
    vocabulary.write_text(text.replace('"2024-01-01"', '"2024-13"'), encoding="utf-8")
    code, lines = check(vocabulary)
    assert code == 1
    assert lines[0] == (
        f'{vocabulary}:8: <{BAD_IRI}scheme> "Bad vocabulary": vocpub-scheme-date-datatype: '
        "dct:created, dct:issued and dct:modified must be typed dates (xsd:date, xsd:dateTime, "
        'xsd:gYearMonth or xsd:gYear) (value "2024-13"^^<http://www.w3.org/2001/XMLSchema#date>)'
    )
    assert caplog.records == []


def test_no_shapes_means_integrity_only() -> None:
    code, lines = check(BAD / "no-definition.ttl", shapes=[])
    assert (code, lines[1:]) == (0, ["0 problems", "0 warnings"])


# --- unreadable input: exit 2, one line --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("syntax.ttl", f"{BAD / 'syntax.ttl'}:25:20: syntax: . is not a valid RDF object"),
        ("empty.ttl", f"{BAD / 'empty.ttl'}: empty: the file is empty"),
        (
            "remote-context.jsonld",
            f"{BAD / 'remote-context.jsonld'}:2:16: remote-context: remote JSON-LD @context "
            "'https://schema.org/' is not fetched; inline the context",
        ),
    ],
)
def test_unreadable_files_exit_2_with_one_line(name: str, expected: str) -> None:
    assert check(BAD / name) == (2, [expected])


def test_a_binary_file_exits_2(tmp_path: Path) -> None:
    binary = tmp_path / "vocabulary.ttl"
    binary.write_bytes(bytes(range(256)))
    assert check(binary) == (
        2,
        [f"{binary}:1:1: binary: binary data (a NUL byte), not an RDF text file"],
    )


def test_an_unknown_extension_exits_2(tmp_path: Path) -> None:
    table = tmp_path / "vocabulary.xlsx"
    table.write_bytes(b"PK\x03\x04")
    code, lines = check(table)
    assert (code, lines[0].split(": ")[1]) == (2, "unknown-extension")


def test_one_bad_file_among_good_ones_is_reported_and_the_others_checked() -> None:
    code, lines = check(DATA / "good", BAD / "syntax.ttl")
    assert code == 2
    assert lines[0] == (
        f"{BAD / 'syntax.ttl'}:25: error: unreadable-file: left out: syntax: "
        ". is not a valid RDF object"
    )
    assert "vocpub-concept-definition" in lines[1]
    assert lines[2:] == [
        "checked 4 files: 83 triples, 7 concepts",
        "1 error (unreadable-file 1)",
        "0 problems",
        "1 warning (vocpub-concept-definition 1)",
    ]


def test_main_checks_the_paths_given(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(BAD / "s13.ttl")]) == 1
    assert "S13" in capsys.readouterr().out


def test_progress_is_reported_when_asked(tmp_path: Path) -> None:
    messages: list[str] = []
    vocabulary = synthetic.write(tmp_path / "v.ttl", 10)
    assert run([vocabulary], io.StringIO(), progress=messages.append) == 0
    assert messages == [
        "checking 1 file(s) in a child process",
        f"reading {vocabulary} (0.0 MB)",
        "validating the SHACL shapes",
    ]


def test_an_entity_bomb_is_refused_before_it_is_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.rdf"
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    bomb.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{entities}]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
        encoding="utf-8",
    )
    assert main([str(bomb)]) == 2
    assert "dtd" in capsys.readouterr().out


# --- scale ------------------------------------------------------------------------------


def test_a_generated_5000_concept_vocabulary_is_clean(tmp_path: Path) -> None:
    code, lines = check(synthetic.write(tmp_path / "synthetic.ttl", 5000))
    assert (code, lines) == (
        0,
        ["checked 1 file: 35,008 triples, 5,000 concepts", "0 problems", "0 warnings"],
    )


@pytest.mark.slow
def test_a_50_mb_vocabulary_completes(tmp_path: Path) -> None:
    big = synthetic.write(tmp_path / "big.ttl", 90_000)
    assert big.stat().st_size > 50_000_000
    code, lines = check(big)
    assert (code, lines[1:]) == (0, ["0 problems", "0 warnings"])
    assert lines[0] == "checked 1 file: 630,008 triples, 90,000 concepts"


# --- the shipped vocabulary -------------------------------------------------------------


def test_the_shipped_vocabulary_is_clean() -> None:
    code, lines = check(ROOT / "vocab")
    assert code == 0, "\n".join(lines)


# --- The language terms are named in ---------------------------------------------------

#: A scheme that states English though most preferred labels are German: serving shows
#: English (dct:language first), so the report names the term in English too.
STATED_ENGLISH = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/elements/> .
ex:scheme a skos:ConceptScheme ; dct:title "Elements"@en ; dct:language "en" ;
    skos:hasTopConcept ex:water , ex:fire , ex:earth .
ex:water a skos:Concept ; skos:topConceptOf ex:scheme ;
    skos:prefLabel "Wasser"@de , "Water"@en ; skos:altLabel "Water"@en .
ex:fire a skos:Concept ; skos:topConceptOf ex:scheme ; skos:prefLabel "Feuer"@de .
ex:earth a skos:Concept ; skos:topConceptOf ex:scheme ; skos:prefLabel "Erde"@de .
"""


@pytest.mark.parametrize(("setting", "label"), [("", "Water"), ("de", "Wasser")])
def test_terms_are_named_in_the_language_serving_shows(
    tmp_path: Path, setting: str, label: str
) -> None:
    vocabulary = tmp_path / "elements.ttl"
    vocabulary.write_text(STATED_ENGLISH, encoding="utf-8")
    out = io.StringIO()
    limits = LoadLimits(default_language=setting)
    run([vocabulary], out, shapes=[], options=Options(select=frozenset({"S13"})), limits=limits)
    (line,) = [line for line in out.getvalue().splitlines() if "elements/water" in line]
    assert f'<https://example.org/elements/water> "{label}": S13:' in line
    served = load_snapshot([vocabulary], limits=limits).index  # as glossary serve reads it
    assert served.language(served.concepts["water"]) == (setting or "en")
