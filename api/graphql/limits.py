"""What bounds a GraphQL request's cost, each with an error that says which limit was hit.

Before execution: the request size (checked by the view), lexical tokens (parser), depth,
aliases and introspection depth (validation rules). During execution: a budget of objects
one response may hold, because depth and aliases alone allow fan-out such as
``narrowerTransitive { broaderTransitive { narrowerTransitive ... } }``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
)
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from api.graphql.arguments import (
    BAD_USER_INPUT,
    INTERNAL_SERVER_ERROR,
    PARSE_FAILED,
    VALIDATION_FAILED,
    QueryError,
)
from api.settings import Settings

#: Largest request accepted, in bytes of body (POST) or of query string (GET).
MAX_REQUEST_BYTES = 100_000
#: Most concepts, schemes and collections one response may hold.
MAX_OBJECTS = 10_000
#: Most fields a document may hold once its fragments are expanded, and how deep spreads nest.
MAX_EXPANDED_FIELDS = 20_000
MAX_FRAGMENT_NESTING = 50
#: Parsed and validated documents kept, least recently used dropped first.
PARSER_CACHE_SIZE = 256
VALIDATION_CACHE_SIZE = 256

MASKED_MESSAGE = "Unexpected error; it has been logged."
ExtensionFactory = Callable[[], SchemaExtension]


class TooManyObjectsError(QueryError):
    """The response would hold more objects than one request may ask for."""


@dataclass(slots=True)
class Budget:
    """How many objects this request has resolved, against its limit; one per request."""

    limit: int = MAX_OBJECTS
    spent: int = 0

    def spend(self, count: int) -> None:
        self.spent += count
        if self.spent > self.limit:
            raise TooManyObjectsError(
                f"The query asks for more than {self.limit} concepts, schemes and collections "
                "in one response; select fewer nested lists or ask for smaller pages.",
                limit=self.limit,
            )


def is_unexpected(error: GraphQLError) -> bool:
    """Mask errors we did not raise on purpose; parse, validation and argument errors stay."""
    original = error.original_error
    return original is not None and not isinstance(original, QueryError | GraphQLError)


class MaskUnexpected(MaskErrors):
    """``MaskErrors`` that keeps our clear messages and codes the masked errors."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=MASKED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return anonymised(error)


def anonymised(error: GraphQLError) -> GraphQLError:
    """The error without its message or cause, coded as the server's fault."""
    return GraphQLError(
        MASKED_MESSAGE,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        extensions={"code": INTERNAL_SERVER_ERROR},
    )


def mask(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Mask what ``MaskUnexpected`` cannot reach: errors raised outside the operation hooks."""
    return [anonymised(error) if is_unexpected(error) else error for error in errors]


class ErrorCodes(SchemaExtension):
    """Give errors Apollo's ``extensions.code``, so clients can tell the kinds apart."""

    def on_validate(self) -> Iterator[None]:
        yield
        _tag(self.execution_context.pre_execution_errors or (), VALIDATION_FAILED)

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        # Without a document, parsing failed; errors without a path otherwise come before
        # any resolver runs: variables that do not coerce to their declared types.
        code = PARSE_FAILED if context.graphql_document is None else BAD_USER_INPUT
        errors = getattr(context.result, "errors", None) or ()
        _tag([error for error in errors if error.path is None], code)


def _tag(errors: Iterable[GraphQLError], code: str) -> None:
    for error in errors:
        error.extensions = {"code": code, **(error.extensions or {})}


class CachedParser(ParserCache):
    """``ParserCache`` that leaves a syntax error to strawberry's own parse step.

    ``ParserCache`` raises the error from inside the extension hook, where strawberry no
    longer treats it as a parse error; parsing again (bounded by the token limit) does.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        with contextlib.suppress(GraphQLError):
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield


class FragmentShape:
    """How far a document's fragments expand, memoised per fragment, bounded.

    strawberry's depth and alias limiters expand every fragment spread recursively, without
    memoising: a chain of fragments each spreading the next twice doubles per link, and an
    unknown or cyclic spread breaks them. This walk refuses such documents first.
    """

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            node.name.value: node
            for node in document.definitions
            if isinstance(node, FragmentDefinitionNode)
        }
        self.sizes: dict[str, int] = {}
        self.entered: set[str] = set()

    def check(self, document: DocumentNode) -> str | None:
        """Why the document cannot be measured, or ``None`` when the limiters may run."""
        try:
            for node in document.definitions:
                if isinstance(node, OperationDefinitionNode):
                    self.size(node.selection_set, 0)
        except _Unmeasurable as error:
            return str(error)
        return None

    def size(self, selections: SelectionSetNode, nesting: int) -> int:
        total = 0
        for node in selections.selections:
            if isinstance(node, FragmentSpreadNode):
                total += self.fragment_size(node.name.value, nesting + 1)
            else:
                inner = getattr(node, "selection_set", None)
                total += 1 + (self.size(inner, nesting) if inner else 0)
            if total > MAX_EXPANDED_FIELDS:
                raise _Unmeasurable(
                    f"The query's fragments expand to more than {MAX_EXPANDED_FIELDS} fields."
                )
        return total

    def fragment_size(self, name: str, nesting: int) -> int:
        if name in self.sizes:
            return self.sizes[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.entered:
            raise _Unmeasurable("")  # unknown or cyclic: graphql-core's own rules say which
        if nesting > MAX_FRAGMENT_NESTING:
            raise _Unmeasurable(f"Fragment spreads nest more than {MAX_FRAGMENT_NESTING} deep.")
        self.entered.add(name)
        self.sizes[name] = self.size(fragment.selection_set, nesting)
        self.entered.discard(name)
        return self.sizes[name]


class _Unmeasurable(Exception):  # control flow inside FragmentShape only
    pass


def limit_rule(settings: Settings) -> type[ASTValidationRule]:
    """One validation rule running ``QueryDepthLimiter`` and ``MaxAliasesLimiter`` once the
    document's fragments are known to expand to a bounded size. Built once per schema, so the
    validation cache sees the same rule class on every request."""
    depth = QueryDepthLimiter(max_depth=settings.graphql_max_depth)
    aliases = MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases)
    inner = (*depth.validation_rules, *aliases.validation_rules)

    class QueryLimits(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            reason = FragmentShape(context.document).check(context.document)
            if reason is None:
                for rule in inner:
                    rule(context)  # these report their errors while being constructed
            elif reason:
                context.report_error(GraphQLError(reason))

    return QueryLimits


def extensions(settings: Settings) -> list[ExtensionFactory]:
    """Schema extensions, as factories: strawberry makes fresh ones for every request."""
    rules = [limit_rule(settings)]
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: AddValidationRules(rules),
        lambda: CachedParser(maxsize=PARSER_CACHE_SIZE),
        lambda: ValidationCache(maxsize=VALIDATION_CACHE_SIZE),
        ErrorCodes,
        MaskUnexpected,
    ]
