"""Reading the vocabulary from a real Oxigraph server gives the read model the files give:
the same triples (digest), the same counts, in pages of any size, from a named graph; and a
hostile store is refused with a clear message that names no host and no credential."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.build.digest import content_digest
from api.build.files import VocabularyError
from api.build.remote import Endpoint, load_endpoint, poll, public_name
from api.runtime.snapshot import Snapshot, load_snapshot
from tests.sources.conftest import GLOSSARY
from tests.support.stores import Hostile, Oxigraph, hostile_store, running_oxigraph

GRAPH = "https://example.org/graphs/glossary"


@pytest.fixture(scope="module")
def from_files() -> Snapshot:
    return load_snapshot([GLOSSARY])


def test_the_glossary_read_from_a_store_is_the_glossary_read_from_its_file(
    glossary_store: Oxigraph, from_files: Snapshot
) -> None:
    remote = load_snapshot(Endpoint(glossary_store.url))
    assert remote.digest == content_digest(from_files.store)
    assert remote.vocabulary.triple_count == from_files.vocabulary.triple_count == 794
    assert remote.index.concept_count == from_files.index.concept_count
    assert remote.problems.counts() == from_files.problems.counts()


def test_the_digest_of_the_triples_does_not_depend_on_blank_node_labels(
    from_files: Snapshot,
) -> None:
    again = load_snapshot([GLOSSARY])  # every parse labels the 115 blank-node triples anew
    assert content_digest(again.store) == content_digest(from_files.store)


def test_the_digest_changes_when_a_blank_node_s_triple_does(
    tmp_path: Path, from_files: Snapshot
) -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    changed = tmp_path / "glossary.ttl"
    changed.write_text(text.replace(" [", " [ a <urn:x:C> ;", 1), encoding="utf-8")
    assert content_digest(load_snapshot([changed]).store) != content_digest(from_files.store)


def test_small_pages_read_the_same_triples(glossary_store: Oxigraph, from_files: Snapshot) -> None:
    messages: list[str] = []
    paged = load_endpoint(Endpoint(glossary_store.url, page_size=7), messages.append)
    assert paged.digest == content_digest(from_files.store)
    assert sum("subjects read" in message for message in messages) == 10  # 68 subjects / 7


def test_a_named_graph_is_read_when_configured(tmp_path: Path, from_files: Snapshot) -> None:
    with running_oxigraph(tmp_path / "store", [GLOSSARY], graph=GRAPH) as store:
        named = load_endpoint(Endpoint(store.url, graphs=(GRAPH,)))
        assert named.digest == content_digest(from_files.store)
        with pytest.raises(VocabularyError, match="holds no triples") as refused:
            load_endpoint(Endpoint(store.url))  # the default graph is empty
    assert refused.value.rule == "empty"


def test_an_endless_answer_is_cut_at_the_byte_cap() -> None:
    with (
        hostile_store(Hostile("endless")) as url,
        pytest.raises(VocabularyError, match="source_max_bytes") as refused,
    ):
        load_endpoint(Endpoint(url, max_bytes=200_000))
    assert refused.value.rule == "too-large"


def test_a_slow_store_is_given_up_on_at_the_timeout(glossary_store: Oxigraph) -> None:
    with (
        hostile_store(Hostile("slow", delay=5, upstream=glossary_store.url)) as url,
        pytest.raises(VocabularyError, match="source_timeout") as refused,
    ):
        load_endpoint(Endpoint(url, timeout=0.5))
    assert refused.value.rule == "time-limit"


def test_an_answer_that_is_not_rdf_is_refused_by_its_content_type() -> None:
    with (
        hostile_store(Hostile("html")) as url,
        pytest.raises(VocabularyError, match="text/html") as refused,
    ):
        load_endpoint(Endpoint(url))
    assert refused.value.rule == "content-type"


def test_a_store_that_is_down_is_unreachable_and_unnamed(glossary_store: Oxigraph) -> None:
    gone = Endpoint(f"http://127.0.0.1:{glossary_store.port + 1}/secret-path/query")
    with pytest.raises(VocabularyError) as refused:
        load_endpoint(gone)
    assert refused.value.rule == "unreachable"
    assert "127.0.0.1" not in str(refused.value)
    assert "secret-path" not in str(refused.value)


def test_credentials_are_sent_and_never_shown(glossary_store: Oxigraph) -> None:
    basic = Hostile(upstream=glossary_store.url)
    with hostile_store(basic) as url:
        load_endpoint(Endpoint(url, user="reader", password="s3cret-pw"))
    assert {seen["Authorization"] for seen in basic.seen} == {"Basic cmVhZGVyOnMzY3JldC1wdw=="}
    bearer = Hostile("html")
    with hostile_store(bearer) as url:
        endpoint = Endpoint(url, user="reader", password="s3cret-pw", token="t0ken")
        with pytest.raises(VocabularyError) as refused:
            load_endpoint(endpoint)
    assert bearer.seen[0]["Authorization"] == "Bearer t0ken"
    assert "s3cret" not in repr(endpoint)
    assert "t0ken" not in repr(endpoint)
    assert "t0ken" not in str(refused.value)


def test_the_public_name_of_an_endpoint_holds_no_credential() -> None:
    named = public_name("https://user:pw@store.example:8443/sparql?key=abc#x")
    assert named == "https://store.example:8443/sparql"


def test_the_poll_query_s_answer_changes_with_the_data(tmp_path: Path) -> None:
    with running_oxigraph(tmp_path / "store", [GLOSSARY]) as store:
        endpoint = Endpoint(store.url, poll_query="SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        before = poll(endpoint)
        assert poll(endpoint) == before
        store.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
        assert poll(endpoint) != before
    assert poll(Endpoint(store.url)) == ""  # no poll query: nothing asked
