"""What the MCP tools answer, from the shipped glossary's snapshot: faithful to the source
(definitions and distinctions verbatim from the read model), each citing IRIs and the
vocabulary version."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.protocols.mcp import answers
from api.protocols.mcp.answers import Asked, NotFoundError
from api.runtime.serving import Runtime
from api.runtime.snapshot import Snapshot
from tests.support.pages import snapshot_of
from tests.support.vocabularies import PREFIXES


@pytest.fixture(scope="module")
def asked(snapshot: Snapshot) -> Asked:
    return Asked(Runtime(snapshot).current)


def cites(answer: dict[str, object], snapshot: Snapshot) -> None:
    vocabulary = answer["vocabulary"]
    assert isinstance(vocabulary, dict)
    assert vocabulary["digest"] == snapshot.digest
    scheme = next(iter(snapshot.index.schemes.values()))
    assert vocabulary["schemes"] == [
        {"iri": scheme.iri, "title": scheme.titles[0].value, "version": scheme.version}
    ]


def test_define_gives_the_definition_its_source_and_what_it_is_not(
    asked: Asked, snapshot: Snapshot
) -> None:
    consultation = snapshot.index.concepts["consultation"]
    answer = answers.define(asked, "Consultation")
    assert answer["concept"]["iri"] == consultation.iri
    assert answer["definition"] == consultation.definitions[0].value
    assert answer["matched_by"] == "prefLabel"
    outgoing = [d for d in consultation.distinctions if d.direction == "outgoing"]
    assert [d["other"]["id"] for d in answer["is_not"]] == [d.other for d in outgoing]
    assert [d["reason"] for d in answer["is_not"]] == [d.reason[0].value for d in outgoing]
    assert all(d["is"] == "consultation" for d in answer["is_not"])
    cites(answer, snapshot)


def test_define_finds_a_term_by_alternative_label_iri_or_search(
    asked: Asked, snapshot: Snapshot
) -> None:
    assert answers.define(asked, "citizen engagement")["concept"]["id"] == "community-engagement"
    iri = snapshot.index.concepts["co-design"].iri
    assert answers.define(asked, iri)["matched_by"] == "identifier"
    assert answers.define(asked, "coproduction")["concept"]["id"] == "co-production"
    with pytest.raises(NotFoundError):
        answers.define(asked, "qqqqzzzz")


def test_compare_gives_the_distinctions_both_ways(asked: Asked, snapshot: Snapshot) -> None:
    answer = answers.compare(asked, "participation", "co-production")
    between = [d for d in snapshot.index.concepts["participation"].distinctions
               if d.other == "co-production"]  # fmt: skip
    one_way = [d.reason[0].value for d in between if d.direction == "outgoing"]
    other_way = [d.reason[0].value for d in between if d.direction == "incoming"]
    assert one_way
    assert other_way
    assert [d["reason"] for d in answer["first_is_not_second"]] == one_way
    assert [d["reason"] for d in answer["second_is_not_first"]] == other_way
    assert answer["first_is_not_second"][0]["statement"].startswith(
        "participation is not co-production"
    )
    assert answer["second_is_not_first"][0]["statement"].startswith(
        "co-production is not participation"
    )
    cites(answer, snapshot)


def test_compare_says_where_each_sits(asked: Asked, snapshot: Snapshot) -> None:
    answer = answers.compare(asked, "co-production", "consultation")
    index = snapshot.index
    assert [b["id"] for b in answer["first"]["broader"]] == list(
        index.concepts["co-production"].broader
    )
    assert [b["id"] for b in answer["second"]["broader"]] == ["doing-for"]
    narrower = answers.compare(asked, "co-design", "co-production")["relations"]
    # The glossary says co-design is a component of co-production (iso-thes partitive).
    assert narrower == [
        "co-design is narrower than co-production",
        "co-design is a part of co-production",
    ]


def test_the_spectrum_is_the_ordered_collection_in_order(asked: Asked, snapshot: Snapshot) -> None:
    answer = answers.spectrum(asked)
    members = [m["id"] for band in answer["bands"] for m in band["members"]]
    collection = snapshot.index.collections["engagement-spectrum"]
    assert members == list(collection.members)
    assert [b["band"]["id"] for b in answer["bands"]] == ["doing-to", "doing-for", "doing-with"]
    first = answer["bands"][0]["members"][0]
    assert first["statements"] == [t.value for t in snapshot.index.concepts[first["id"]].stances]


def test_a_vocabulary_without_an_ordered_collection_says_so(tmp_path: Path) -> None:
    turtle = (
        PREFIXES
        + """
ex:s a skos:ConceptScheme ; dct:title "S"@en .
ex:a a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "a"@en .
"""
    )
    asked = Asked(Runtime(snapshot_of(turtle, tmp_path)).current)
    answer = answers.spectrum(asked)
    assert answer["spectrum"] is None
    assert "no ordered collection" in answer["message"]


def test_annotate_finds_terms_and_stops_at_the_cap(asked: Asked) -> None:
    text = "We ran a consultation, then co-production, then more consultation."
    found = answers.annotate(asked, text, None, 10)
    assert [o["concept"]["id"] for o in found["occurrences"]] == [
        "consultation", "co-production", "consultation"
    ]  # fmt: skip
    assert text[found["occurrences"][1]["start"] : found["occurrences"][1]["end"]] == (
        "co-production"
    )
    capped = answers.annotate(asked, text, None, 2)
    assert len(capped["occurrences"]) == 2
    assert capped["truncated"] is True
