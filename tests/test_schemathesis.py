"""Property-based tests of the running service against ``openapi/openapi.yaml``.

Schemathesis generates requests from the document (its examples, then random and boundary
values) and sends them to a real uvicorn subprocess; every response must be documented:
no 5xx, a declared status and content type, and a body that validates against the schema.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.openapi import spec_path

#: Examples per operation: enough to hit every parameter's edges, about a minute in all.
MAX_EXAMPLES = 60

schema = schemathesis.openapi.from_path(spec_path())

CHECKS = [
    not_a_server_error,
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
    # Redirects are not followed: /resolve's documented answer is the 303 itself.
    case.call_and_validate(base_url=server_url, checks=CHECKS, allow_redirects=False)
