"""The honest entry: what the glossary says about a term it names without defining.

The presenter (``api.pages.entry``) over the shipped glossary and over a small vocabulary of
another shape; the card over HTTP, whose every word is either the data's or one of the
interface's few fixed phrases (nothing is invented); and neither piece names a glossary id.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from api.model import Text
from api.pages import entry as entry_module
from api.pages.entry import Entry, Place, entry
from api.runtime.snapshot import Snapshot
from tests.support.pages import snapshot_of
from tests.support.vocabularies import PREFIXES

pytestmark = pytest.mark.anyio

TEMPLATE = Path(entry_module.__file__).resolve().parent / "templates" / "entry.html"


def of(snapshot: Snapshot, concept_id: str) -> Entry:
    return entry(snapshot.index, snapshot.index.concepts[concept_id])


def test_a_defined_entry_is_defined(snapshot: Snapshot) -> None:
    found = of(snapshot, "consultation")
    assert found.defined
    assert found.kind == "defined"


def test_an_approach_on_the_spectrum_shows_its_statement_examples_and_place(
    snapshot: Snapshot,
) -> None:
    found = of(snapshot, "coercion")
    assert not found.defined
    assert found.kind == "in-sequence"
    assert found.statements == (Text("We have a duty to act to ensure people's safety.", "en"),)
    assert [t.value for t in found.examples] == ["criminal justice", "safeguarding"]
    assert found.places == (Place("engagement-spectrum", 1, 9, None, "protection"),)
    assert found.collections == ()


def test_a_place_in_the_middle_names_both_neighbours(snapshot: Snapshot) -> None:
    assert of(snapshot, "co-decision-making").places == (
        Place("co-production-cycle", 3, 5, "co-design", "co-delivery"),
    )


def test_a_grouping_term_names_what_it_groups_and_the_defined_terms_near_it(
    snapshot: Snapshot,
) -> None:
    found = of(snapshot, "doing-to")
    assert found.kind == "grouping"
    assert set(found.groups) == {"coercion", "education", "persuasion", "protection"}
    assert found.defined_related == ("engagement",)
    assert found.statements[0].value.startswith("The organisation has the knowledge.")


def test_a_listed_term_names_its_collection_and_its_defined_related_term(
    snapshot: Snapshot,
) -> None:
    found = of(snapshot, "appreciative-inquiry")
    assert found.kind == "listed"
    assert found.collections == ("approaches-sharing-co-production-values",)
    assert found.listed_in == "approaches-sharing-co-production-values"
    assert found.defined_related == ("co-production",)


def test_a_term_only_named_shows_its_scope_notes(snapshot: Snapshot) -> None:
    found = of(snapshot, "qualitative-research")
    assert found.kind == "named"
    assert len(found.statements) == 3
    assert found.says_more


def test_every_entry_is_defined_exactly_when_the_data_defines_it(snapshot: Snapshot) -> None:
    entries = [entry(snapshot.index, c) for c in snapshot.index.concepts.values()]
    assert all(e.defined == bool(e.concept.definitions) for e in entries)
    undefined = [e for e in entries if not e.defined]
    assert len(undefined) > len(entries) / 2  # most of the glossary's entries
    assert all(e.says_more for e in undefined)  # and each says something beyond a name


SHAPES = (
    PREFIXES
    + """
ex:s a skos:ConceptScheme ; dct:title "Shapes"@en .
ex:a a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "a"@en ; skos:definition "An a."@en .
ex:b a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "b"@en ; skos:related ex:a ;
  skos:example "a b"@en .
