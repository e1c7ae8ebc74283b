"""``glossary check``: load vocabularies, check SKOS integrity and the SHACL shapes, report.

Exit codes: 0 clean (warnings allowed), 1 problems found, 2 unreadable input (a file that
cannot be read is reported and the others checked all the same). As text, one line per
problem, ``FILE:LINE: <IRI> "prefLabel": RULE: message``; or JSON, or SARIF 2.1.0 for code
scanning in CI; ``select``/``ignore`` choose rules, ``summary`` gives counts only. Never
touches the network.
"""

from __future__ import annotations

import json
import logging
import sys
import typing
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TextIO

import pyshacl
from pyoxigraph import BlankNode, NamedNode, Store
from pyoxigraph import Literal as RdfLiteral
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from api import __version__
from api.build.admission import SEVERITIES, Problem, with_places
from api.build.admission import problems_of_files as file_problems
from api.build.files import LoadedVocabulary, Progress, VocabularyError, discover, load
from api.build.isolation import LoadLimits, load_isolated
from api.build.records import DefaultLanguages, read_default_languages
from api.build.triples import Triples
from api.checking.facts import CONCEPT, Facts, collect, label_of
from api.checking.rules import Severity, Violation, check_facts

DEFAULT_PATHS: Final = (Path("vocab"),)
EXIT_CLEAN: Final = 0
EXIT_PROBLEMS: Final = 1
EXIT_UNREADABLE: Final = 2

#: Annotation on a shape naming the `api.checking.rules` rule that reports the same condition.
COVERED_BY: Final = URIRef("https://w3id.org/engagement-glossary/shapes/coveredBy")
_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
Format = typing.Literal["text", "json", "sarif"]
FORMATS: Final[tuple[Format, ...]] = ("text", "json", "sarif")


@dataclass(frozen=True)
class Options:
    """How to report: which rules (``select`` only these, ``ignore`` these), the format, and
    whether to give counts only."""

    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    format: Format = "text"
    summary: bool = False

    def wants(self, rule: str) -> bool:
        return (not self.select or rule in self.select) and rule not in self.ignore


def shape_files() -> tuple[Path, ...]:
    """The shipped SHACL shapes: packaged in the wheel, or ``schema/shapes`` in a checkout."""
    package = Path(__file__).resolve().parents[1]
    for base in (package / "_data" / "schema" / "shapes", package.parent / "schema" / "shapes"):
        if base.is_dir():
            return discover([base])
    return ()


def run(
    paths: Sequence[Path],
    out: TextIO,
    *,
    shapes: Sequence[Path] | None = None,
    progress: Progress | None = None,
    options: Options | None = None,
    limits: LoadLimits | None = None,
) -> int:
    """Check the vocabularies in ``paths`` (default ``vocab/``); report to ``out``; exit code.

    ``shapes`` replaces the shipped SHACL shapes; an empty sequence skips SHACL.
    """
    options = options or Options()
    try:
        return _check(paths or DEFAULT_PATHS, out, shapes, progress, options, limits)
    except VocabularyError as error:
        if options.format == "text":
            print(error, file=out)
        else:
            found = [Problem(error.rule, "error", error.message, file=error.file, line=error.line)]
            write_document(found, Checked((), 0, 0), options, out)
        return EXIT_UNREADABLE


@dataclass(frozen=True)
class Checked:
    """What was checked: the files read, their triples and concepts."""

    files: tuple[Path, ...]
    triples: int
    concepts: int


def _check(
    paths: Sequence[Path],
    out: TextIO,
    shapes: Sequence[Path] | None,
    progress: Progress | None,
    options: Options,
    limits: LoadLimits | None,
) -> int:
    # The files are untrusted: checked in a child under memory and time limits first.
    vocabulary = load_isolated(paths, limits or LoadLimits(), progress, keep_going=True)
    skip_shapes = shapes is not None and not shapes
    shapes_store = None if skip_shapes else load(_shape_paths(shapes)).store
    facts = collect(vocabulary.store)
    # Terms are named in the language serving shows them in (its setting, dct:language, ...).
    setting = limits.default_language if limits is not None else ""
    triples = Triples(vocabulary.store)
    languages = read_default_languages(triples, default_language=setting, files=vocabulary.files)
    violations = check_facts(facts, languages)
    if shapes_store is not None:
        if progress is not None:
            progress("validating the SHACL shapes")
        violations += validate_shapes(vocabulary.store, shapes_store, facts, violations, languages)
    found = [*file_problems(vocabulary), *map(as_problem, violations)]
    chosen = [problem for problem in found if options.wants(problem.rule)]
    placed = list(with_places(chosen, vocabulary.files, vocabulary.bases))
    concepts = sum(1 for _ in facts.instances(CONCEPT))
    checked = Checked(vocabulary.files, vocabulary.triple_count, concepts)
    if options.format == "text":
        if not options.summary:
            report(placed, out)
        summarise(placed, checked, out)
    else:
        write_document(placed, checked, options, out)
    return _exit_code(vocabulary, placed)


