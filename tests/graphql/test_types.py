"""The object types, read like a spec: every Concept, Scheme and Collection field, against
small vocabularies that have what the glossary lacks (Welsh labels, a polyhierarchy, parts,
notations, hidden labels) and against the glossary itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.settings import Settings
from tests.graphql.helpers import data, error, ids
from tests.support.vocabularies import COLLECTIONS, EXTENSION, PREFIXES, SMALL

pytestmark = pytest.mark.anyio


async def serve(folder: Path, turtle: str, **settings: int) -> AsyncIterator[httpx.AsyncClient]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocabulary.ttl").write_text(turtle, encoding="utf-8")
    app = create_app(Settings(vocab=(folder,), **settings))
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
            yield http


@pytest.fixture(scope="module")
async def small(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    # max_transitive=2 so that the cap on transitive lists shows.
    async for http in serve(tmp_path_factory.mktemp("small"), SMALL, max_transitive=2):
        yield http


@pytest.fixture(scope="module")
async def roomy(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    async for http in serve(tmp_path_factory.mktemp("roomy"), SMALL):
        yield http


@pytest.fixture(scope="module")
async def extension(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    async for http in serve(tmp_path_factory.mktemp("extension"), EXTENSION):
        yield http


@pytest.fixture(scope="module")
async def collections(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[httpx.AsyncClient]:
    async for http in serve(tmp_path_factory.mktemp("collections"), COLLECTIONS):
        yield http


# Texts and languages --------------------------------------------------------------------


async def test_texts_default_to_the_schemes_language(small: httpx.AsyncClient) -> None:
    found = await data(small, '{ concept(id: "A") { prefLabel } }')
    assert found["concept"]["prefLabel"] == "Animals"


async def test_lang_picks_a_language_and_falls_back(small: httpx.AsyncClient) -> None:
    found = await data(
        small,
        """{ animals: concept(id: "A") {
               cy: prefLabel(lang: "cy") regional: prefLabel(lang: "CY-gb") }
             birds: concept(id: "B") { cy: prefLabel(lang: "cy") } }""",
    )
    assert found["animals"] == {"cy": "Anifeiliaid", "regional": "Anifeiliaid"}
    assert found["birds"] == {"cy": "Birds"}  # no Welsh label: the default language


async def test_labels_lists_every_label_in_every_language(small: httpx.AsyncClient) -> None:
    found = await data(small, '{ concept(id: "A") { labels { value language type } } }')
    assert sorted(found["concept"]["labels"], key=lambda label: label["language"]) == [
        {"value": "Anifeiliaid", "language": "cy", "type": "PREF_LABEL"},
        {"value": "Animals", "language": "en", "type": "PREF_LABEL"},
    ]


async def test_alternative_and_hidden_labels(small: httpx.AsyncClient) -> None:
    found = await data(
        small,
        """{ birds: concept(id: "B") { altLabels hiddenLabels }
             chickens: concept(id: "C") { altLabels hiddenLabels
                                          labels { value type } } }""",
    )
    assert found["birds"] == {"altLabels": ["Avians"], "hiddenLabels": []}
    assert found["chickens"]["hiddenLabels"] == ["chikens"]
    assert {"value": "chikens", "type": "HIDDEN_LABEL"} in found["chickens"]["labels"]


async def test_notes_examples_notation_and_sources(small: httpx.AsyncClient) -> None:
    found = await data(
        small,
        """{ domestic: concept(id: "D") { notation examples sources { iri citation } }
             eggs: concept(id: "E") { definition sources { iri } notation } }""",
    )
    assert found["domestic"] == {
        "notation": "D-1",
        "examples": ["Hens."],
        "sources": [{"iri": None, "citation": "Field guide, p. 3"}],
    }
    assert found["eggs"]["definition"] == "Ova laid by birds."
    assert found["eggs"]["sources"] == [{"iri": "https://example.org/eggs"}]
    assert found["eggs"]["notation"] is None


async def test_a_malformed_language_tag_is_an_argument_error(small: httpx.AsyncClient) -> None:
    problem = await error(small, '{ concept(id: "A") { altLabels(lang: "en_GB!") } }')
    assert problem["message"] == "Argument 'lang' must be a BCP 47 language tag, such as en or cy"
    assert problem["path"] == ["concept", "altLabels"]


# Relations -------------------------------------------------------------------------------


async def test_broader_narrower_related_and_parts(small: httpx.AsyncClient) -> None:
    found = await data(
        small,
        """{ b: concept(id: "B") { broader { id } narrower { id } related { id } }
             c: concept(id: "C") { narrowerPartitive { id } }
             f: concept(id: "F") { broaderPartitive { id } } }""",
    )
    assert found["b"] == {"broader": [{"id": "A"}], "narrower": [{"id": "D"}],
                          "related": [{"id": "E"}]}  # fmt: skip
    assert ids(found["c"]["narrowerPartitive"]) == ["F"]
    assert ids(found["f"]["broaderPartitive"]) == ["C"]


async def test_hierarchy_lists_every_path_from_the_top(roomy: httpx.AsyncClient) -> None:
    found = await data(roomy, '{ concept(id: "D") { hierarchy { id } hierarchyTruncated } }')
    paths = [ids(path) for path in found["concept"]["hierarchy"]]
    assert sorted(paths) == [["A", "B", "D"], ["A", "C", "D"]]
    assert found["concept"]["hierarchyTruncated"] is False


async def test_hierarchy_counts_every_concept_on_its_paths(small: httpx.AsyncClient) -> None:
    # D's two paths hold six concepts; with max_transitive=2 only the nearest two remain.
    found = await data(small, '{ concept(id: "D") { hierarchy { id } hierarchyTruncated } }')
    assert [ids(path) for path in found["concept"]["hierarchy"]] == [["B", "D"]]
    assert found["concept"]["hierarchyTruncated"] is True


def deep_chain(depth: int) -> str:
    """Concepts c0 (the top) ... c{depth}, each the broader concept of the next."""
    lines = [PREFIXES, "ex:s a skos:ConceptScheme .", "ex:c0 a skos:Concept ; skos:inScheme ex:s ."]
    lines += [f"ex:c{i} a skos:Concept ; skos:broader ex:c{i - 1} ." for i in range(1, depth + 1)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
async def deep(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    """A 10,000-deep broader chain, served with the default ``max_transitive``."""
    async for http in serve(tmp_path_factory.mktemp("deep"), deep_chain(10_000)):
        yield http


async def test_a_deep_hierarchy_is_cut_at_the_cap(deep: httpx.AsyncClient) -> None:
    cap = Settings.model_fields["max_transitive"].default
    found = await data(
        deep,
        """{ concept(id: "c10000") { hierarchy { id } hierarchyTruncated
                broaderTransitive { id } broaderTransitiveTruncated }
             top: concept(id: "c0") { narrowerTransitive(maxDepth: 5) { id }
                narrowerTransitiveTruncated(maxDepth: 5) all: narrowerTransitiveTruncated } }""",
    )
    concept, top = found["concept"], found["top"]
    assert [ids(path) for path in concept["hierarchy"]] == [
        [f"c{i}" for i in range(10_001 - cap, 10_001)]
    ]
    assert concept["hierarchyTruncated"] is True
    assert len(concept["broaderTransitive"]) == cap
    assert concept["broaderTransitiveTruncated"] is True
    assert ids(top["narrowerTransitive"]) == ["c1", "c2", "c3", "c4", "c5"]
    assert top["narrowerTransitiveTruncated"] is False
    assert top["all"] is True


async def test_transitive_lists_follow_max_depth_and_the_cap(small: httpx.AsyncClient) -> None:
    found = await data(
        small,
        """{ concept(id: "A") { near: narrowerTransitive(maxDepth: 1) { id }
                                all: narrowerTransitive { id } }
             d: concept(id: "D") { broaderTransitive(maxDepth: 1) { id } } }""",
    )
    assert ids(found["concept"]["near"]) == ["B", "C"]
    assert len(found["concept"]["all"]) == 2  # B, C and D below A, capped at max_transitive
    assert sorted(ids(found["d"]["broaderTransitive"])) == ["B", "C"]


async def test_max_depth_must_be_positive(small: httpx.AsyncClient) -> None:
    problem = await error(small, '{ concept(id: "A") { narrowerTransitive(maxDepth: 0) { id } } }')
    assert problem["message"] == "Argument 'maxDepth' must be at least 1, got 0"


async def test_narrower_ordered_by_an_unknown_collection(client: httpx.AsyncClient) -> None:
    problem = await error(
        client, '{ concept(id: "doing-for") { narrower(orderedBy: "x") { id } } }'
    )
    assert problem["message"] == "Argument 'orderedBy' names no collection: 'x'"


async def test_scheme_of_a_concept_and_its_metadata(small: httpx.AsyncClient) -> None:
    found = await data(
        small,
        """{ concept(id: "B") {
              scheme { id iri title cy: title(lang: "cy") description version issued modified
                       creators publishers license rights citation notes
                       titles { value language } topConcepts { id } conceptCount }
              schemes { id } } }""",
    )
    scheme = found["concept"]["scheme"]
    assert scheme["iri"] == "http://example.org/scheme"
    assert (scheme["title"], scheme["cy"]) == ("Example scheme", "Cynllun enghreifftiol")
    assert scheme["version"] == "1.2"
    assert (scheme["issued"], scheme["modified"]) == ("2024-01-01", "2024-06-30")
    assert "Bob Builder" in scheme["creators"]
    assert scheme["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert scheme["rights"] == "CC BY 4.0"
    assert scheme["notes"] == ["Made for tests."]
    assert ids(scheme["topConcepts"]) == ["A"]
    assert scheme["conceptCount"] == 6
    assert ids(found["concept"]["schemes"]) == ["scheme"]


# The glossary's extension: distinctions, criteria, stances, roles ------------------------


async def test_extension_texts(extension: httpx.AsyncClient) -> None:
    found = await data(extension, '{ concept(id: "design") { criteria stances roles } }')
    assert found["concept"] == {
        "criteria": ["People design it together."],
        "stances": ["We design with you."],
        "roles": ["The organisation and people share design."],
    }


async def test_distinctions_are_seen_from_both_concepts(extension: httpx.AsyncClient) -> None:
    found = await data(
        extension,
        """{ design: concept(id: "design") {
               distinctions { concept { id } direction reason } }
             production: concept(id: "production") {
               distinctions { concept { id } direction } } }""",
    )
    assert found["design"]["distinctions"] == [
        {"concept": {"id": "production"}, "direction": "OUTGOING",
         "reason": "Co-design covers design only."},
    ]  # fmt: skip
    assert found["production"]["distinctions"] == [
        {"concept": {"id": "design"}, "direction": "INCOMING"}
    ]


async def test_stances_and_roles_in_the_glossary(client: httpx.AsyncClient) -> None:
    found = await data(client, '{ concept(id: "consultation") { stances roles } }')
    assert any(s.startswith("We decide what questions to ask") for s in found["concept"]["stances"])


# Collections ---------------------------------------------------------------------------


async def test_collection_members_keep_list_order(collections: httpx.AsyncClient) -> None:
    found = await data(
        collections,
        """{ countdown: collection(id: "countdown") { ordered label members { id } }
             numbers: collection(id: "numbers") { ordered members { id }
                                                  subcollections { id } } }""",
    )
    assert found["countdown"] == {
        "ordered": True,
        "label": "Countdown",
        "members": [{"id": "three"}, {"id": "two"}, {"id": "one"}],
    }
    assert found["numbers"]["ordered"] is False
    assert sorted(ids(found["numbers"]["members"])) == ["one", "three", "two"]
    assert ids(found["numbers"]["subcollections"]) == ["countdown"]


async def test_concepts_know_their_collections(collections: httpx.AsyncClient) -> None:
    found = await data(collections, '{ concept(id: "two") { collections { id } } }')
    assert "countdown" in ids(found["concept"]["collections"])
