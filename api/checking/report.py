"""``glossary check``: load vocabularies, check SKOS integrity and the SHACL shapes, report.

Exit codes: 0 clean (warnings allowed), 1 problems found, 2 unreadable input. One line per
problem, ``FILE:LINE: <IRI> "prefLabel": RULE: message``; never touches the network.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Final, TextIO

import pyshacl
from pyoxigraph import BlankNode, NamedNode, Store
from pyoxigraph import Literal as RdfLiteral
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from api.build.files import Progress, VocabularyError, discover, load
from api.build.isolation import LoadLimits, load_isolated
from api.build.positions import describe, locate, where
from api.checking.facts import CONCEPT, Facts, collect, label_of
from api.checking.rules import Severity, Violation, check_facts

DEFAULT_PATHS: Final = (Path("vocab"),)
EXIT_CLEAN: Final = 0
EXIT_PROBLEMS: Final = 1
EXIT_UNREADABLE: Final = 2

#: Annotation on a shape naming the `api.checking.rules` rule that reports the same condition.
COVERED_BY: Final = URIRef("https://w3id.org/engagement-glossary/shapes/coveredBy")
_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"


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
) -> int:
    """Check the vocabularies in ``paths`` (default ``vocab/``); report to ``out``; exit code.

    ``shapes`` replaces the shipped SHACL shapes; an empty sequence skips SHACL.
    """
    try:
        return _check(paths or DEFAULT_PATHS, out, shapes, progress)
    except VocabularyError as error:
        print(error, file=out)
        return EXIT_UNREADABLE


def _check(
    paths: Sequence[Path], out: TextIO, shapes: Sequence[Path] | None, progress: Progress | None
) -> int:
    # The files are untrusted: checked in a child under memory and time limits first.
    vocabulary = load_isolated(paths, LoadLimits(), progress)
    skip_shapes = shapes is not None and not shapes
    shapes_store = None if skip_shapes else load(_shape_paths(shapes)).store
    facts = collect(vocabulary.store)
    problems = check_facts(facts)
    if shapes_store is not None:
        if progress is not None:
            progress("validating the SHACL shapes")
        problems += validate_shapes(vocabulary.store, shapes_store, facts, problems)
    report(problems, vocabulary.files, out)
    summarise(problems, facts, vocabulary.files, vocabulary.triple_count, out)
    return EXIT_PROBLEMS if any(p.severity == "violation" for p in problems) else EXIT_CLEAN


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
    store: Store, shapes: Store, facts: Facts, known: Iterable[Violation] = ()
) -> tuple[Violation, ...]:
    """SHACL results as problems, leaving out those an integrity rule in ``known`` reported."""
    with _quiet_literals():
        shapes_graph, data_graph = to_rdflib(shapes), to_rdflib(store)
        # No inference and no SHACL-AF keep pySHACL to about a second per 5,000 concepts.
        _, results, _ = pyshacl.validate(
            data_graph, shacl_graph=shapes_graph, inference="none", advanced=False
        )
    covered = {(problem.term, problem.rule) for problem in known}
    found = (_problem(results, shapes_graph, facts, result) for result in _results(results))
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


def _problem(results: Graph, shapes: Graph, facts: Facts, result: Node) -> tuple[Violation, str]:
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
    problem = Violation(term, label_of(facts, term), rule, message, severity)
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


def report(problems: Sequence[Violation], files: Sequence[Path], out: TextIO) -> None:
    """One line per problem, violations first, each group in file and line order."""
    places = locate(files, {problem.term for problem in problems})
    fallback = (files[0], None) if len(files) == 1 else (None, None)

    def line(problem: Violation) -> tuple[str, int, str]:
        file, number = places.get(problem.term, fallback)
        text = describe(problem.term, problem.label, problem.rule, problem.message)
        warning = "warning: " if problem.severity == "warning" else ""
        return str(file or ""), number or 0, where(file, number) + warning + text

    for severity in ("violation", "warning"):
        lines = sorted(line(problem) for problem in problems if problem.severity == severity)
        out.writelines(text + "\n" for _, _, text in lines)


def summarise(
    problems: Sequence[Violation], facts: Facts, files: Sequence[Path], triples: int, out: TextIO
) -> None:
    """Counts: files, triples, concepts, problems by rule, warnings by rule."""
    concepts = sum(1 for _ in facts.instances(CONCEPT))
    print(
        f"checked {_count(len(files), 'file')}: {triples:,} triples, {concepts:,} concepts",
        file=out,
    )
    for severity, noun in (("violation", "problem"), ("warning", "warning")):
        by_rule = Counter(problem.rule for problem in problems if problem.severity == severity)
        rules = ", ".join(f"{rule} {count}" for rule, count in sorted(by_rule.items()))
        print(_count(by_rule.total(), noun) + (f" ({rules})" if rules else ""), file=out)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


if __name__ == "__main__":
    raise SystemExit(main())
