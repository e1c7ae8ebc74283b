"""The loader reads Turtle, RDF/XML, N-Triples and JSON-LD with pyoxigraph, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from api.build.files import (
    PROGRESS_BYTES,
    Checked,
    Relative,
    VocabularyError,
    check_file,
    discover,
    load,
)
from tests.data import synthetic
from tests.support import DATA

GOOD = DATA / "good"
BAD = DATA / "bad"
TURTLE = '<https://example.org/a> <https://example.org/p> "x"@en .\n'


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def refusal(path: Path) -> VocabularyError:
    with pytest.raises(VocabularyError) as caught:
        load([path])
    return caught.value


# --- discover -------------------------------------------------------------------------


def test_discover_walks_directories_sorted_keeping_rdf_files_only(tmp_path: Path) -> None:
    files = [write(tmp_path / name, TURTLE) for name in ("b.ttl", "a/z.nt", "a/y.jsonld")]
    write(tmp_path / "notes.txt", "not RDF")
    write(tmp_path / ".git" / "hidden.ttl", TURTLE)
    assert discover([tmp_path]) == tuple(sorted(files))


def test_discover_accepts_every_known_extension(tmp_path: Path) -> None:
    names = ["a.ttl", "b.rdf", "c.owl", "d.xml", "e.nt", "f.jsonld", "g.json", "h.TTL"]
    paths = [write(tmp_path / name, TURTLE) for name in names]
    assert discover(paths) == tuple(sorted(paths))


def test_discover_names_each_file_once(tmp_path: Path) -> None:
    file = write(tmp_path / "a.ttl", TURTLE)
    assert discover([file, tmp_path, file]) == (file,)


def test_an_explicitly_named_file_with_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    file = write(tmp_path / "vocabulary.csv", "a,b\n")
    with pytest.raises(VocabularyError) as caught:
        discover([file])
    assert caught.value.rule == "unknown-extension"
    assert str(caught.value) == f"{file}: unknown-extension: not one of {_extensions()}"


def _extensions() -> str:
    return ".json .jsonld .nt .owl .rdf .ttl .xml"


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path / "nowhere.ttl")
    assert (error.rule, error.message) == ("unreadable", "no such file or directory")


def test_a_directory_without_rdf_files_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "readme.md", "# nothing here")
    error = refusal(tmp_path)
    assert error.rule == "no-files"
    assert str(tmp_path) in error.message


# --- load -----------------------------------------------------------------------------


def test_load_reads_all_four_syntaxes_into_one_store() -> None:
    vocabulary = load([GOOD])
    assert [file.name for file in vocabulary.files] == [
        "more.nt",
        "vocabulary.jsonld",
        "vocabulary.rdf",
        "vocabulary.ttl",
    ]
    assert vocabulary.triple_count == len(vocabulary.store) == 83
    schemes = {
        str(quad.subject)
        for quad in vocabulary.store.quads_for_pattern(
            None,
            pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#ConceptScheme"),
        )
    }
    assert schemes == {
        "<https://example.org/vocab/scheme>",
        "<https://example.org/json/scheme>",
        "<https://example.org/xml/scheme>",
    }


def test_blank_nodes_of_different_files_stay_distinct(tmp_path: Path) -> None:
    one = write(tmp_path / "one.ttl", '_:x <https://example.org/p> "1" .\n')
    two = write(tmp_path / "two.ttl", '_:x <https://example.org/p> "2" .\n')
    store = load([one, two]).store
    assert len({quad.subject for quad in store}) == 2


def test_the_digest_is_a_sha256_of_names_and_bytes(tmp_path: Path) -> None:
    file = write(tmp_path / "a" / "v.ttl", TURTLE)
    first = load([file]).digest
    assert len(first) == 64
    assert int(first, 16) >= 0
    assert load([write(tmp_path / "b" / "v.ttl", TURTLE)]).digest == first
    assert load([write(tmp_path / "c" / "w.ttl", TURTLE)]).digest != first
    assert load([write(file, TURTLE + "\n")]).digest != first


def test_progress_is_reported_per_file_and_every_8_mb(tmp_path: Path) -> None:
    big = synthetic.write(tmp_path / "big.ttl", 18_000)
    small = write(tmp_path / "small.ttl", TURTLE)
    messages: list[str] = []
    load([big, small], progress=messages.append)
    size = big.stat().st_size
    assert size > PROGRESS_BYTES
    assert messages[0] == f"reading {big} ({size / 1e6:.1f} MB)"
    assert messages[1].startswith(f"{big}: 8.")
    assert messages[1].endswith(f" of {size / 1e6:.1f} MB read")
    assert messages[-1] == f"reading {small} (0.0 MB)"
    assert len(messages) == 2 + size // PROGRESS_BYTES


# --- unreadable input -----------------------------------------------------------------


def test_a_turtle_syntax_error_names_its_line_and_column() -> None:
    error = refusal(BAD / "syntax.ttl")
    assert (error.rule, error.line, error.column) == ("syntax", 25, 20)
    assert str(error) == f"{BAD / 'syntax.ttl'}:25:20: syntax: . is not a valid RDF object"


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("broken.nt", "<https://example.org/a> <https://example.org/p> .\n", 1),
        ("broken.jsonld", '{\n  "@id": "https://example.org/a",\n  "x": \n', 4),
    ],
)
def test_syntax_errors_in_other_syntaxes_are_located(
    tmp_path: Path, name: str, content: str, line: int
) -> None:
    error = refusal(write(tmp_path / name, content))
    assert (error.rule, error.file, error.line) == ("syntax", tmp_path / name, line)


def test_an_rdf_xml_error_is_reported_without_a_position(tmp_path: Path) -> None:
    error = refusal(write(tmp_path / "broken.rdf", "<rdf:RDF>\n<x>\n</rdf:RDF>\n"))
    assert (error.rule, error.message, error.line) == ("syntax", "Unknown prefix rdf:", None)


def test_an_empty_file_is_refused() -> None:
    error = refusal(BAD / "empty.ttl")
    assert str(error) == f"{BAD / 'empty.ttl'}: empty: the file is empty"


def test_a_file_of_only_prefixes_and_comments_is_refused(tmp_path: Path) -> None:
    file = write(tmp_path / "hollow.ttl", "# nothing\n@prefix ex: <https://example.org/> .\n")
    error = refusal(file)
    assert (error.rule, error.message) == ("empty", "the file adds no triples")


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    file = write(tmp_path / "image.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    error = refusal(file)
    assert (error.rule, error.line, error.column) == ("binary", 3, 1)
    assert "binary data" in str(error)


def test_text_that_is_not_utf8_is_refused_with_its_position(tmp_path: Path) -> None:
    file = write(tmp_path / "latin1.ttl", TURTLE.encode() + '<a> <b> "café" .'.encode("latin-1"))
    error = refusal(file)
    assert (error.rule, error.line, error.column) == ("encoding", 2, 13)
    assert error.message == "not UTF-8 text (byte 0xe9)"


def test_a_remote_json_ld_context_is_refused_before_parsing() -> None:
    error = refusal(BAD / "remote-context.jsonld")
    assert (error.rule, error.line) == ("remote-context", 2)
    assert "'https://schema.org/' is not fetched" in error.message


@pytest.mark.parametrize(
    "context",
    [
        '["https://example.org/context.jsonld", {"ex": "https://example.org/"}]',
        '{"@import": "https://example.org/context.jsonld"}',
        '{"p": {"@id": "https://example.org/p", "@context": "https://example.org/c.jsonld"}}',
    ],
)
def test_remote_contexts_anywhere_in_a_document_are_refused(tmp_path: Path, context: str) -> None:
    document = f'{{"@context": {context}, "@id": "https://example.org/a", "p": {{"q": 1}}}}'
    error = refusal(write(tmp_path / "doc.jsonld", document))
    assert error.rule == "remote-context"


def test_pyoxigraph_itself_never_fetches_a_remote_context() -> None:
    """The second line of defence: pyoxigraph has no document loader unless given one."""
    document = b'{"@context": "https://schema.org/", "@id": "https://example.org/a"}'
    with pytest.raises(SyntaxError, match="LoadDocumentCallback"):
        list(pyoxigraph.parse(document, pyoxigraph.RdfFormat.JSON_LD))


def test_an_inline_json_ld_context_loads(tmp_path: Path) -> None:
    document = '{"@context": {"ex": "https://example.org/"}, "@id": "ex:a", "ex:p": "x"}'
    assert load([write(tmp_path / "doc.json", document)]).triple_count == 1


# --- reports --------------------------------------------------------------------------


def test_an_error_reads_file_line_column_term_label_rule_message() -> None:
    error = VocabularyError(
        "S14",
        "two prefLabels",
        file=Path("vocab/x.ttl"),
        line=12,
        column=5,
        term="https://example.org/a",
        label="a",
    )
    assert str(error) == 'vocab/x.ttl:12:5: <https://example.org/a> "a": S14: two prefLabels'
    assert (error.file, error.line, error.column, error.term) == (
        Path("vocab/x.ttl"),
        12,
        5,
        "https://example.org/a",
    )


# --- hostile files ----------------------------------------------------------------------


def entity_bomb(levels: int = 9) -> str:
    """RDF/XML whose nested entities ("billion laughs") expand to 3 * 10**levels bytes."""
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + '\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:skos="http://www.w3.org/2004/02/skos/core#">\n'
        f'<skos:Concept rdf:about="http://example.org/a"><skos:prefLabel>&lol{levels};'
        "</skos:prefLabel></skos:Concept>\n</rdf:RDF>\n"
    )


#: A bomb of 3 MB, for tests in this process: without the check it would load, not explode.
SMALL_BOMB = entity_bomb(5)


@pytest.mark.parametrize("name", ["bomb.rdf", "bomb.owl", "bomb.xml"])
def test_an_entity_bomb_is_refused_before_parsing_with_file_and_line(
    tmp_path: Path, name: str
) -> None:
    bomb = write(tmp_path / name, SMALL_BOMB)
    error = refusal(bomb)
    assert (error.rule, error.file, error.line) == ("dtd", bomb, 2)
    assert str(error).startswith(f"{bomb}:2:1: dtd: a DTD (<!DOCTYPE or <!ENTITY) is not read")


def test_a_bomb_in_utf16_never_reaches_the_parser(tmp_path: Path) -> None:
    text = SMALL_BOMB.replace('"1.0"', '"1.0" encoding="UTF-16"')
    bomb = write(tmp_path / "bomb.rdf", text.encode("utf-16"))
    assert refusal(bomb).rule == "binary"  # its NUL bytes, before any look for a DTD


def test_an_entity_declaration_without_a_doctype_is_refused(tmp_path: Path) -> None:
    file = write(tmp_path / "v.rdf", '<?xml version="1.0"?>\n\n<!ENTITY x "y">\n<rdf:RDF/>\n')
    error = refusal(file)
    assert (error.rule, error.line) == ("dtd", 3)


def test_rdf_xml_without_a_dtd_loads(tmp_path: Path) -> None:
    plain = entity_bomb(1).replace("&lol1;", "lol")
    plain = plain[: plain.index("<!DOCTYPE")] + plain[plain.index("<rdf:RDF") :]
    assert load([write(tmp_path / "v.rdf", plain)]).triple_count == 2


def test_a_file_over_the_size_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    file = write(tmp_path / "v.ttl", TURTLE * 10)
    assert load([file], max_file_bytes=len(TURTLE) * 10).triple_count == 1
    with pytest.raises(VocabularyError) as caught:
        load([file], max_file_bytes=len(TURTLE) * 10 - 1)
    assert caught.value.rule == "too-large"
    assert "max_file_bytes" in str(caught.value)


def test_a_literal_longer_than_the_parser_takes_is_a_vocabulary_error(tmp_path: Path) -> None:
    huge = '<https://example.org/a> <https://example.org/p> "' + "x" * 17_000_000 + '" .\n'
    error = refusal(write(tmp_path / "v.ttl", huge))
    assert error.rule == "too-large"
    assert "16 MiB" in error.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bomb.rdf", SMALL_BOMB),
        ("v.ttl", "<a> <b> ."),
        ("v.ttl", "# nothing\n"),
        ("v.jsonld", '{"@context": "https://example.org/c", "@id": "x"}'),
    ],
)
def test_check_file_refuses_what_load_refuses(tmp_path: Path, name: str, content: str) -> None:
    file = write(tmp_path / name, content)
    with pytest.raises(VocabularyError) as caught:
        check_file(file)
    assert caught.value.rule == refusal(file).rule


def test_check_file_returns_the_bytes_it_checked(tmp_path: Path) -> None:
    file = write(tmp_path / "v.ttl", TURTLE)
    assert check_file(file) == Checked(TURTLE.encode(), None)


BOM_TURTLE = (
    "\ufeff@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    '<http://example.org/a> a skos:Concept ; skos:prefLabel "a"@en .\n'
)
BOM_JSONLD = (
    '\ufeff{"@id": "http://example.org/a", "http://www.w3.org/2004/02/skos/core#prefLabel": "a"}'
)


@pytest.mark.parametrize(("name", "text"), [("bom.ttl", BOM_TURTLE), ("bom.jsonld", BOM_JSONLD)])
def test_a_utf8_byte_order_mark_is_not_a_syntax_error(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path / name, text.encode("utf-8"))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    check_file(path)  # the child's check agrees with the load
    vocabulary = load([path])
    assert vocabulary.triple_count >= 1


# --- several files: one bad file beside good ones ---------------------------------------


def test_with_keep_going_a_bad_file_is_left_out_and_the_good_ones_load(tmp_path: Path) -> None:
    good = write(tmp_path / "a.ttl", TURTLE)
    bad = write(tmp_path / "b.ttl", "<https://example.org/a> <https://example.org/p> .\n")
    vocabulary = load([tmp_path], keep_going=True)
    assert vocabulary.files == (good,)
    assert vocabulary.triple_count == 1
    [refused] = vocabulary.refused
    assert (refused.rule, refused.file, refused.line) == ("syntax", bad, 1)
    assert vocabulary.digest == load([good]).digest


def test_without_keep_going_a_bad_file_refuses_the_load(tmp_path: Path) -> None:
    write(tmp_path / "a.ttl", TURTLE)
    write(tmp_path / "b.ttl", "<broken")
    with pytest.raises(VocabularyError, match="syntax"):
        load([tmp_path])


def test_when_no_file_can_be_read_every_failure_is_listed(tmp_path: Path) -> None:
    one = write(tmp_path / "a.ttl", "<broken")
    two = write(tmp_path / "b.nt", "<broken")
    with pytest.raises(VocabularyError) as caught:
        load([tmp_path], keep_going=True)
    assert caught.value.rule == "unreadable"
    lines = str(caught.value).splitlines()
    assert lines[0] == "unreadable: none of the 2 files can be read"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [str(one), str(two)]


# --- relative IRIs ----------------------------------------------------------------------

RELATIVE_TTL = (
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    "\n"
    '<a> a skos:Concept ; skos:prefLabel "A"@en .\n'
)
RELATIVE_RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="a"><skos:prefLabel xml:lang="en">A</skos:prefLabel></skos:Concept>
</rdf:RDF>
"""
RELATIVE_JSONLD = '{\n  "@id": "a",\n  "http://www.w3.org/2004/02/skos/core#prefLabel": "A"\n}\n'


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [("v.ttl", RELATIVE_TTL, 3), ("v.rdf", RELATIVE_RDF, 4), ("v.jsonld", RELATIVE_JSONLD, 2)],
)
def test_relative_iris_without_a_base_resolve_against_the_file_and_are_reported(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    path = write(tmp_path / name, text)
    base = path.resolve().as_uri()
    checked = check_file(path)
    assert checked.relative is not None
    assert (checked.relative.base, checked.relative.line) == (base, line)
    vocabulary = load([path], relative={path: checked.relative})
    subjects = {quad.subject.value for quad in vocabulary.store}
    assert subjects == {(tmp_path / "a").resolve().as_uri()}
    assert vocabulary.relative == (checked.relative,)


def test_the_base_iri_setting_replaces_the_file_location(tmp_path: Path) -> None:
    path = write(tmp_path / "v.ttl", RELATIVE_TTL)
    checked = check_file(path, base_iri="https://example.org/vocab/")
    assert checked.relative == Relative(path, "https://example.org/vocab/", None, 3)
    vocabulary = load([path], base_iri="https://example.org/vocab/")
    assert {quad.subject.value for quad in vocabulary.store} == {"https://example.org/vocab/a"}
    assert [found.base for found in vocabulary.relative] == ["https://example.org/vocab/"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("v.ttl", "@base <https://example.org/own/> .\n" + RELATIVE_TTL),
        (
            "v.rdf",
            RELATIVE_RDF.replace("<rdf:RDF ", '<rdf:RDF xml:base="https://example.org/own/" '),
        ),
        (
            "v.jsonld",
            RELATIVE_JSONLD.replace("{", '{"@context": {"@base": "https://example.org/own/"},', 1),
        ),
    ],
)
def test_a_file_with_its_own_base_is_not_reported(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path / name, text)
    assert check_file(path).relative is None
    vocabulary = load([path])
    assert {quad.subject.value for quad in vocabulary.store} == {"https://example.org/own/a"}
    assert vocabulary.relative == ()
