"""Hierarchy rules: broader cycles and S27."""

from __future__ import annotations

from tests.checking.integrity.helpers import EX, concepts, found, problems


def test_each_cycle_is_reported_once_with_its_path() -> None:
    turtle = concepts("a", "b", "c", "x", "y", "z", "self")
    turtle += "ex:a skos:broader ex:b . ex:b skos:broader ex:c . ex:c skos:broader ex:a .\n"
    turtle += "ex:x skos:narrower ex:y . ex:y skos:narrower ex:x .\n"  # only via narrower
    turtle += "ex:self skos:broader ex:self . ex:self skos:narrower ex:self .\n"
    turtle += "ex:z skos:broader ex:a .\n"  # under the cycle, not in it
    cycles = [p for p in problems(turtle) if p.rule == "broader-cycle"]
    assert [(p.term.removeprefix(EX), p.message) for p in cycles] == [
        ("a", "skos:broader cycle: a → b → c → a"),
        ("self", "skos:broader cycle: self → self"),
        ("x", "skos:broader cycle: x → y → x"),
    ]


def test_a_partitive_cycle_is_a_broader_cycle() -> None:
    turtle = concepts("a", "b")
    turtle += "ex:a iso-thes:broaderPartitive ex:b . ex:b iso-thes:broaderPartitive ex:a .\n"
    turtle += "ex:a iso-thes:narrowerPartitive ex:b . ex:b iso-thes:narrowerPartitive ex:a .\n"
    assert found(turtle) == {("a", "broader-cycle")}


def test_a_deep_hierarchy_and_a_long_cycle_need_no_recursion() -> None:
    chain = [
        f"ex:n{i} skos:broader ex:n{i + 1} . ex:n{i + 1} skos:narrower ex:n{i} ."
        for i in range(5000)
    ]
    names = [f"n{i}" for i in range(5001)]
    assert found(concepts(*names) + "\n".join(chain)) == set()
    loop = "ex:n5000 skos:broader ex:n0 . ex:n0 skos:narrower ex:n5000 .\n"
    assert found(concepts(*names) + "\n".join(chain) + "\n" + loop) == {("n0", "broader-cycle")}


def test_s27_related_to_a_transitively_narrower_concept() -> None:
    turtle = concepts("a", "b", "c", "d")
    turtle += "ex:a skos:narrower ex:b . ex:b skos:broader ex:a .\n"
    turtle += "ex:b skos:narrower ex:c . ex:c skos:broader ex:b .\n"
    turtle += "ex:a skos:related ex:c . ex:c skos:related ex:a .\n"  # reported once
    turtle += "ex:b skos:related ex:d .\n"  # not hierarchical: fine
    (problem,) = problems(turtle)
    assert (problem.term, problem.rule) == (f"{EX}a", "S27")
    assert problem.message == f"skos:related <{EX}c>, which is also a narrower concept"


def test_s27_holds_inside_a_cycle() -> None:
    turtle = concepts("a", "b")
    turtle += "ex:a skos:broader ex:b ; skos:narrower ex:b ; skos:related ex:b .\n"
    turtle += "ex:b skos:broader ex:a ; skos:narrower ex:a .\n"
    assert found(turtle) == {("a", "broader-cycle"), ("a", "S27")}
