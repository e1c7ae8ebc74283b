"""Bad input of every kind gets a 4xx problem (RFC 9457) whose ``detail`` is Skosmos's
message where Skosmos has one; never a 500, never a plain-text body. A hypothesis fuzz over
every path's parameters holds the service to that."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.protocols.skosmos.routes import METHODS
from tests.protocols.skosmos.shapes import CO_DESIGN, VOCID

pytestmark = pytest.mark.anyio

ENDPOINT = f"/rest/v1/{VOCID}"


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/rest/v1/nope/", 404, "Vocabulary id 'nope' not found."),
        ("/rest/v1/nope/search?query=x", 404, "Vocabulary id 'nope' not found."),
        ("/rest/v1/nope/topConcepts", 404, "Vocabulary id 'nope' not found."),
        ("/rest/v1/vocabularies", 400, "lang parameter missing"),
        ("/rest/v1/types", 400, "lang parameter missing"),
        (f"{ENDPOINT}/search", 400, "query parameter missing"),
        (f"{ENDPOINT}/lookup", 400, "label parameter missing"),
        (f"{ENDPOINT}/lookup?label=nothing+like+it", 404, "Could not find label 'nothing like it'"),
        (f"{ENDPOINT}/broader", 400, "uri parameter missing"),
        ("/rest/v1/label", 400, "uri parameter missing"),
        (
            f"{ENDPOINT}/broader?uri=https://example.org/x",
            404,
            "Could not find concept <https://example.org/x>",
        ),
        (f"{ENDPOINT}/groupMembers?uri={CO_DESIGN}", 404, f"Could not find group <{CO_DESIGN}>"),
        (f"{ENDPOINT}/search?query=x&maxhits=0", 400, None),
        (f"{ENDPOINT}/search?query=x&maxhits=-5", 400, None),
        (f"{ENDPOINT}/search?query=x&maxhits=101", 400, None),
        (f"{ENDPOINT}/search?query=x&maxhits=99999999999999", 400, None),
        (f"{ENDPOINT}/search?query=x&offset=-1", 400, None),
        (f"{ENDPOINT}/search?query=x&lang=not_a_tag!", 400, None),
        (f"{ENDPOINT}/search?query=x&parent=https://example.org/none", 404, None),
        (f"{ENDPOINT}/broader?uri=not%20an%20iri", 400, None),
        (f"{ENDPOINT}/broaderTransitive?uri={CO_DESIGN}&limit=201", 400, None),
        (f"{ENDPOINT}/broaderTransitive?uri={CO_DESIGN}&limit=0", 400, None),
        (f"{ENDPOINT}/index/A?limit=1001", 400, None),
        (f"{ENDPOINT}/new?limit=-1", 400, None),
        (f"{ENDPOINT}/data?uri={CO_DESIGN}&format=text/html", 406, None),
        (f"{ENDPOINT}/data?format=application/json", 406, None),
        (f"{ENDPOINT}/search?query=x&query=y", 400, None),
        (f"{ENDPOINT}/search?query=%ff", 400, None),
    ],
)
async def test_bad_input_is_a_problem(
    client: httpx.AsyncClient, path: str, status: int, detail: str | None
) -> None:
    response = await client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if detail is not None:
        assert body["detail"] == detail


async def test_an_ambiguous_accept_is_refused_with_what_is_offered(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(f"{ENDPOINT}/groups", headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "application/json" in response.json()["offered"]


#: Values a client might send, well-formed or not.
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "*", "en", "cy", "-1", "0", "1", "100", "101", "1e3", "true", CO_DESIGN,
         "http://", "urn:x", "skos:Concept", "application/json", "co*", "*"]
    ),
)  # fmt: skip
NAMES = st.sampled_from(
    ["query", "lang", "labellang", "vocab", "type", "parent", "group", "maxhits", "offset",
     "fields", "unique", "uri", "label", "limit", "format", "scheme", "external", "clang"]
)  # fmt: skip
PATHS = [path.replace("{vocid}", VOCID).replace("{letter}", "A") for path, _, _ in METHODS]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(path=st.sampled_from(PATHS), query=st.dictionaries(NAMES, VALUES, max_size=4))
async def test_no_parameters_make_a_server_error(
    client: httpx.AsyncClient, path: str, query: dict[str, str]
) -> None:
    response = await client.get("/rest/v1" + path, params=query)
    assert response.status_code < 500, (path, query, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
