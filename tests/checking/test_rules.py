"""The rules: the table as a whole (clean vocabularies pass, each bad file breaks exactly
its rule, a violation names its term, label, rule and message), then label rules (S13, S14,
well-formed labels), hierarchy rules (broader cycles, S27), mapping rules (S46) and
structural rules (inverses, scheme membership, dangling references, S9 and S37)."""

from __future__ import annotations

import pytest

from api.build.files import load
from api.checking.rules import WARNINGS, Violation, check_integrity
from tests.checking.helpers import EX, concepts, found, problems
from tests.support import DATA


def test_the_good_vocabularies_have_no_problems() -> None:
    assert check_integrity(load([DATA / "good"]).store) == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cycle.ttl", {("a", "broader-cycle")}),
        ("two-pref-labels.ttl", {("twice", "S14")}),
        ("dangling.ttl", {("orphan", "dangling")}),
        ("s13.ttl", {("same", "S13")}),
        ("s27.ttl", {("child", "S27")}),
        ("s46.ttl", {("mapped", "S46")}),
        ("inverse.ttl", {("one-way", "inverse-stated")}),
        ("not-in-scheme.ttl", {("loose", "in-scheme")}),
        (
            "labels.ttl",
            {("labels", "label-empty"), ("labels", "label-language"), ("labels", "label-spaces")},
        ),
    ],
)
def test_each_bad_file_breaks_exactly_its_rule(name: str, expected: set[tuple[str, str]]) -> None:
    store = load([DATA / "bad" / name]).store
    got = {
        (p.term.removeprefix("https://example.org/bad/"), p.rule)
        for p in check_integrity(store)
        if p.rule not in WARNINGS  # each file's concept is alone: an orphan
    }
    assert got == expected


def test_a_problem_carries_the_pref_label_in_the_default_language_and_a_message() -> None:
    (problem,) = problems(
        concepts("a", "b", "c")
        + 'ex:a skos:prefLabel "un"@fr , "one"@en , "x"@en-GB ; skos:altLabel "one"@en .\n'
        + 'ex:b skos:prefLabel "deux"@fr . ex:c skos:prefLabel "trois"@fr .\n'
    )
    # Most prefLabels are French, so the report names the term in French.
    assert problem == Violation(
        f"{EX}a", "un", "S13", '"one"@en is both skos:prefLabel and skos:altLabel'
    )


# --- Labels ---------------------------------------------------------------------------


def test_s13_alt_and_hidden_labels_are_disjoint_too() -> None:
    turtle = concepts("a") + 'ex:a skos:prefLabel "a"@en ; skos:altLabel "b"@en ; '
    turtle += 'skos:hiddenLabel "b"@en , "a"@cy .\n'
    assert found(turtle) == {("a", "S13")}


def test_s13_compares_language_tags() -> None:
    turtle = concepts("a") + 'ex:a skos:prefLabel "a"@en ; skos:altLabel "a"@cy .\n'
    assert found(turtle) == set()


def test_s14_one_pref_label_per_language_but_many_languages() -> None:
    ok = concepts("a") + 'ex:a skos:prefLabel "a"@en , "a"@cy , "b"@fr .\n'
    assert found(ok) == set()
    (problem,) = problems(concepts("b") + 'ex:b skos:prefLabel "x"@cy , "y"@cy .\n')
    assert (problem.rule, problem.message) == (
        "S14",
        '2 skos:prefLabel in language \'cy\': "x"@cy, "y"@cy',
    )


def test_s14_without_language_tags_never_says_language_none() -> None:
    found = problems(concepts("b") + 'ex:b skos:prefLabel "x" , "y" .\n')
    (problem,) = (problem for problem in found if problem.rule == "S14")
    assert problem.message == '2 skos:prefLabel with no language tag: "x", "y"'


def test_labels_must_be_literals() -> None:
    turtle = concepts("a") + 'ex:a skos:prefLabel "a"@en ; skos:altLabel ex:b .\n'
    assert found(turtle) == {("a", "label-literal")}


