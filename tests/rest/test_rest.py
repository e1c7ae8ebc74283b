"""The REST contract, read like a spec: httpx against the ASGI app serving the glossary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.rest.openapi import load_spec, operations
from api.settings import Settings
from tests.support.apps import running_app
from tests.support.vocabularies import PREFIXES

pytestmark = pytest.mark.anyio

GLOSSARY = "https://w3id.org/engagement-glossary/"


async def get_json(client: httpx.AsyncClient, url: str, **kwargs: Any) -> Any:
    response = await client.get(url, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def ids(refs: list[dict[str, Any]]) -> list[str]:
    return [ref["id"] for ref in refs]


# The questions the glossary's users ask ----------------------------------------------


async def test_the_definition_of_consultation(client: httpx.AsyncClient) -> None:
    concept = await get_json(client, "/concepts/consultation")
    assert concept["prefLabel"] == {"value": "consultation", "language": "en"}
    assert concept["definition"]["value"].startswith(
        "A formal process by which policy makers and service providers ask for the views"
    )
    assert concept["definition"]["language"] == "en"
    assert concept["iri"] == GLOSSARY + "concepts/consultation"


async def test_how_participation_differs_from_co_production(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/concepts/co-production/distinctions")
    from_participation = [d for d in body["items"] if d["concept"]["id"] == "participation"]
    assert from_participation, body
    reasons = " ".join(d["reason"]["value"] for d in from_participation)
    assert "shared power and shared decision-making" in reasons


async def test_what_is_broader_than_co_design(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/concepts/co-design/broader")
    assert "co-production" in ids(body["items"])
    transitive = await get_json(client, "/concepts/co-design/broader?transitive=true")
    assert set(ids(body["items"])) <= set(ids(transitive["items"]))
    assert transitive["transitive"] is True


async def test_which_concept_citizen_engagement_means(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/lookup", params={"label": "Citizen Engagement"})
    best = body["items"][0]
    assert best["concept"]["id"] == "community-engagement"
    assert best["labelType"] == "altLabel"
    assert best["label"]["value"].lower() == "citizen engagement"


async def test_the_spectrum_in_order(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/collections/engagement-spectrum")
    assert body["ordered"] is True
    assert ids(body["members"]) == [
        "coercion", "protection", "education", "persuasion", "information",
        "consultation", "participation", "co-production", "involvement",
    ]  # fmt: skip


# Schemes -----------------------------------------------------------------------------


async def test_schemes_lists_the_glossary(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/schemes")
    (scheme,) = body["items"]
    assert scheme["id"] == "engagement-glossary"
    assert scheme["title"]["value"] == "Glossary of engagement terminology"
    assert scheme["conceptCount"] > 50


async def test_a_scheme_has_metadata_top_concepts_and_links(client: httpx.AsyncClient) -> None:
    scheme = await get_json(client, "/schemes/engagement-glossary")
    assert scheme["version"] == "1.5"
    assert scheme["defaultLanguage"] == "en"
    assert scheme["topConcepts"]
    assert scheme["links"]["self"] == "http://testserver/schemes/engagement-glossary"
    top = await get_json(client, "/schemes/engagement-glossary/top-concepts")
    assert top["items"] == scheme["topConcepts"]
    assert top["scheme"]["id"] == "engagement-glossary"


async def test_a_scheme_with_a_json_suffix(client: httpx.AsyncClient) -> None:
    scheme = await get_json(client, "/schemes/engagement-glossary.json")
    assert scheme["id"] == "engagement-glossary"


# Concepts ----------------------------------------------------------------------------


async def test_a_concept_carries_the_whole_contract(client: httpx.AsyncClient) -> None:
    concept = await get_json(client, "/concepts/co-design")
    assert concept["scheme"]["id"] == "engagement-glossary"
    assert ids(concept["schemes"]) == ["engagement-glossary"]
    assert len(concept["definitions"]) == 2
    assert concept["definition"] == concept["definitions"][0]
    assert "co-production" in ids(concept["broader"])
    assert "co-production" in ids(concept["broaderPartitive"])
    assert "co-production-cycle" in ids(concept["collections"])
    assert {s["iri"] for s in concept["sources"]} >= {
        "https://www.thedesigndivide.com/design-terms"
    }
    outgoing = [d for d in concept["distinctions"] if d["direction"] == "outgoing"]
    assert outgoing[0]["concept"]["id"] == "co-production"
    assert outgoing[0]["concept"]["prefLabel"]["value"] == "co-production"
    for relation in ("narrower", "related", "narrowerPartitive"):
        assert isinstance(concept[relation], list)


async def test_a_concept_has_recognition_criteria_and_examples(
    client: httpx.AsyncClient,
) -> None:
    concept = await get_json(client, "/concepts/consultation")
    assert concept["criteria"][0]["value"].startswith("the organisation determines the questions")
    assert any("Council surveys" in e["value"] for e in concept["examples"])


async def test_links_name_self_and_every_offered_format(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/consultation")
    links = response.json()["links"]
    assert links["self"] == "http://testserver/concepts/consultation"
    offered = {a["format"]: a for a in links["alternates"]}
    assert offered["json"] == {
        "format": "json",
        "mediaType": "application/json",
        "href": "http://testserver/concepts/consultation.json",
    }
    for alternate in links["alternates"]:
        assert f'<{alternate["href"]}>; rel="alternate"' in response.headers["link"]
        linked = await client.get(alternate["href"])
        assert linked.status_code == 200
        assert linked.headers["content-type"].startswith(alternate["mediaType"])


async def test_suffix_and_parameter_and_accept_choose_json(client: httpx.AsyncClient) -> None:
    plain = await get_json(client, "/concepts/consultation")
    assert await get_json(client, "/concepts/consultation.json") == plain
    assert await get_json(client, "/concepts/consultation?format=json") == plain
    accept = {"accept": "application/json;q=1, */*;q=0.1"}
    assert await get_json(client, "/concepts/consultation", headers=accept) == plain


async def test_a_concept_answers_in_the_default_language_when_asked_for_another(
    client: httpx.AsyncClient,
) -> None:
    welsh = await get_json(client, "/concepts/consultation?lang=cy")
    assert welsh["prefLabel"]["language"] == "en"  # the glossary is English only
    by_header = await get_json(client, "/concepts/consultation", headers={"accept-language": "cy"})
    assert by_header["prefLabel"] == welsh["prefLabel"]


# Paging ------------------------------------------------------------------------------


async def test_paging_visits_every_concept_once(client: httpx.AsyncClient) -> None:
    url: str | None = "/concepts?limit=7"
    seen: list[str] = []
    total = None
    while url is not None:
        response = await client.get(url)
        assert response.status_code == 200
        body = response.json()
        total = body["total"]
        seen += ids(body["items"])
        url = body["next"]
        if url is not None:
            assert response.headers["link"] == f'<{url}>; rel="next"'
            assert "limit=7" in url
        else:
            assert "link" not in response.headers
    assert len(seen) == total == len(set(seen))
    assert total > 50


async def test_the_default_page_size_comes_from_settings(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    body = await get_json(client, "/concepts")
    assert body["limit"] == settings.page_size
    assert len(body["items"]) == settings.page_size


async def test_concepts_filtered_by_collection_keep_its_order(client: httpx.AsyncClient) -> None:
    spectrum = await get_json(client, "/collections/engagement-spectrum")
    page = await get_json(client, "/concepts?collection=engagement-spectrum&limit=100")
    assert ids(page["items"]) == ids(spectrum["members"])


async def test_concepts_filtered_by_scheme(client: httpx.AsyncClient) -> None:
    page = await get_json(client, "/concepts?scheme=engagement-glossary&limit=1")
    scheme = await get_json(client, "/schemes/engagement-glossary")
    assert page["total"] == scheme["conceptCount"]


# Relations ---------------------------------------------------------------------------


async def test_narrower_transitive_includes_the_direct_ones(client: httpx.AsyncClient) -> None:
    direct = await get_json(client, "/concepts/engagement/narrower")
    every = await get_json(client, "/concepts/engagement/narrower?transitive=true")
    assert direct["items"]
    assert set(ids(direct["items"])) < set(ids(every["items"]))
    assert every["truncated"] is False


async def test_transitive_lists_are_capped(settings: Settings) -> None:
    capped_settings = settings.model_copy(update={"max_transitive": 2})
    async with LifespanManager(create_app(capped_settings)) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as capped:
            body = await get_json(capped, "/concepts/engagement/narrower?transitive=true")
    assert len(body["items"]) == 2
    assert body["truncated"] is True


async def test_hierarchy_paths_run_from_the_top_to_the_concept(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/concepts/co-design/hierarchy")
    assert body["paths"]
    for path in body["paths"]:
        assert path[-1]["id"] == "co-design"
        top = await get_json(client, f"/concepts/{path[0]['id']}/broader")
        assert top["items"] == []


def deep_chain(depth: int) -> str:
    """Concepts c0 (the top) ... c{depth}, each the broader concept of the next."""
    lines = [PREFIXES, "ex:s a skos:ConceptScheme .", "ex:c0 a skos:Concept ; skos:inScheme ex:s ."]
    lines += [f"ex:c{i} a skos:Concept ; skos:broader ex:c{i - 1} ." for i in range(1, depth + 1)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
async def deep(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    """The app serving a 10,000-deep broader chain, with the default ``max_transitive``."""
    vocabulary = tmp_path_factory.mktemp("deep") / "chain.ttl"
    vocabulary.write_text(deep_chain(10_000), encoding="utf-8")
    async with running_app(Settings(vocab=(vocabulary,))) as running:
        yield running.client


async def test_a_deep_hierarchy_is_cut_at_the_transitive_cap(deep: httpx.AsyncClient) -> None:
    cap = Settings.model_fields["max_transitive"].default
    body = await get_json(deep, "/concepts/c10000/hierarchy")
    assert body["truncated"] is True
    assert sum(len(path) for path in body["paths"]) == cap
    # What is kept is the way up nearest the concept, still ending at it.
    assert ids(body["paths"][0]) == [f"c{i}" for i in range(10_001 - cap, 10_001)]


async def test_a_deep_transitive_list_is_cut_at_the_cap(deep: httpx.AsyncClient) -> None:
    cap = Settings.model_fields["max_transitive"].default
    up = await get_json(deep, "/concepts/c10000/broader?transitive=true")
    down = await get_json(deep, "/concepts/c0/narrower?transitive=true")
    assert (len(up["items"]), up["truncated"]) == (cap, True)
    assert ids(down["items"]) == [f"c{i}" for i in range(1, cap + 1)]
    assert down["truncated"] is True


async def test_a_hierarchy_within_the_cap_is_whole(deep: httpx.AsyncClient) -> None:
    body = await get_json(deep, "/concepts/c3/hierarchy")
    assert body["truncated"] is False
    assert [ids(path) for path in body["paths"]] == [["c0", "c1", "c2", "c3"]]


async def test_distinctions_go_both_ways(client: httpx.AsyncClient) -> None:
    design = await get_json(client, "/concepts/co-design/distinctions")
    production = await get_json(client, "/concepts/co-production/distinctions")
    assert {"co-production", "outgoing"} <= {
        v for d in design["items"] for v in (d["concept"]["id"], d["direction"])
    }
    incoming = [d for d in production["items"] if d["direction"] == "incoming"]
    assert "co-design" in [d["concept"]["id"] for d in incoming]


async def test_related_lists_concepts(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/concepts/co-production/related")
    assert body["relation"] == "related"
    assert body["transitive"] is False


# Collections -------------------------------------------------------------------------


async def test_collections_are_listed_with_their_sizes(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/collections")
    by_id = {c["id"]: c for c in body["items"]}
    assert by_id["engagement-spectrum"]["ordered"] is True
    assert by_id["engagement-spectrum"]["memberCount"] == 9
    assert "co-production-cycle" in by_id


# Lookup, search, resolve -------------------------------------------------------------


async def test_search_ranks_and_says_what_matched(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/search", params={"q": "co-prod", "limit": 5})
    assert body["items"][0]["concept"]["id"] == "co-production"
    assert body["items"][0]["match"] == "prefix"
    assert body["items"][0]["labelType"] == "prefLabel"
    assert len(body["items"]) <= 5
    exact = await get_json(client, "/search", params={"q": "Consultation"})
    assert exact["items"][0]["concept"]["id"] == "consultation"
    assert exact["items"][0]["match"] == "exact"


async def test_search_with_no_hits_is_an_empty_list(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/search", params={"q": "zzqqxxv"})
    assert body["items"] == []


async def test_resolve_sees_other_for_every_kind(client: httpx.AsyncClient) -> None:
    for kind, slug in (
        ("concepts", "consultation"),
        ("schemes", "engagement-glossary"),
        ("collections", "engagement-spectrum"),
    ):
        response = await client.get("/resolve", params={"iri": f"{GLOSSARY}{kind}/{slug}"})
        assert response.status_code == 303
        assert response.headers["location"] == f"http://testserver/{kind}/{slug}"


# Service -----------------------------------------------------------------------------


async def test_health_reports_what_is_loaded_without_paths(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    body = response.json()
    assert body["status"] == "ok"
    assert body["files"] == ["glossary.ttl"]
    assert len(body["digest"]) == 64
    assert body["counts"]["concepts"] > 50
    assert body["counts"]["triples"] > body["counts"]["concepts"]
    assert "/" not in response.text.replace("\\/", "").split('"files"')[1].split("]")[0]
    assert response.headers["cache-control"] == "no-cache"


async def test_cache_stats_count_a_miss_once_and_a_replay_as_a_hit(settings: Settings) -> None:
    async with running_app(settings) as app:

        async def responses() -> dict[str, Any]:
            answer = await app.client.get("/health/caches")
            assert answer.headers["cache-control"] == "no-store"
            assert "etag" not in answer.headers
            assert set(answer.json()["caches"]) == set(app.runtime.current.caches.stats())
            figures: dict[str, Any] = answer.json()["caches"]["responses"]
            return figures

        def front() -> tuple[int, int]:
            stats = app.runtime.current.caches.front.stats()
            return stats.misses, stats.hits

        before, front_before = await responses(), front()
        for _ in range(2):  # made (one miss), then replayed (one hit)
            assert (await app.client.get("/concepts?limit=3")).status_code == 200
        assert (await app.client.get("/concepts?limit=3", headers={"Cookie": "a=b"})).is_success
        front_after = front()
        after = await responses()
        # The second is replayed in front of the stack; the third, with a header the front
        # cannot vouch for, by the stack: one miss counted once, and one hit, in each cache.
        assert (after["misses"] - before["misses"], after["hits"] - before["hits"]) == (1, 1)
        assert (front_after[0] - front_before[0], front_after[1] - front_before[1]) == (1, 1)
        assert after["entries"] == before["entries"] + 1
        assert after["bytesHeld"] > before["bytesHeld"]
        assert after["hitRate"] == round(after["hits"] / (after["hits"] + after["misses"]), 4)
        assert (await app.client.get("/health/caches")).json()["caches"]["documents"][
            "bytesHeld"
        ] is None  # bounded in entries only


async def test_openapi_json_is_the_yaml(client: httpx.AsyncClient) -> None:
    assert await get_json(client, "/openapi.json") == load_spec()


async def test_docs_page_lists_every_operation(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<script" not in response.text  # runs under a strict CSP, offline
    for path, method, _operation in operations(load_spec()):
        assert f"{method.upper()} {path}</code>" in response.text
    assert '<form method="get" action="search">' in response.text


class TryIt(HTMLParser):
    """Collects the URLs the /docs page's "Try it" links and forms would request."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.form: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "a" and "://" not in attributes["href"] and "#" not in attributes["href"]:
            self.urls.append("/" + attributes["href"])
        elif tag == "form" and "://" not in attributes["action"]:  # not the site's search
            self.form = ("/" + attributes["action"], {})
        elif tag == "input" and self.form is not None:
            self.form[1][attributes["name"]] = attributes["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            action, fields = self.form
            self.urls.append(str(httpx.URL(action, params=fields)))
            self.form = None


async def test_every_try_it_on_the_docs_page_works(client: httpx.AsyncClient) -> None:
    parser = TryIt()
    parser.feed((await client.get("/docs")).text)
    gets = [path for path, method, _ in operations(load_spec()) if method == "get"]
    assert len(parser.urls) >= len(gets)  # POSTs have no form: it would need a body
    for url in parser.urls:
        response = await client.get(url)
        assert response.status_code in (200, 303), (url, response.text)


# HTTP caching ------------------------------------------------------------------------

CACHEABLE = [
    "/schemes",
    "/schemes/engagement-glossary",
    "/schemes/engagement-glossary/top-concepts",
    "/concepts",
    "/concepts?limit=3",
    "/concepts/consultation",
    "/concepts/consultation.json",
    "/concepts/co-design/broader",
    "/concepts/co-design/narrower?transitive=true",
    "/concepts/co-design/related",
    "/concepts/co-design/hierarchy",
    "/concepts/co-design/distinctions",
    "/collections",
    "/collections/engagement-spectrum",
    "/lookup?label=consultation",
    "/search?q=consult",
    "/health",
    "/openapi.json",
    "/docs",
]


@pytest.mark.parametrize("url", CACHEABLE)
async def test_every_get_has_a_strong_etag_and_answers_304(
    client: httpx.AsyncClient, url: str
) -> None:
    first = await client.get(url)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert first.headers["cache-control"] in ("public, max-age=60", "no-cache")
    again = await client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = await client.get(url, headers={"if-none-match": f'"other", W/{etag}'})
    assert weak.status_code == 304


async def test_etags_differ_by_language_and_parameters(client: httpx.AsyncClient) -> None:
    tags = {
        (await client.get(url, headers=headers)).headers["etag"]
        for url, headers in (
            ("/concepts/consultation", {}),
            ("/concepts/consultation", {"accept-language": "cy"}),
            ("/concepts/consultation?lang=cy", {}),
            ("/concepts?limit=3", {}),
            ("/concepts?limit=4", {}),
        )
    }
    assert len(tags) == 5


def vary(response: httpx.Response) -> set[str]:
    return {token.strip().lower() for token in response.headers.get("vary", "").split(",")}


async def test_vary_names_what_decided(client: httpx.AsyncClient) -> None:
    negotiated = await client.get("/concepts/consultation")
    assert {"accept", "accept-language"} <= vary(negotiated)
    suffixed = await client.get("/concepts/consultation.json")
    assert "accept-language" in vary(suffixed)
    assert "accept" not in vary(suffixed)
    listed = await client.get("/concepts")
    assert "accept-language" in vary(listed)
    assert "accept" not in vary(listed)


async def test_head_answers_like_get_without_a_body(client: httpx.AsyncClient) -> None:
    get = await client.get("/concepts/consultation")
    head = await client.head("/concepts/consultation")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
