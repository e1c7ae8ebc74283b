"""Where a term is written (file and line), and the ``FILE:LINE: <term> "label": rule:
message`` form of reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.build.files import discover
from api.build.positions import describe, locate, where
from tests.support import DATA

GOOD = DATA / "good"


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("arguments", "text"),
    [
        ((None, None, None), ""),
        ((Path("x.ttl"), None, None), "x.ttl: "),
        ((Path("x.ttl"), 3, None), "x.ttl:3: "),
        ((Path("x.ttl"), 3, 9), "x.ttl:3:9: "),
    ],
)
def test_where_shows_the_known_parts(
    arguments: tuple[Path | None, int | None, int | None], text: str
) -> None:
    assert where(*arguments) == text


def test_describe_leaves_out_what_is_unknown() -> None:
    assert describe(None, None, "syntax", "bad") == "syntax: bad"
    assert describe("https://e.org/a", None, "S9", "m") == "<https://e.org/a>: S9: m"
    assert describe("_:b1", "x", "S9", "m") == '_:b1 "x": S9: m'
    assert describe("_:b1", 'say "hi"\n', "S9", "m") == r'_:b1 "say \"hi\"\n": S9: m'


def test_locate_prefers_the_line_where_a_term_is_the_subject(tmp_path: Path) -> None:
    turtle = write(
        tmp_path / "v.ttl",
        "@prefix ex: <https://example.org/> .\n"  # 1
        "ex:c1 ex:p ex:c10 , ex:c2 .\n"  # 2
        "\n"  # 3
        "ex:c10 ex:p <https://example.org/c3> .\n"  # 4
        "ex:c2 ex:p ex:c1.\n"  # 5
        "  <https://example.org/c3> ex:p ex:c1 .\n"  # 6
        "ex:list ex:p  # a comment .\n"  # 7
        "    ex:c5 ,\n"  # 8: an object, though first on its line
        "    ex:c6 .\n"  # 9
        "# ex:c5 in a comment.\n"  # 10
        "ex:c5 ex:p ex:c6 .\n",  # 11
    )
    names = ("c1", "c2", "c3", "c10", "c4", "c5", "c6")
    terms = [f"https://example.org/{name}" for name in names]
    assert locate([turtle], terms) == {
        "https://example.org/c1": (turtle, 2),
        "https://example.org/c2": (turtle, 5),
        "https://example.org/c3": (turtle, 6),
        "https://example.org/c10": (turtle, 4),
        "https://example.org/c5": (turtle, 11),
        "https://example.org/c6": (turtle, 9),
    }


def test_locate_reads_rdf_xml_json_ld_and_n_triples() -> None:
    files = discover([GOOD])
    found = locate(
        files,
        [
            "https://example.org/xml/involvement",
            "https://example.org/vocab/involvement",
            "https://example.org/vocab/co-design",
        ],
    )
    assert found == {
        "https://example.org/xml/involvement": (GOOD / "vocabulary.rdf", 15),
        "https://example.org/vocab/involvement": (GOOD / "more.nt", 1),
        "https://example.org/vocab/co-design": (GOOD / "vocabulary.ttl", 49),
    }


def minified_json_ld(concepts: int) -> str:
    """A JSON-LD document on one line, as web teams minify it: labels with spaces and
    quotes, the @id of each concept after its labels."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    nodes = [
        {
            f"{skos}prefLabel": {"@value": f'Term "{i}" of many', "@language": "en"},
            f"{skos}broader": {"@id": f"https://example.org/c{i // 2}"},
            "@id": f"https://example.org/c{i}",
            "@type": f"{skos}Concept",
        }
        for i in range(concepts)
    ]
    return json.dumps({"@graph": nodes}, separators=(",", ":"))


def test_every_term_of_a_minified_single_line_json_ld_is_found(tmp_path: Path) -> None:
    minified = write(tmp_path / "v.jsonld", minified_json_ld(3000))
    assert minified.read_text(encoding="utf-8").count("\n") == 0
    terms = [f"https://example.org/c{i}" for i in range(3000)]
    assert locate([minified], terms) == dict.fromkeys(terms, (minified, 1))


def test_relative_iris_are_found_against_the_base_they_were_parsed_with(tmp_path: Path) -> None:
    turtle = write(
        tmp_path / "v.ttl",
        "<a> <https://example.org/p> <b> .\n"  # 1
        "@base <https://example.org/own/> .\n"  # 2
        "<c> <https://example.org/p> <../d> .\n",  # 3
    )
    found = locate(
        [turtle],
        ["https://example.org/x/a", "https://example.org/own/c", "https://example.org/d"],
        {turtle: "https://example.org/x/"},
    )
    assert found == {
        "https://example.org/x/a": (turtle, 1),
        "https://example.org/own/c": (turtle, 3),
        "https://example.org/d": (turtle, 3),
    }
