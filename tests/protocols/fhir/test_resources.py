"""``/fhir/metadata`` and ``CodeSystem``: every resource validates as FHIR R4(B), and the
glossary's scheme is projected faithfully (codes, displays, definitions, designations,
properties, hierarchy meaning)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest

from api.build.index import Index
from api.model import Concept, Scheme
from api.protocols.fhir import resources
from api.runtime.snapshot import Snapshot
from tests.protocols.fhir.checks import SYSTEM, validated

pytestmark = pytest.mark.anyio


async def test_the_capability_statement_lists_what_is_routed(client: httpx.AsyncClient) -> None:
    body = validated(await client.get("/fhir/metadata"))
    assert body["resourceType"] == "CapabilityStatement"
    assert body["fhirVersion"] == "4.0.1"
    assert body["format"] == ["json"]
    (rest,) = body["rest"]
    by_type = {r["type"]: r for r in rest["resource"]}
    assert [o["name"] for o in by_type["CodeSystem"]["operation"]] == [
        "lookup",
        "validate-code",
        "subsumes",
    ]
    assert [o["name"] for o in by_type["ValueSet"]["operation"]] == ["expand"]
    assert body["implementation"]["url"] == "http://testserver/fhir/"


async def test_terminology_mode_describes_each_code_system(client: httpx.AsyncClient) -> None:
    body = validated(await client.get("/fhir/metadata", params={"mode": "terminology"}))
    assert body["resourceType"] == "TerminologyCapabilities"
    (system,) = body["codeSystem"]
    assert system["uri"] == SYSTEM
    assert system["subsumption"] is True
    assert system["version"][0]["code"] == "1.5"
    assert "distinction" in system["version"][0]["property"]
    assert body["expansion"]["paging"] is True


@pytest.fixture(scope="module")
async def code_system(client: httpx.AsyncClient) -> dict[str, Any]:
    return validated(await client.get("/fhir/CodeSystem/engagement-glossary"))


def concept(code_system: dict[str, Any], code: str) -> dict[str, Any]:
    (found,) = [c for c in code_system["concept"] if c["code"] == code]
    assert isinstance(found, dict)
    return found


def values(entry: dict[str, Any], code: str) -> list[Any]:
    return [p for p in entry.get("property", []) if p["code"] == code]


async def test_the_code_system_is_the_whole_scheme(
    code_system: dict[str, Any], snapshot: Snapshot
) -> None:
    assert code_system["url"] == SYSTEM
    assert code_system["version"] == "1.5"
    assert code_system["content"] == "complete"
    ids = snapshot.index.concept_ids("engagement-glossary")
    assert [c["code"] for c in code_system["concept"]] == list(ids)
    assert code_system["count"] == len(ids) == 60
    assert code_system["valueSet"] == SYSTEM + "?fhir_vs"


async def test_broader_is_not_claimed_to_be_subsumption(code_system: dict[str, Any]) -> None:
    # The glossary's broader links are partly partitive (co-design is a component of
    # co-production), partly not: grouped-by, never is-a.
    assert code_system["hierarchyMeaning"] == "grouped-by"


async def test_consultation_has_its_definition_verbatim(code_system: dict[str, Any]) -> None:
    consultation = concept(code_system, "consultation")
    assert consultation["display"] == "consultation"
    assert consultation["definition"].startswith(
        "A formal process by which policy makers and service providers ask for the views"
    )


async def test_several_definitions_are_all_kept(code_system: dict[str, Any]) -> None:
    definitions = concept(code_system, "co-design")["definition"].split("\n\n")
    assert len(definitions) == 2  # in the read model's order: RDF has none
    assert any(d.startswith("Co-design is a design-led process") for d in definitions)
    assert any(d.startswith("Co-design sees the design decisions") for d in definitions)


async def test_labels_are_designations_with_language_and_use(code_system: dict[str, Any]) -> None:
    labels = concept(code_system, "community-engagement")["designation"]
    by_use = {(d["use"]["code"], d["value"]) for d in labels}
    assert ("prefLabel", "community engagement") in by_use
    assert ("altLabel", "citizen engagement") in by_use
    assert all(d["language"] == "en" for d in labels)


async def test_co_design_has_its_parent_and_child(code_system: dict[str, Any]) -> None:
    co_design = concept(code_system, "co-design")
    assert [p["valueCode"] for p in values(co_design, "parent")] == ["co-production"]
    assert [p["valueCode"] for p in values(co_design, "child")] == ["inclusive-co-design"]
    assert "co-design" in [
        p["valueCode"] for p in values(concept(code_system, "co-production"), "child")
    ]


async def test_distinctions_are_properties_with_their_reasons(code_system: dict[str, Any]) -> None:
    participation = values(concept(code_system, "participation"), "distinction")
    (not_co_production,) = [p for p in participation if p["valueCode"] == "co-production"]
    assert not_co_production["extension"] == [
        {
            "url": resources.REASON_EXTENSION,
            "valueString": "it doesn't require shared power or shared decision-making.",
        }
    ]
    co_production = values(concept(code_system, "co-production"), "distinction")
    reasons = {p["valueCode"]: p["extension"][0]["valueString"] for p in co_production}
    assert reasons["participation"] == "there is shared power and shared decision-making."


async def test_every_property_used_is_declared(code_system: dict[str, Any]) -> None:
    declared = {p["code"] for p in code_system["property"]}
    used = {p["code"] for c in code_system["concept"] for p in c.get("property", [])}
    assert used <= declared


async def test_a_summary_leaves_the_concepts_out(client: httpx.AsyncClient) -> None:
    body = validated(await client.get("/fhir/CodeSystem/engagement-glossary?_summary=true"))
    assert "concept" not in body
    assert body["count"] == 60
    assert body["meta"]["tag"][0]["code"] == "SUBSETTED"


async def test_search_by_url_finds_the_code_system(client: httpx.AsyncClient) -> None:
    body = validated(await client.get("/fhir/CodeSystem", params={"url": SYSTEM}))
    assert body["type"] == "searchset"
    assert body["total"] == 1
    (entry,) = body["entry"]
    assert entry["fullUrl"] == "http://testserver/fhir/CodeSystem/engagement-glossary"
    assert entry["resource"]["url"] == SYSTEM
    assert len(entry["resource"]["concept"]) == 60


@pytest.mark.parametrize("query", [{"url": "http://example.org/nothing"}, {"version": "9"}])
async def test_search_that_matches_nothing_is_an_empty_bundle(
    client: httpx.AsyncClient, query: dict[str, str]
) -> None:
    body = validated(await client.get("/fhir/CodeSystem", params=query))
    assert body["total"] == 0
    assert "entry" not in body


async def test_reads_are_cached_and_revalidated(client: httpx.AsyncClient) -> None:
    first = await client.get("/fhir/CodeSystem/engagement-glossary")
    again = await client.get(
        "/fhir/CodeSystem/engagement-glossary", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert first.headers["access-control-allow-origin"] == "*"


def two_concept_index(index: Index, co_design: Concept) -> Index:
    """``index`` cut down to co-design (as given) under co-production, a top concept."""
    scheme = "engagement-glossary"
    top = replace(index.concepts["co-production"], broader=(), broader_partitive=())
    concepts = {"co-design": co_design, "co-production": top}
    return replace(index, concepts=concepts, scheme_orders={scheme: tuple(concepts)})


@pytest.mark.parametrize(
    ("partitive", "meaning"), [(("co-production",), "part-of"), ((), "grouped-by")]
)
def test_hierarchy_meaning_is_part_of_only_when_every_link_is_partitive(
    snapshot: Snapshot, partitive: tuple[str, ...], meaning: str
) -> None:
    index = snapshot.index
    co_design = replace(
        index.concepts["co-design"], broader=("co-production",), broader_partitive=partitive
    )
    scheme = index.schemes["engagement-glossary"]
    assert resources.hierarchy_meaning(two_concept_index(index, co_design), scheme) == meaning


def test_a_flat_scheme_states_no_hierarchy_meaning(snapshot: Snapshot) -> None:
    index = snapshot.index
    flat = replace(index.concepts["co-design"], broader=(), broader_partitive=())
    scheme = index.schemes["engagement-glossary"]
    assert resources.hierarchy_meaning(two_concept_index(index, flat), scheme) is None


def test_ids_fhir_does_not_allow_are_made_fhir_ids() -> None:
    scheme = Scheme(id="my_scheme", iri="http://example.org/my_scheme", titles=())
    made = resources.resource_id(scheme)
    assert made.startswith("my-scheme.")
    assert len(made) <= 64
    assert resources.resource_id(Scheme(id="ok-id", iri="http://x/ok-id", titles=())) == "ok-id"


@pytest.mark.parametrize(("count", "entries"), [("0", 0), ("1", 1)])
async def test_search_count_limits_the_entries_not_the_total(
    client: httpx.AsyncClient, count: str, entries: int
) -> None:
    body = validated(await client.get("/fhir/CodeSystem", params={"_count": count}))
    assert body["total"] == 1
    assert len(body.get("entry", [])) == entries


async def test_search_ignores_result_parameters_it_does_not_serve(
    client: httpx.AsyncClient,
) -> None:
    query = {"url": SYSTEM, "_elements": "id", "_totalMethod": "count", "_summary": "true"}
    body = validated(await client.get("/fhir/CodeSystem", params=query))
    assert body["total"] == 1
    # The self link lists what the search used (FHIR R4 §3.1.1.5.7).
    assert body["link"][0]["url"] == (
        "http://testserver/fhir/CodeSystem?url=https%3A%2F%2Fw3id.org%2Fengagement-glossary"
        "%2Fschemes%2Fengagement-glossary&_summary=true"
    )


async def test_search_is_lenient_when_asked(client: httpx.AsyncClient) -> None:
    lenient = {"Prefer": "handling=lenient"}
    body = validated(await client.get("/fhir/CodeSystem?name=x", headers=lenient))
    assert body["total"] == 1
