"""FHIR's JSON on the wire: the one media type we answer in, ``_format`` and ``Accept``
(FHIR R4 §2.21.0.6, "Content Types and encodings"), and reading a ``Parameters`` body.

JSON only: ``_format`` and ``Accept`` that ask for XML, Turtle or anything else get a 406
``OperationOutcome`` rather than JSON they did not ask for.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from api.http import parameters
from api.http.bodies import BodyLimit
from api.http.headers import content_type
from api.http.negotiation import Format, negotiate_memo
from api.protocols.fhir.outcomes import FhirError, invalid
from api.settings import Settings

FHIR_JSON = Format("fhir+json", "application/fhir+json", ("application/json",), title="FHIR JSON")

#: ``_format`` values that mean JSON (FHIR R4 §2.21.0.6: the short name or a media type,
#: with or without FHIR's ``fhirVersion`` parameter).
JSON_FORMATS = frozenset({"json", "application/json", "application/fhir+json"})
#: Body media types a ``Parameters`` resource may come in.
JSON_BODIES = frozenset({"application/fhir+json", "application/json"})


class FhirResponse(Response):
    """A FHIR resource as ``application/fhir+json`` (UTF-8, as FHIR requires)."""

    media_type = "application/fhir+json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):  # precomputed
            return content
        return dump(content)


def dump(resource: Any) -> bytes:
    """Compact JSON of a resource, non-ASCII characters as themselves."""
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()


def check_format(request: Request) -> None:
    """A 406 ``OperationOutcome`` unless ``_format``, else ``Accept``, allows FHIR JSON."""
    asked = parameters.value(request, "_format")
    if asked is not None:
        media = asked.split(";")[0].strip().lower()
        if media not in JSON_FORMATS:
            raise _not_acceptable(f"_format '{asked[:60]}' is not served: only JSON is.")
        return
    accept = request.headers.get("accept")
    decision = negotiate_memo((FHIR_JSON,), FHIR_JSON, None, None, accept)
    if decision is None:
        raise _not_acceptable("Accept names no type that is served: only application/fhir+json.")


def _not_acceptable(diagnostics: str) -> FhirError:
    return FhirError(406, "not-supported", diagnostics)


async def read_resource(request: Request, settings: Settings) -> dict[str, Any]:
    """The JSON object of a request body: FHIR JSON, within ``fhir_max_body_bytes``."""
    media, charset = content_type(request.headers.get("content-type"))
    if media not in JSON_BODIES:
        raise FhirError(
            415, "not-supported", "Send the Parameters resource as application/fhir+json."
        )
    if charset not in (None, "utf-8"):
        raise FhirError(415, "not-supported", "FHIR JSON is UTF-8; send charset=utf-8 or none.")
    limit = settings.fhir_max_body_bytes
    body = await BodyLimit(limit, f"The body must be at most {limit} bytes.").read(request)
    try:
        resource = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FhirError(400, "structure", "The body is not valid JSON.") from None
    if not isinstance(resource, dict):
        raise FhirError(400, "structure", "The body must be a JSON object: a FHIR resource.")
    return resource


def require(condition: bool, diagnostics: str, parameter: str | None = None) -> None:
    """A 400 ``invalid`` unless ``condition``."""
    if not condition:
        raise invalid(diagnostics, parameter)