@pytest.mark.parametrize("label", ['" lead"@en', '"trail "@en', '"tab\\there"@en', '"a\\nb"@en'])
def test_stray_white_space_in_labels_is_reported(label: str) -> None:
    turtle = concepts("a") + f'ex:a skos:prefLabel "a"@en ; skos:altLabel {label} .\n'
    assert found(turtle) == {("a", "label-spaces")}


def test_label_messages_stay_on_one_line() -> None:
    (problem,) = problems(concepts("a") + 'ex:a skos:prefLabel "a\\nb"@en .\n')
    assert problem.message == r'skos:prefLabel "a\nb" has stray spaces, tabs or newlines'
    assert problem.label == "a\nb"


# --- Hierarchy ------------------------------------------------------------------------


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


# --- Mappings -------------------------------------------------------------------------


def test_s46_exact_match_is_transitive() -> None:
    turtle = concepts("a")
    turtle += "ex:a skos:exactMatch ex:x . ex:x skos:exactMatch ex:y .\n"
    turtle += "ex:a skos:narrowMatch ex:y .\n"
    turtle += "ex:a skos:closeMatch ex:y .\n"  # closeMatch is allowed
    assert found(turtle) == {("a", "S46")}


@pytest.mark.parametrize("relation", ["relatedMatch", "broadMatch"])
def test_s46_exact_match_against_each_mapping(relation: str) -> None:
    turtle = concepts("a") + f"ex:a skos:exactMatch ex:x ; skos:{relation} ex:x .\n"
    assert found(turtle) == {("a", "S46")}


def test_s46_exact_match_against_a_hierarchical_link() -> None:
    turtle = concepts("a", "b") + "ex:a skos:exactMatch ex:b ; skos:broader ex:b .\n"
    turtle += "ex:b skos:narrower ex:a .\n"
    assert found(turtle) == {("a", "S46")}


# --- Structure ------------------------------------------------------------------------


def test_inverse_stated_both_ways_for_narrower_and_top_concepts() -> None:
    turtle = concepts("a", "b", "t") + "ex:a skos:narrower ex:b .\n"
    turtle += "ex:t skos:topConceptOf ex:s .\n"
    turtle += "ex:s skos:hasTopConcept ex:a .\n"
    assert found(turtle) == {
        ("a", "inverse-stated"),  # narrower without broader
        ("t", "inverse-stated"),  # topConceptOf without hasTopConcept
        ("s", "inverse-stated"),  # hasTopConcept without topConceptOf
    }


def test_top_concept_of_places_a_concept_in_its_scheme() -> None:
    turtle = "ex:a a skos:Concept ; skos:topConceptOf ex:s . ex:s skos:hasTopConcept ex:a .\n"
    turtle += "ex:b a skos:Concept .\n"
    assert found(turtle) == {("b", "in-scheme")}


def test_dangling_references_name_the_class_expected() -> None:
    turtle = concepts("a") + "ex:c a skos:Collection ; skos:member ex:a , ex:nothing .\n"
    turtle += "ex:a skos:related ex:s ; skos:inScheme ex:elsewhere .\n"
    messages = {p.message for p in problems(turtle) if p.rule == "dangling"}
    assert messages == {
        f"skos:member <{EX}nothing> is not a skos:Collection or skos:Concept or "
        "skos:OrderedCollection here",
        f"skos:related <{EX}s> is not a skos:Concept here",
        f"skos:inScheme <{EX}elsewhere> is not a skos:ConceptScheme here",
    }


def test_mappings_may_point_outside_the_loaded_data() -> None:
    turtle = concepts("a") + "ex:a skos:exactMatch <https://other.example/x> ; "
    turtle += "skos:broadMatch <https://other.example/y> .\n"
    assert found(turtle) == set()