def _exit_code(vocabulary: LoadedVocabulary, found: Sequence[Problem]) -> int:
    if vocabulary.refused:
        return EXIT_UNREADABLE
    return EXIT_PROBLEMS if any(p.severity == "violation" for p in found) else EXIT_CLEAN


def as_problem(violation: Violation) -> Problem:
    """A rule's finding as the problem record serving reports too."""
    return Problem(
        violation.rule, violation.severity, violation.message, violation.term, violation.label
    )


def _shape_paths(shapes: Sequence[Path] | None) -> Sequence[Path]:
    """The shapes asked for, else the shipped ones; an installation without them is broken."""
    if shapes is not None:
        return shapes
    if shipped := shape_files():
        return shipped
    raise VocabularyError("no-shapes", "the SHACL shapes (schema/shapes/) are not installed")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m api.checking.report [PATH ...]``."""
    arguments = sys.argv[1:] if argv is None else argv
    return run([Path(argument) for argument in arguments], sys.stdout)


# --- SHACL ----------------------------------------------------------------------------


def validate_shapes(
    store: Store,
    shapes: Store,
    facts: Facts,
    known: Iterable[Violation] = (),
    languages: DefaultLanguages | None = None,
) -> tuple[Violation, ...]:
    """SHACL results as problems, leaving out those an integrity rule in ``known`` reported;
    terms named in the language serving shows them in (``languages``, read when not given)."""
    with _quiet_literals():
        shapes_graph, data_graph = to_rdflib(shapes), to_rdflib(store)
        # No inference and no SHACL-AF keep pySHACL to about a second per 5,000 concepts.
        _, results, _ = pyshacl.validate(
            data_graph, shacl_graph=shapes_graph, inference="none", advanced=False
        )
    covered = {(problem.term, problem.rule) for problem in known}
    languages = languages or read_default_languages(Triples(store))
    found = (
        _problem(results, shapes_graph, facts, result, languages) for result in _results(results)
    )
    kept = (problem for problem, rule in found if (problem.term, rule) not in covered)
    return tuple(sorted(kept, key=lambda problem: (problem.term, problem.rule, problem.message)))


@contextmanager
def _quiet_literals() -> Iterator[None]:
    """Silence rdflib's logged traceback for each ill-typed literal: the shapes report them."""
    logger = logging.getLogger("rdflib.term")
    disabled, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = disabled


def _results(results: Graph) -> Iterable[Node]:
    return results.subjects(RDF.type, SH.ValidationResult)


def _problem(
    results: Graph, shapes: Graph, facts: Facts, result: Node, languages: DefaultLanguages
) -> tuple[Violation, str]:
    """The problem a validation result states, and the integrity rule that covers it (or "")."""
    term = _name(results.value(result, SH.focusNode))
    shape = results.value(result, SH.sourceShape)
    message = str(results.value(result, SH.resultMessage) or "does not conform")
    value = results.value(result, SH.value)
    if value is not None:
        message += f" (value {value.n3()})"
    rule = shape.split("/")[-1] if isinstance(shape, URIRef) else "shacl"
    violation = results.value(result, SH.resultSeverity) == SH.Violation
    severity: Severity = "violation" if violation else "warning"
    problem = Violation(term, label_of(facts, term, languages.of(term)), rule, message, severity)
    return problem, str(shapes.value(shape, COVERED_BY) or "")


