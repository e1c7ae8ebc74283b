"""Request bodies within a size limit: the one place a body is counted and refused with 413.

A declared ``Content-Length`` over the limit is refused before anything is read; a body
without one (chunked) is refused as soon as the bytes received pass the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import Message, Receive

from api.http.errors import PayloadTooLarge


@dataclass(frozen=True)
class BodyLimit:
    """At most ``limit`` bytes of body; ``message`` tells the client why and what to do."""

    limit: int
    message: str

    def error(self) -> PayloadTooLarge:
        return PayloadTooLarge(self.message, limit=self.limit)

    def check_declared(self, request: Request) -> None:
        """A 413 before reading when ``Content-Length`` already says the body is too large."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            raise self.error()

    def wrap(self, receive: Receive) -> Receive:
        """``receive`` that raises 413 once the body received grows past the limit (for
        code that reads the body itself, such as strawberry's view)."""
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise self.error()
            return message

        return receive_within_limit

    async def read(self, request: Request) -> bytes:
        """The whole body, or a 413 as soon as it is known to be too large."""
        self.check_declared(request)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.limit:
                raise self.error()
            chunks.append(chunk)
        return b"".join(chunks)
