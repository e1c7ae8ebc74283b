"""The MCP server: read-only tools over the glossary, and concepts as resources by IRI.

Built on the SDK's ``MCPServer``. It reads the snapshot through ``source`` (the runtime's
current ``Serving``, pinned once per call), so one server serves every reload; over HTTP
and stdio alike. Arguments are checked as the REST API checks them (texts at most 200
characters, ``limit`` within ``max_search_results``, ``annotate`` text within
``annotate_max_chars``); a bad one is a tool error the assistant reads, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from anyio import to_thread
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from api import __version__
from api.http.parameters import clean_text
from api.languages import InvalidLanguageTag, normalise_tag
from api.protocols.mcp import answers
from api.protocols.mcp.answers import Answer, Asked, NotFoundError

# Found apart from the SDK (api.workers asks before forking); here as before, for callers.
from api.protocols.mcp.namespaces import _known as _known
from api.protocols.mcp.namespaces import concept_namespaces as concept_namespaces
from api.protocols.mcp.namespaces import namespaces as namespaces
from api.runtime.serving import Serving
from api.settings import Settings

Source = Callable[[], Serving]
#: Every tool only reads (MCP tool annotations, spec 2025-06-18 §Tools).
READ_ONLY = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True,
                            openWorldHint=False)  # fmt: skip
INSTRUCTIONS = (
    "Answers from an official SKOS vocabulary (by default the Co-production Network for "
    "Wales Glossary of engagement terminology). Quote definitions as given and cite the "
    "concept IRI and the vocabulary version each answer carries; 'define' and 'compare' "
    "say what a term is not, which the glossary states on purpose."
)

Term = Annotated[str, Field(description="A term: a label (any spelling), concept id or IRI.")]
Lang = Annotated[
    str | None, Field(description="BCP 47 tag of the language wanted, such as en or cy.")
]


def checked(value: str, name: str, max_length: int = 200) -> str:
    try:
        return clean_text(value, max_length)
    except ValueError as error:
        raise ToolError(f"'{name}' {error}.") from None


def language(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    try:
        return (normalise_tag(value[:36]),)
    except InvalidLanguageTag:
        raise ToolError("'lang' must be a BCP 47 language tag, such as en.") from None


def build_server(source: Source, settings: Settings) -> MCPServer:
    """The server, its tools and resource templates registered."""
    server: MCPServer = MCPServer(
        "engagement-glossary", title="Engagement glossary", version=__version__,
        instructions=INSTRUCTIONS, log_level="WARNING",
    )  # fmt: skip

    def asked(lang: str | None = None) -> Asked:
        return Asked(source(), language(lang))

    def answered(question: Callable[[], Answer]) -> Answer:
        try:
            return question()
        except NotFoundError as error:
            raise ToolError(str(error)) from None

    @server.tool(annotations=READ_ONLY)
    def define(term: Term, lang: Lang = None) -> dict[str, Any]:
        """What the glossary means by a term: its definition, sources, and what it is not
        (the distinctions it draws), with the concept's IRI and the vocabulary version."""
        where, text = asked(lang), checked(term, "term")
        return answered(lambda: answers.define(where, text))

    @server.tool(annotations=READ_ONLY)
    def lookup(label: Annotated[str, Field(description="An exact label")]) -> dict[str, Any]:
        """The concepts with exactly this label (case and accents aside), any label type."""
        where, text = asked(), checked(label, "label")
        return answered(lambda: answers.lookup(where, text))

    @server.tool(annotations=READ_ONLY)
    def search(
        query: Annotated[str, Field(description="Words or the start of a label")],
        limit: Annotated[int, Field(ge=1, description="Most concepts wanted")] = 10,
    ) -> dict[str, Any]:
        """Concepts matching the query, best first (labels, then definitions)."""
        # Checked here: annotations are evaluated by the SDK, where settings are out of reach.
        if limit > settings.max_search_results:
            raise ToolError(f"'limit' must be at most {settings.max_search_results}.")
        return answers.search(asked(), checked(query, "query"), limit)

    @server.tool(annotations=READ_ONLY)
    def compare(first: Term, second: Term, lang: Lang = None) -> dict[str, Any]:
        """Two terms side by side: both definitions, the distinctions between them in both
        directions, and how the hierarchy relates them."""
        where = asked(lang)
        a, b = checked(first, "first"), checked(second, "second")
        return answered(lambda: answers.compare(where, a, b))

    @server.tool(annotations=READ_ONLY)
    def spectrum(lang: Lang = None) -> dict[str, Any]:
        """The engagement spectrum in order (the vocabulary's ordered collection, banded by
        broader concept), each step with its statements."""
        return answers.spectrum(asked(lang))

    @server.tool(annotations=READ_ONLY)
    async def annotate(
        text: Annotated[str, Field(description="Text to find glossary terms in")],
        lang: Lang = None,
    ) -> dict[str, Any]:
        """The glossary terms in a text, with their offsets and concepts."""
        if len(text) > settings.annotate_max_chars:
            raise ToolError(f"'text' must be at most {settings.annotate_max_chars} characters.")
        where, tag = asked(lang), (language(lang) or (None,))[0]
        cap = settings.annotate_max_matches
        return await to_thread.run_sync(lambda: answers.annotate(where, text, tag, cap))

    for namespace in concept_namespaces(source().index):
        add_concept_template(server, source, namespace)
    return server


def add_concept_template(server: MCPServer, source: Source, namespace: str) -> None:
    """Concepts of ``namespace`` as resources: the URI is the concept's IRI."""

    def concept(id: str) -> dict[str, Any]:
        where = Asked(source())
        found = where.index.concept_by_iri(namespace + id)
        if found is None:
            raise ResourceNotFoundError(f"No concept has the IRI {namespace + id}.")
        return answers.concept_resource(where, found)

    server.resource(
        namespace + "{id}", name=f"concept:{namespace}", mime_type="application/json",
        description="A concept of the vocabulary, by IRI: definition, sources, distinctions.",
    )(concept)  # fmt: skip
