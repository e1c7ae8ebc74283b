"""One site, a public-sector reference (issue 13): /docs and every error page inside the
site's layout, "did you mean" on a missing concept, the publisher in the header, version and
date on concept pages, the accessibility statement, the feedback route and the licence as
the data states it; and concept pages for readers first."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from api.pages.errors import searched_words
from tests.support.pages import Document, assert_problem, client_for

pytestmark = pytest.mark.anyio

HTML = {"accept": "text/html"}


def in_the_layout(body: str) -> None:
    """The site's chrome: viewport, header with the home link, navigation, footer."""
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    assert '<header class="site-header">' in body
    assert '<nav aria-label="Main" class="site-nav">' in body
    assert 'href="http://testserver/pages/accessibility"' in body
    assert '<a class="skip-link" href="#main">' in body


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# Error pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "title"),
    [
        ("GET", "/concepts/coproduction", 404, "Page not found"),
        ("GET", "/no/such/page", 404, "Page not found"),
        ("GET", "/pages/search?q=" + "x" * 201, 400, "There is a problem with the request"),
        ("GET", "/concepts?lang=not_a_tag", 400, "There is a problem with the request"),
        ("POST", "/concepts/consultation", 405, "This address cannot be used that way"),
        ("GET", "/pages/a-z/zz", 404, "Page not found"),
    ],
)
async def test_errors_for_browsers_are_pages_of_the_site(
    client: httpx.AsyncClient, method: str, path: str, status: int, title: str
) -> None:
    response = await client.request(method, path, headers=HTML)
    assert response.status_code == status
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["vary"] == "Accept, Accept-Language"
    in_the_layout(response.text)
    assert f"<h1>{title}</h1>" in response.text
    assert f"Error code: {status}" in response.text
    assert response.text.count('role="search"') == 1  # the page's own box, not the header's


async def test_programs_still_get_problem_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/concepts/coproduction", headers={"accept": "application/json"})
    assert_problem(response, 404, "not-found")


