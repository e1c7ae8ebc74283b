"""FHIR errors: every failure under ``/fhir/`` is an ``OperationOutcome`` (FHIR R4 §2.21.0,
"RESTful API": "servers SHOULD return an OperationOutcome" with a 4xx or 5xx).

The rest of the service answers RFC 9457 problems; here the same errors (our own
``Problem`` hierarchy, Starlette's 404 and 405) are translated into the one FHIR shape, with
``issue.code`` from the FHIR ``issue-type`` value set.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException

from api.http.errors import DISCONNECTS, Problem, from_http_exception, printable

logger = logging.getLogger("api")

#: HTTP status → FHIR ``issue-type`` code (http://hl7.org/fhir/R4/valueset-issue-type.html),
#: for errors raised as our ``Problem``s rather than as :class:`FhirError`.
ISSUE_CODES: Mapping[int, str] = {
    400: "invalid",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    408: "timeout",
    413: "too-long",
    415: "not-supported",
    422: "processing",
    429: "throttled",
    431: "too-long",
    503: "transient",
    504: "timeout",
}


class FhirError(Exception):
    """An error answered as an ``OperationOutcome`` with one issue of ``code``.

    ``expression``: the FHIRPath of what was wrong (the operation parameter's name), when
    one parameter was."""

    def __init__(
        self,
        status: int,
        code: str,
        diagnostics: str,
        *,
        expression: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics = status, code, diagnostics
        self.expression = expression
        self.headers = dict(headers or {})

    def outcome(self) -> dict[str, Any]:
        """The ``OperationOutcome`` resource of this error."""
        issue: dict[str, Any] = {
            "severity": "fatal" if self.status >= 500 else "error",
            "code": self.code,
            "diagnostics": printable(self.diagnostics),
        }
        if self.expression is not None:
            issue["expression"] = [self.expression]
        return {"resourceType": "OperationOutcome", "issue": [issue]}


def invalid(diagnostics: str, parameter: str | None = None) -> FhirError:
    """A 400 for a request FHIR cannot act on (``invalid``), naming the parameter."""
    return FhirError(400, "invalid", diagnostics, expression=parameter)


def not_found(diagnostics: str, parameter: str | None = None) -> FhirError:
    """A 404 for a code system or code that is not here (``not-found``)."""
    return FhirError(404, "not-found", diagnostics, expression=parameter)


def from_exception(error: Exception) -> FhirError:
    """Whatever an endpoint raised, as a :class:`FhirError`; a client hanging up is re-raised
    (nobody reads the answer), anything unexpected is logged and becomes a bare 500."""
    if isinstance(error, FhirError):
        return error
    if isinstance(error, DISCONNECTS):
        raise error
    if isinstance(error, HTTPException):
        error = from_http_exception(error)
    if isinstance(error, Problem):
        code = ISSUE_CODES.get(error.status, "processing" if error.status < 500 else "exception")
        named = error.extensions.get("invalid_params") or [{}]
        return FhirError(
            error.status, code, error.detail, expression=named[0].get("name"), headers=error.headers
        )
    logger.exception("unexpected error", exc_info=error)
    return FhirError(500, "exception", "The server met an unexpected error; it has been logged.")