def test_s9_and_s37_disjoint_classes() -> None:
    turtle = "ex:both a skos:Concept , skos:ConceptScheme ; skos:inScheme ex:s .\n"
    turtle += "ex:group a skos:Collection , skos:Concept ; skos:inScheme ex:s .\n"
    assert found(turtle) == {("both", "S9"), ("group", "S37")}


# --- Quality (qSKOS): warnings ---------------------------------------------------------


def test_a_pref_label_shared_in_one_scheme_and_language_is_ambiguous() -> None:
    turtle = concepts("a", "b", "c", "d") + "ex:t a skos:ConceptScheme .\n"
    turtle += 'ex:a skos:prefLabel "bank"@en ; skos:related ex:b .\n'
    turtle += 'ex:b skos:prefLabel "bank"@en , "banc"@fr ; skos:related ex:a .\n'
    turtle += 'ex:c skos:prefLabel "banc"@cy ; skos:related ex:d .\n'  # another language
    turtle += 'ex:d skos:prefLabel "bank"@en ; skos:inScheme ex:t ; skos:related ex:c .\n'
    found = [p for p in problems(turtle, quality=True) if p.rule == "ambiguous-pref-label"]
    # d is in ex:s as well as ex:t: it shares "bank"@en with a and b in ex:s only.
    (problem,) = found
    assert (problem.term, problem.severity) == (f"{EX}a", "warning")
    assert problem.message == (
        f'skos:prefLabel "bank"@en is also that of <{EX}b>, <{EX}d> in the scheme <{EX}s>'
    )


def test_a_deprecated_concept_may_keep_the_label_of_its_replacement() -> None:
    turtle = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n" + concepts("a", "b")
    turtle += 'ex:a skos:prefLabel "x"@en ; owl:deprecated true .\n'
    turtle += 'ex:b skos:prefLabel "x"@en .\n'
    assert ("a", "ambiguous-pref-label") not in found(turtle, quality=True)
    assert ("a", "orphan") not in found(turtle, quality=True)
    assert ("b", "orphan") in found(turtle, quality=True)


def test_orphans_have_no_link_no_top_and_no_collection() -> None:
    turtle = concepts("alone", "up", "down", "mapped", "top", "member", "listed", "related")
    turtle += "ex:up skos:broader ex:down . ex:mapped skos:closeMatch <https://other/x> .\n"
    turtle += "ex:top skos:topConceptOf ex:s . ex:related skos:related ex:top .\n"
    turtle += "ex:group a skos:Collection ; skos:member ex:member .\n"
    turtle += "ex:list a skos:OrderedCollection ; skos:memberList ( ex:listed ) .\n"
    orphans = {name for name, rule in found(turtle, quality=True) if rule == "orphan"}
    assert orphans == {"alone"}


def test_a_top_concept_with_a_broader_concept_in_its_scheme() -> None:
    turtle = concepts("top", "above", "elsewhere")
    turtle += "ex:t a skos:ConceptScheme . ex:elsewhere skos:inScheme ex:t .\n"
    turtle += "ex:s skos:hasTopConcept ex:top . ex:top skos:broader ex:above .\n"
    turtle += "ex:above skos:topConceptOf ex:s ; skos:broader ex:elsewhere .\n"
    found_ = [p for p in problems(turtle, quality=True) if p.rule == "top-concept-broader"]
    # ex:elsewhere is in ex:s too (concepts() puts every one there): both are reported.
    assert [(p.term, p.message) for p in found_] == [
        (f"{EX}above", f"a top concept of <{EX}s> with a broader concept <{EX}elsewhere> in it"),
        (f"{EX}top", f"a top concept of <{EX}s> with a broader concept <{EX}above> in it"),
    ]
    out_of_scheme = concepts("top2") + "ex:t a skos:ConceptScheme .\n"
    out_of_scheme += "ex:top2 skos:topConceptOf ex:s ; skos:broader ex:other .\n"
    out_of_scheme += "ex:other a skos:Concept ; skos:inScheme ex:t ; skos:narrower ex:top2 .\n"
    assert ("top2", "top-concept-broader") not in found(out_of_scheme, quality=True)
