"""The root ``Query`` type (every way in to the read model; there are no mutations) and the
schema built from it, with its limits and the SDL that ``schema/schema.graphql`` holds."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.relay import GlobalID, GlobalIDValueError
from strawberry.types import ExecutionContext

from api.build.annotator import annotate
from api.graphql import arguments
from api.graphql.arguments import InvalidArgumentError, QueryError
from api.graphql.connection import ConceptConnection, connection
from api.graphql.context import Info
from api.graphql.fields import ConceptOrder, IncludeDeprecated, Lang, field
from api.graphql.limits import extensions, is_unexpected
from api.graphql.types import (
    Collection,
    Comparison,
    Concept,
    Distinction,
    LabelMatch,
    Node,
    Occurrence,
    Scheme,
)
from api.http.renderers import ambiguous
from api.payloads.listings import Listing, browse
from api.settings import Settings

SearchDeprecated = Annotated[
    bool,
    strawberry.argument(description="Also search withdrawn (owl:deprecated) concepts."),
]
SchemeId = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only concepts of this concept scheme (by id)."),
]
First = Annotated[
    int | None,
    strawberry.argument(description="How many to return, from 1 to the server's maximum."),
]


@strawberry.type(description="Read-only queries over the loaded SKOS vocabularies.")
class Query:
    @field(
        "A concept by its id or its IRI (give one); null if unknown, an error naming the "
        "choices when the id is one that several loaded vocabularies share."
    )
    def concept(
        self, info: Info, id: strawberry.ID | None = None, iri: str | None = None
    ) -> Concept | None:
        if (id is None) == (iri is None):
            raise InvalidArgumentError("id", "or 'iri' is required, but not both")
        index = info.context.index
        record = (
            index.concept(id) if id is not None else index.concept_by_iri(arguments.iri(iri or ""))
        )
        if record is None and id is not None and (choices := ambiguous(info.context.snapshot, id)):
            raise QueryError(
                f"Concept id '{id}' names several concepts: ask for one of {', '.join(choices)}",
                argument="id",
                choices=list(choices),
            )
        return None if record is None else Concept.from_concept(record)

    @field(
        "Concepts with a label equal to `label`, ignoring case, accents and spacing: "
        "preferred labels first, then alternative, then hidden labels."
    )
    def lookup(
        self, info: Info, label: str, lang: Lang = None, scheme: SchemeId = None
    ) -> list[LabelMatch]:
        text = arguments.text(label, "label")
        found = info.context.index.lookup(text, arguments.language(lang), _scheme(info, scheme))
        return [LabelMatch.from_match(match) for match in found]

    @field(
        "Ranked, typo-tolerant search of labels and definitions, best first; an exact "
        "notation first. Withdrawn concepts only with `includeDeprecated`."
    )
    def search(
        self,
        info: Info,
        query: str,
        lang: Lang = None,
        scheme: SchemeId = None,
        first: First = None,
        include_deprecated: SearchDeprecated = False,
    ) -> list[LabelMatch]:
        settings = info.context.settings
        limit = arguments.count(
            first, "first", default=settings.page_size, maximum=settings.max_search_results
        )
        text, tag = arguments.text(query, "query"), arguments.language(lang)
        found = info.context.index.search(
            text, tag, _scheme(info, scheme), limit, include_deprecated=include_deprecated
        )
        return [LabelMatch.from_match(match) for match in found]

    @field(
        "Concepts with exactly this notation (ignoring case and spacing), withdrawn ones too, "
        "each with its preferred label in `lang`."
    )
    def lookup_notation(
        self, info: Info, notation: str, lang: Lang = None, scheme: SchemeId = None
    ) -> list[LabelMatch]:
        code = arguments.text(notation, "notation")
        index = info.context.index
        found = index.lookup_notation(code, arguments.language(lang), _scheme(info, scheme))
        return [LabelMatch.from_match(match) for match in found]

    @field(
        "Concepts a page at a time (Relay connection): all of them, a scheme's (by label), "
        "or a collection's (in its order); withdrawn ones only with `includeDeprecated`."
    )
    def concepts(
        self,
        info: Info,
        scheme: SchemeId = None,
        collection: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this collection's members, in its order."),
        ] = None,
        first: First = None,
        after: Annotated[
            str | None,
            strawberry.argument(description="Continue after this cursor (`pageInfo.endCursor`)."),
        ] = None,
        include_deprecated: IncludeDeprecated = False,
        sort: Annotated[
            ConceptOrder | None,
            strawberry.argument(description="The order; by default by label, a collection's own."),
        ] = None,
    ) -> ConceptConnection:
        index = info.context.index
        if collection is not None:
            found = index.collection(collection)
            if found is None:
                raise InvalidArgumentError(
                    "collection", f"names no collection: '{collection[:100]}'"
                )
            collection = strawberry.ID(found.id)
        by_notation = sort is ConceptOrder.NOTATION
        by_label = sort is ConceptOrder.LABEL and collection is not None  # else: label order
        listing = Listing(
            include_deprecated, "notation" if by_notation else "label" if by_label else None
        )
        ids = browse(info.context.serving).concepts(listing, _scheme(info, scheme), collection)
        return connection(info, ids, first, after)

    @field("Every concept scheme, by id.")
    def schemes(self, info: Info) -> list[Scheme]:
        return [Scheme.from_scheme(record) for record in info.context.index.schemes.values()]

    @field(
        "A concept scheme by id or the hashed form of it; null if unknown, an error naming "
        "the choices when the id is a local name several loaded schemes share."
    )
    def scheme(self, info: Info, id: strawberry.ID) -> Scheme | None:
        index = info.context.index
        record = index.scheme(id)
        if record is None:
            _choose("Scheme", id, index.scheme_aliases.ambiguous.get(id, ()))
        return None if record is None else Scheme.from_scheme(record)

    @field("Every collection, by id.")
    def collections(self, info: Info) -> list[Collection]:
        found = info.context.index.collections.values()
        return [Collection.from_collection(record) for record in found]

    @field(
        "A collection by id or the hashed form of it; null if unknown, an error naming the "
        "choices when the id is a local name several loaded collections share."
    )
    def collection(self, info: Info, id: strawberry.ID) -> Collection | None:
        index = info.context.index
        record = index.collection(id)
        if record is None:
            _choose("Collection", id, index.collection_aliases.ambiguous.get(id, ()))
        return None if record is None else Collection.from_collection(record)

    @field("Any object by its Relay global id (`globalId`); null if gone.")
    def node(self, info: Info, id: strawberry.ID) -> Node | None:
        try:
            found = GlobalID.from_id(id)
        except GlobalIDValueError:
            raise InvalidArgumentError(
                "id", "is not a global id; take one from a `globalId` field"
            ) from None
        fetch = _fetchers(info).get(found.type_name)
        if fetch is None:
            raise InvalidArgumentError(
                "id", f"is a global id of no type here: '{found.type_name[:50]}'"
            )
        return fetch(found.node_id)

    @field(
        'What tells two concepts apart: the "it\'s not X because ..." statements between '
        "them in both directions; null if either is unknown."
    )
    def compare(self, info: Info, a: strawberry.ID, b: strawberry.ID) -> Comparison | None:
        index = info.context.index
        first, second = index.concept(a), index.concept(b)
        if first is None or second is None:
            return None
        between = [
            Distinction.from_distinction(d, first) for d in first.distinctions if d.other == b
        ]
        return Comparison(
            a=Concept.from_concept(first), b=Concept.from_concept(second), distinctions=between
        )

    @field(
        "Every concept label in `text`, whole words, longest first, left to right "
        "(as `POST /annotate`)."
    )
    def annotate(
        self,
        info: Info,
        text: Annotated[str, strawberry.argument(description="The text to look through.")],
        lang: Lang = None,
        scheme: SchemeId = None,
        include_deprecated: Annotated[
            bool, strawberry.argument(description="Also mark withdrawn (owl:deprecated) concepts.")
        ] = False,
    ) -> list[Occurrence]:
        context = info.context
        checked = _text(text, context.settings.annotate_max_chars)
        tag, within = arguments.language(lang), _scheme(info, scheme)
        found = annotate(
            context.serving.annotator, checked, tag, within,
            include_deprecated=include_deprecated,
        )  # fmt: skip
        context.budget.spend(len(found))
        return [Occurrence.from_occurrence(occurrence) for occurrence in found]


def _text(text: str, max_length: int) -> str:
    """Free text to annotate: kept as sent (offsets point into it), but not empty or huge."""
    if not text.strip():
        raise InvalidArgumentError("text", "must not be empty")
    if len(text) > max_length:
        raise InvalidArgumentError("text", f"must be at most {max_length} characters")
    return text


def _choose(kind: str, given: str, choices: tuple[str, ...]) -> None:
    """An error naming ``choices`` when an id names several schemes (collections)."""
    if choices:
        raise QueryError(
            f"{kind} id '{given}' names several: ask for one of {', '.join(choices)}",
            argument="id",
            choices=list(choices),
        )


def _scheme(info: Info, scheme: str | None) -> str | None:
    """A scheme id the index knows; a clear error rather than an empty answer when it does not."""
    if scheme is None:
        return None
    found = info.context.index.scheme(scheme)  # its id or the hashed form of it
    if found is None:
        raise InvalidArgumentError("scheme", f"names no concept scheme: '{scheme[:100]}'")
    return found.id


def _fetchers(info: Info) -> dict[str, Callable[[str], Node | None]]:
    """For each ``Node`` type, how to fetch one by its local id (``None`` when unknown)."""
    index = info.context.index

    def wrap(
        find: Callable[[str], Any], project: Callable[[Any], Node]
    ) -> Callable[[str], Node | None]:
        return lambda local: None if (record := find(local)) is None else project(record)

    return {
        "Concept": wrap(index.concept, Concept.from_concept),
        "Scheme": wrap(index.scheme, Scheme.from_scheme),
        "Collection": wrap(index.collection, Collection.from_collection),
    }


# The schema ----------------------------------------------------------------------------


logger = logging.getLogger("api")


class Schema(strawberry.Schema):
    """Logs only unexpected errors: a bad query is the client's news, not the operator's."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if is_unexpected(error):
                logger.error("GraphQL resolver failed", exc_info=error.original_error)


def build_schema(settings: Settings) -> Schema:
    """The read-only schema with every limit that ``settings`` sets."""
    return Schema(query=Query, types=[Concept, Scheme, Collection], extensions=extensions(settings))


def print_sdl() -> str:
    """The schema in SDL, as ``glossary export-schema`` writes it to ``schema/schema.graphql``."""
    return strawberry.Schema(query=Query, types=[Concept, Scheme, Collection]).as_str() + "\n"


__all__ = ["Schema", "build_schema", "print_sdl"]