ex:c a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "c"@en ; skos:narrower ex:b .
ex:d a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "d"@en .
ex:list a skos:OrderedCollection ; skos:prefLabel "list"@en ; skos:memberList (ex:a ex:b) .
"""
)


def test_kinds_follow_the_data_of_any_vocabulary(tmp_path: Path) -> None:
    shapes = snapshot_of(SHAPES, tmp_path)
    kinds = {i: entry(shapes.index, c).kind for i, c in shapes.index.concepts.items()}
    assert kinds == {"a": "defined", "b": "in-sequence", "c": "grouping", "d": "named"}
    b = entry(shapes.index, shapes.index.concepts["b"])
    assert b.places == (Place("list", 2, 2, "a", None),)
    assert b.defined_related == ("a",)
    assert not entry(shapes.index, shapes.index.concepts["d"]).says_more


def test_the_code_names_no_glossary_id(snapshot: Snapshot) -> None:
    code = Path(entry_module.__file__).read_text(encoding="utf-8") + TEMPLATE.read_text(
        encoding="utf-8"
    )
    ids = [*snapshot.index.concepts, *snapshot.index.collections, *snapshot.index.schemes]
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", code))
    assert [i for i in ids if i in words] == []


# The card: every word is the data's or the interface's ---------------------------------

#: The interface's own phrases the card may show around the data (whole text nodes).
INTERFACE = re.compile(
    r"(uses this term to group others|gives this term a place in a sequence|lists this term"
    r"|names this term) but does not define it\.( What it does say follows\.)?"
    r"|Examples:|Place in|: \d+ of \d+(, after|, before)?|, before|Listed in:|Terms it groups:"
    r"|Related terms with a definition:|Read the full entry|for|\(opens in a new tab\)"
    r"|[.,;]"
)


class TextNodes(HTMLParser):
    """Every text node of a page's ``<main>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside, self.nodes = False, list[str]()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside |= tag == "main"

    def handle_endtag(self, tag: str) -> None:
        self.inside &= tag != "main"

    def handle_data(self, data: str) -> None:
        if self.inside and data.strip():
            self.nodes.append(data.strip())


def data_strings(snapshot: Snapshot) -> set[str]:
    index = snapshot.index
    texts: set[str] = set()
    for concept in index.concepts.values():
        for field in ("pref_labels", "definitions", "examples", "notes", "scope_notes",
                      "stances", "roles"):  # fmt: skip
            texts.update(t.value for t in getattr(concept, field))
    texts.update(t.value for c in index.collections.values() for t in c.labels)
    texts.update(t.value for s in index.schemes.values() for t in s.titles)
    return texts


async def card_nodes(client: httpx.AsyncClient, concept_id: str) -> list[str]:
    response = await client.get(f"/concepts/{concept_id}/card")
    assert response.status_code == 200
    parser = TextNodes()
    parser.feed(response.text)
    return parser.nodes


async def test_every_word_on_every_card_comes_from_the_data(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    known = data_strings(snapshot)
    for concept_id in snapshot.index.concepts:
        nodes = await card_nodes(client, concept_id)
        invented = [n for n in nodes if n not in known and not INTERFACE.fullmatch(n)]
        assert invented == [], concept_id


async def test_the_check_would_catch_an_invented_word(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    nodes = await card_nodes(client, "coercion")
    nodes.append("Coercion means forcing people.")
    known = data_strings(snapshot)
    assert [n for n in nodes if n not in known and not INTERFACE.fullmatch(n)] != []


async def test_an_undefined_card_says_so_and_shows_what_the_glossary_says(
    client: httpx.AsyncClient,
) -> None:
    card = (await client.get("/concepts/coercion/card")).text
    assert "No definition is recorded" not in card
    assert "gives this term a place in a sequence but does not define it." in card
    assert "We have a duty to act to ensure people&#39;s safety." in card
    assert "criminal justice" in card
    assert "Place in" in card
    assert ": 1 of 9" in card
    assert 'href="http://testserver/concepts/protection"' in card


async def test_a_defined_card_shows_only_its_definition(client: httpx.AsyncClient) -> None:
    card = (await client.get("/concepts/consultation/card")).text
    assert "A formal process" in card
    assert "entry-notice" not in card
    assert "entry-statement" not in card
