"""``outcomes``: whatever is raised below ``/fhir/`` becomes an ``OperationOutcome`` with
FHIR's issue code; the unexpected is a logged 500 that says nothing of its cause."""

from __future__ import annotations

import anyio
import pytest
from starlette.exceptions import HTTPException

from api.http.errors import InvalidParameter, PayloadTooLarge
from api.protocols.fhir.outcomes import FhirError, from_exception


def test_an_unexpected_error_is_a_fatal_500_that_hides_its_cause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    error = from_exception(ValueError("/secret/path went wrong"))
    (issue,) = error.outcome()["issue"]
    assert (error.status, issue["code"], issue["severity"]) == (500, "exception", "fatal")
    assert "secret" not in issue["diagnostics"]
    assert "unexpected error" in caplog.text


@pytest.mark.parametrize(
    ("raised", "status", "code"),
    [
        (InvalidParameter("count", "must be an integer"), 400, "invalid"),
        (PayloadTooLarge("too big"), 413, "too-long"),
        (HTTPException(405), 405, "not-supported"),
        (HTTPException(404), 404, "not-found"),
        (HTTPException(418), 418, "processing"),
    ],
)
def test_the_services_errors_keep_their_status_with_fhirs_code(
    raised: Exception, status: int, code: str
) -> None:
    error = from_exception(raised)
    assert (error.status, error.code) == (status, code)


def test_a_parameter_problem_names_the_parameter() -> None:
    error = from_exception(InvalidParameter("count", "must be an integer"))
    assert error.outcome()["issue"][0]["expression"] == ["count"]


def test_a_client_hanging_up_is_not_answered() -> None:
    with pytest.raises(anyio.BrokenResourceError):
        from_exception(anyio.BrokenResourceError())


def test_our_own_errors_pass_unchanged() -> None:
    error = FhirError(404, "not-found", "No such code.")
    assert from_exception(error) is error
