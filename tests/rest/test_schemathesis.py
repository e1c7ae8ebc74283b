"""Property-based tests of the running service against ``openapi/openapi.yaml``.

Schemathesis generates requests from the document (its examples, then random and boundary
values, valid and invalid) and sends them to a real uvicorn subprocess; every response
must be documented: no unexpected error, a declared status and content type, and a body
that validates against the schema.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.rest.openapi import spec_path

#: Examples per operation: enough to hit every parameter's edges, under a minute in all.
MAX_EXAMPLES = 60

# A SPARQL query sent as the whole body (SPARQL 1.1 Protocol §2.1.3) is UTF-8 text, which
# schemathesis only knows how to send under text/* types unless told.
schemathesis.serializer.alias("application/sparql-query", "text/plain")

schema = schemathesis.openapi.from_path(spec_path())


def not_an_unexpected_error(ctx: Any, response: Any, case: schemathesis.Case[Any]) -> None:
    """No 500, the answer to an unexpected error. Unlike schemathesis's ``not_a_server_error``
    this lets through the 5xx the document promises for some operations (oEmbed's 501 for
    ``format=xml``, SPARQL's 503 and 504), which ``status_code_conformance`` still checks
    are documented for the operation that sent them."""
    assert response.status_code != 500, f"{case.operation.label}: 500 {response.text[:500]}"


CHECKS = [
    not_an_unexpected_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.slow
@pytest.mark.server
@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_service_conforms_to_its_openapi(case: schemathesis.Case[Any], server_url: str) -> None:
    # Redirects are not followed: /resolve's and /def/{name}'s documented answer is the 303.
    case.call_and_validate(base_url=server_url, checks=CHECKS, allow_redirects=False)