async def test_a_missing_concept_suggests_the_concepts_its_id_finds(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/concepts/coproduction.html", headers=HTML)).text
    found = re.search(r'<ul class="suggestions".*?</ul>', body, re.S)
    assert found is not None
    assert '<a href="http://testserver/concepts/co-production"' in found.group(0)
    assert 'name="q" type="search" autocomplete="off" maxlength="200" value="coproduction"' in body


async def test_a_missing_page_without_a_near_concept_suggests_nothing(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/concepts/zzqxv", headers=HTML)).text
    assert 'class="suggestions"' not in body


def test_what_a_missing_path_was_looking_for() -> None:
    assert searched_words("/concepts/co-prodution.html") == "co prodution"
    assert searched_words("/concepts/citizens_assembly/card") == "citizens assembly"
    assert searched_words("/collections/five-values") == "five values"
    assert searched_words("/whatever/asset-based") == "asset based"
    assert searched_words("/") == ""
    assert len(searched_words("/concepts/" + "a" * 5000)) == 100


async def test_error_pages_speak_welsh(client: httpx.AsyncClient) -> None:
    body = (
        await client.get("/concepts/coproduction", headers={**HTML, "accept-language": "cy"})
    ).text
    assert '<h1 lang="cy">Heb ddod o hyd i&#39;r dudalen</h1>' in body
    assert '<p class="lead" lang="en">There is no concept' in body  # the detail stays English


# /docs ------------------------------------------------------------------------------------


async def test_the_docs_page_is_inside_the_site(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    in_the_layout(response.text)
    assert "<script" not in response.text  # runs under a strict CSP, offline
    assert "Accept-Language" in response.headers["vary"]
    # wide parameter tables scroll in their own focusable region, not the page
    tables = re.findall(r"<div class=\"table-scroll\"[^>]*><table>", response.text)
    assert tables
    assert all('tabindex="0"' in t and 'role="region"' in t for t in tables)
    assert response.text.count("<table>") == len(tables)


# Header, footer, statement ------------------------------------------------------------------


async def test_the_publisher_is_named_in_the_header(client: httpx.AsyncClient) -> None:
    body = (await client.get("/")).text
    header = body[body.index('<header class="site-header">') : body.index("</header>")]
    assert "Co-production Network for Wales" in header


async def test_the_licence_is_as_the_data_states_it(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    body = (await client.get("/")).text
    assert "The data states no licence or terms of reuse, so none is given here." in body
    licensed = LICENSED.replace("#LICENCE#", "<https://creativecommons.org/licenses/by/4.0/>")
    async with client_for(licensed, tmp_path) as other:
        body = (await other.get("/")).text
    assert (
        'Licence: <a href="https://creativecommons.org/licenses/by/4.0/">'
        "https://creativecommons.org/licenses/by/4.0/</a>" in body
    )


LICENSED = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://example.org/s> a skos:ConceptScheme ; dct:title "Licensed"@en ; dct:license #LICENCE# ;
    owl:versionInfo "2" ; dct:modified "2024-03-05" .
<https://example.org/c> a skos:Concept ; skos:prefLabel "thing"@en ;
    skos:inScheme <https://example.org/s> ; skos:topConceptOf <https://example.org/s> .
"""


async def test_no_feedback_link_unless_a_route_is_set(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    assert "Give feedback" not in (await client.get("/")).text
    turtle = LICENSED.replace("#LICENCE#", "<https://example.org/licence>")
    async with client_for(turtle, tmp_path, site_feedback="glossary@example.org") as other:
        body = (await other.get("/")).text
        statement = (await other.get("/pages/accessibility")).text
    assert '<a href="mailto:glossary@example.org">Give feedback on this site</a>' in body
    # the statement's contact falls back to the feedback route
    assert '<a href="mailto:glossary@example.org">glossary@example.org</a>' in statement


async def test_the_accessibility_statement_follows_the_gov_uk_model(
    tmp_path: Path,
) -> None:
    turtle = LICENSED.replace("#LICENCE#", "<https://example.org/licence>")
    settings = {
        "site_accessibility_contact": "https://example.org/contact",
        "site_accessibility_reviewed": "2026-12-03",
        "site_publisher": "Example Council",
    }
    async with client_for(turtle, tmp_path, **settings) as other:
        body = (await other.get("/pages/accessibility")).text
    in_the_layout(body)
    headings = re.findall(r"<h[123][^>]*>(.*?)</h[123]>", body)
    assert headings[:2] == [
        "Accessibility statement for Licensed",
        "How accessible this website is",
    ]
    technical = (
        "Technical information about this website\N{RIGHT SINGLE QUOTATION MARK}s accessibility"
    )
    for heading in ("Feedback and contact information", "Enforcement procedure", technical,
                    "Compliance status", "Non-accessible content", "How we tested this website",
                    "Preparation of this accessibility statement"):  # fmt: skip
        assert heading in headings
    assert "This website is run by Example Council." in body
    assert "partially compliant" in body  # honest: no audit yet
    assert "awaiting review by a Welsh speaker" in body
    assert '<a href="https://example.org/contact">' in body
    assert "This statement was last reviewed on 3 December 2026." in body


async def test_a_statement_without_contact_or_date_says_so(client: httpx.AsyncClient) -> None:
    body = (await client.get("/pages/accessibility")).text
    assert "does not yet name a contact for accessibility problems" in body
    assert "does not yet give the date it was last reviewed" in body


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("site_feedback", "javascript:alert(1)"),
        ("site_feedback", "not an address"),
        ("site_accessibility_contact", "data:text/html,x"),
        ("site_accessibility_reviewed", "3 December 2026"),
    ],
)
def test_contact_settings_take_only_an_address_a_web_url_or_a_date(name: str, value: str) -> None:
    from api.settings import Settings, SettingsError

    with pytest.raises(SettingsError):
        Settings.from_env({f"GLOSSARY_{name.upper()}": value})


# Home --------------------------------------------------------------------------------------


async def test_the_home_page_has_one_search_box_and_no_repeated_a_to_z(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/")).text
    assert body.count('role="search"') == 1
    assert "main terms" not in body.lower()  # the A to Z below lists every term
    assert body.index('id="spectrum-heading"') < body.index('id="about-heading"')
    assert body.index('id="spectrum-heading"') < body.index('id="a-to-z"')


# Concept pages for readers first -----------------------------------------------------------


async def concept(client: httpx.AsyncClient, concept_id: str) -> str:
    response = await client.get(f"/concepts/{concept_id}.html")
    assert response.status_code == 200
    return response.text


async def test_the_five_values_are_linked_from_the_criterion(client: httpx.AsyncClient) -> None:
    body = await concept(client, "co-production")
    criteria = body[
        body.index('id="criteria-heading"') : body.index(
            "</section>", body.index('id="criteria-heading"')
        )
    ]
    assert (
        'underpinned by the following <a href="http://testserver/collections/values-of-co-production">'
        "5 values</a>" in criteria
    )
    assert criteria.count("<li>") == 5
    # and they are not listed again among the related terms
    related = body[body.index('id="relations-heading"') :]
    assert "/concepts/valuing-all-participants" not in related


async def test_each_distinction_is_one_pair_naming_both(client: httpx.AsyncClient) -> None:
    body = await concept(client, "co-production")
    section = body[
        body.index('id="distinctions-heading"') : body.index(
            "</section>", body.index('id="distinctions-heading"')
        )
    ]
    pairs = re.findall(r"<dt>(.*?)</dt>", section)
    assert len(pairs) == len(set(pairs)) == 5
    participation = next(p for p in pairs if "participation" in p)
    assert text_of(participation) == "co-production and participation"
    reasons = [text_of(r) for r in re.findall(r"<dd>(.*?)</dd>", section, re.S)]
    because = "because: there is shared power and shared decision-making."
    assert f"co-production is not participation {because}" in reasons
    assert any(r.startswith("participation is not co-production because:") for r in reasons)


async def test_narrower_and_parts_holding_the_same_concepts_are_one_list(
    client: httpx.AsyncClient,
) -> None:
    body = await concept(client, "co-production")
    related = body[body.index('id="relations-heading"') :]
    assert related.count('/concepts/co-design"') == 1
    assert ">Parts<" not in related
    assert "More specific terms" not in related
    # in the order of the cycle, under the cycle's name
    cycle = related[related.index("/collections/co-production-cycle") :]
    order = [
        cycle.index(f'/concepts/{c}"')
        for c in ("co-planning", "co-design", "co-decision-making", "co-delivery", "co-evaluation")
    ]
    assert order == sorted(order)


async def test_related_terms_are_grouped_by_their_collections(client: httpx.AsyncClient) -> None:
    body = await concept(client, "co-production")
    related = body[
        body.index('id="relations-heading"') : body.index(
            "</section>", body.index('id="relations-heading"')
        )
    ]
    headings = [text_of(h) for h in re.findall(r"<h3[^>]*>(.*?)</h3>", related)]
    assert headings == [
        "Comes under", "Co-production cycle", "Approaches that share values with co-production",
        "Other related terms",
    ]  # fmt: skip
    links = re.findall(r'<li><a href="([^"]+)"', related)
    assert len(links) == len(set(links)) == 33  # each concept once (44 links before)


async def test_a_concept_shows_its_place_on_the_spectrum(client: httpx.AsyncClient) -> None:
    body = await concept(client, "consultation")
    place = body[body.index('class="place"') :]
    assert "engagement spectrum" in place[: place.index("</h2>")]
    assert (
        '<li class="here" aria-current="true"><strong lang="en">consultation</strong></li>' in place
    )


async def test_plain_headings_and_no_data_jargon(client: httpx.AsyncClient) -> None:
    for path in ("/concepts/co-production.html", "/", "/schemes/engagement-glossary.html",
                 "/collections/engagement-spectrum.html"):  # fmt: skip
        shown = text_of((await client.get(path)).text)
        for jargon in ("Top concepts", "Concept scheme", "Ordered collection", "Broader"):
            assert jargon not in shown, (path, jargon)


async def test_developer_material_is_one_folded_section_at_the_end(
    client: httpx.AsyncClient,
) -> None:
    body = await concept(client, "consultation")
    main = body[body.index("<main") : body.index("</main>")]
    folded = main[main.index('<details class="developer"') :]
    assert folded.rstrip().endswith("</details>")
    for part in ("Identifier", "Use this entry on your site", "Other formats"):
        assert part in folded
        assert part not in main[: main.index('<details class="developer"')]


async def test_every_concept_page_gives_the_glossary_version_and_date(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    body = await concept(client, "consultation")
    edition = text_of(re.search(r'<p class="edition">.*?</p>', body, re.S).group(0))  # type: ignore[union-attr]
    assert (
        edition == "From Glossary of engagement terminology , version 1.5, published August 2022."
    )
    bare = LICENSED.replace("#LICENCE#", "<https://example.org/l>").replace(
        '    owl:versionInfo "2" ; dct:modified "2024-03-05" .', "    ."
    )
    async with client_for(bare, tmp_path) as other:
        page = (await other.get("/concepts/c.html")).text
    assert 'class="edition"' not in page  # the data gives none: nothing is said


async def test_a_concept_page_parses(client: httpx.AsyncClient) -> None:
    Document(await concept(client, "co-production"))


async def test_an_undefined_entry_says_so_first_and_shows_what_the_data_says_once(
    client: httpx.AsyncClient,
) -> None:
    body = await concept(client, "coercion")
    main = body[body.index("<main") :]
    notice = main.index('class="entry-notice"')
    assert notice < main.index("<h2")  # at the top, before every section
    assert "does not define it" in main[notice : main.index("</p>", notice)]
    assert 'id="definition-heading"' not in main
    # the statement and the place are in the notice's block, not repeated below it
    assert main.count("We have a duty to act to ensure people&#39;s safety.") == 1
    assert 'class="place"' not in main
    defined = await concept(client, "consultation")
    assert 'class="entry-notice"' not in defined