def _name(node: Node | None) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def to_rdflib(store: Store) -> Graph:
    """Copy a pyoxigraph store into an rdflib graph (for pySHACL), all graphs merged.

    Building terms directly is about twice as fast as dumping and re-parsing N-Triples.
    """
    graph = Graph()
    iris: dict[str, URIRef] = {}

    def term(node: object) -> Node:
        if isinstance(node, NamedNode):
            return iris.get(node.value) or iris.setdefault(node.value, URIRef(node.value))
        if isinstance(node, BlankNode):
            return BNode(node.value)
        if isinstance(node, RdfLiteral):
            return _literal(node)
        raise VocabularyError("rdf-star", f"RDF-star triple terms are not supported: {node}")

    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in store)
    return graph


def _literal(node: RdfLiteral) -> Literal:
    if node.language is not None:
        return Literal(node.value, lang=node.language)
    datatype = node.datatype.value
    return Literal(node.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


# --- Reporting ------------------------------------------------------------------------


def report(problems: Sequence[Problem], out: TextIO) -> None:
    """One line per problem, errors first, then violations, then warnings, each group in file
    and line order."""

    def line(problem: Problem) -> tuple[str, int, str]:
        return str(problem.file or ""), problem.line or 0, str(problem)

    for severity in SEVERITIES:
        lines = sorted(line(problem) for problem in problems if problem.severity == severity)
        out.writelines(text + "\n" for _, _, text in lines)


def summarise(problems: Sequence[Problem], checked: Checked, out: TextIO) -> None:
    """Counts: files, triples, concepts, errors (if any), problems by rule, warnings by rule."""
    files = _count(len(checked.files), "file")
    print(f"checked {files}: {checked.triples:,} triples, {checked.concepts:,} concepts", file=out)
    for severity, noun in (("error", "error"), ("violation", "problem"), ("warning", "warning")):
        by_rule = Counter(problem.rule for problem in problems if problem.severity == severity)
        if severity == "error" and not by_rule:
            continue
        rules = ", ".join(f"{rule} {count}" for rule, count in sorted(by_rule.items()))
        print(_count(by_rule.total(), noun) + (f" ({rules})" if rules else ""), file=out)


def write_document(
    problems: Sequence[Problem], checked: Checked, options: Options, out: TextIO
) -> None:
    """The report as one JSON document: our own shape, or SARIF 2.1.0."""
    document = sarif(problems) if options.format == "sarif" else _json(problems, checked, options)
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _json(problems: Sequence[Problem], checked: Checked, options: Options) -> dict[str, Any]:
    counts = Counter(problem.severity for problem in problems)
    by_rule = Counter((problem.rule, problem.severity) for problem in problems)
    document: dict[str, Any] = {
        "files": [str(file) for file in checked.files],
        "triples": checked.triples,
        "concepts": checked.concepts,
        "counts": {severity: counts[severity] for severity in SEVERITIES},
        "rules": [
            {"rule": rule, "severity": severity, "count": count}
            for (rule, severity), count in sorted(by_rule.items())
        ],
    }
    if not options.summary:
        document["problems"] = [_as_json(problem) for problem in problems]
    return document


def _as_json(problem: Problem) -> dict[str, Any]:
    return {
        "rule": problem.rule,
        "severity": problem.severity,
        "message": problem.message,
        "term": problem.term,
        "label": problem.label,
        "file": None if problem.file is None else str(problem.file),
        "line": problem.line,
    }


def sarif(problems: Sequence[Problem]) -> dict[str, Any]:
    """SARIF 2.1.0 (OASIS): one run, a rule per rule id, a result per problem located by file
    URI and start line, so that code-scanning services annotate the lines."""
    rules = sorted({problem.rule for problem in problems})
    driver = {
        "name": "glossary check",
        "version": __version__,
        "informationUri": "https://www.w3.org/TR/skos-reference/",
        "rules": [{"id": rule, "name": rule} for rule in rules],
    }
    results = [_sarif_result(problem, rules.index(problem.rule)) for problem in problems]
    run = {"tool": {"driver": driver}, "results": results}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _sarif_result(problem: Problem, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": problem.rule,
        "ruleIndex": rule_index,
        "level": "warning" if problem.severity == "warning" else "error",
        "message": {"text": problem.text()},
    }
    if problem.file is not None:
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(problem.file)}}
        if problem.line is not None:
            location["region"] = {"startLine": problem.line}
        result["locations"] = [{"physicalLocation": location}]
    return result


def _uri(file: Path) -> str:
    """A file as SARIF names it: relative to the working folder (where CI checks out the
    repository) when it is inside it, else an absolute ``file:`` URI."""
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.resolve().as_uri()


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


if __name__ == "__main__":
    raise SystemExit(main())
